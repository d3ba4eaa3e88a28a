#pragma once
// The weekly check-in in text form: progress (overall when the person has no goals,
// otherwise per active goal), what they learned, blockers, next step. Saved for the
// person's current ISO week in their own time zone; answering again in the same week
// adds a revision and keeps the earlier one. Stateless; thread-safe.
#include "dialogs/questionnaire.hpp"

namespace dialogs {

class CheckInDialog final : public Questionnaire {
 public:
  std::string_view name() const override { return "checkin"; }
  std::string_view title() const override { return "check-in"; }

 protected:
  nlohmann::json initial_data(const bot::Context& c) const override;
  std::vector<Question> questions(const nlohmann::json& data, const nlohmann::json& answers,
                                  const bot::Context& c) const override;
  std::string intro(const nlohmann::json& data, const bot::Context& c) const override;
  bot::Transition finish(const nlohmann::json& data, const nlohmann::json& answers,
                         const bot::Context& c) const override;
};

}  // namespace dialogs
