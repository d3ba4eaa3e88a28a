#pragma once
// `delete my data`: says what will be deleted, suggests `export` first, and deletes
// only on an explicit confirmation. Afterwards only an anonymous monthly count of
// deletions remains. Stateless; thread-safe.
#include "dialogs/questionnaire.hpp"

namespace dialogs {

class DeleteDataDialog final : public Questionnaire {
 public:
  std::string_view name() const override { return "delete_data"; }
  std::string_view title() const override { return "data deletion"; }

 protected:
  std::vector<Question> questions(const nlohmann::json& data, const nlohmann::json& answers,
                                  const bot::Context& c) const override;
  bot::Transition finish(const nlohmann::json& data, const nlohmann::json& answers,
                         const bot::Context& c) const override;
  std::string cancelled_text() const override;
};

}  // namespace dialogs
