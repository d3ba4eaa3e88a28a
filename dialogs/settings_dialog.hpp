#pragma once
// `settings`: shows the person's settings and changes one of them: time zone,
// check-in day and time, a pause (no check-in prompts until a date), weekly
// learning-time budget, manager, team, and who may see each kind of item (private,
// manager, team). Stateless; thread-safe.
#include "dialogs/questionnaire.hpp"

namespace dialogs {

class SettingsDialog final : public Questionnaire {
 public:
  std::string_view name() const override { return "settings"; }
  std::string_view title() const override { return "settings"; }

 protected:
  std::vector<Question> questions(const nlohmann::json& data, const nlohmann::json& answers,
                                  const bot::Context& c) const override;
  bot::Transition finish(const nlohmann::json& data, const nlohmann::json& answers,
                         const bot::Context& c) const override;
};

std::string settings_summary(const bot::Context& c);

}  // namespace dialogs
