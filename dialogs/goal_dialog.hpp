#pragma once
// Adds a SMART goal through a coaching dialog: specific statement, measure, target,
// support, relevance, target date, kind, skill tags, then learning activities in a
// loop. The coach asks one clarifying question per gap it notices (at most two per
// goal, rules in smart_rules.hpp) and otherwise takes the answer as given.
// Stateless; thread-safe.
#include "dialogs/questionnaire.hpp"

namespace dialogs {

class GoalDialog final : public Questionnaire {
 public:
  std::string_view name() const override { return "goal"; }
  std::string_view title() const override { return "new goal"; }

 protected:
  std::string intro(const nlohmann::json& data, const bot::Context& c) const override;
  std::vector<Question> questions(const nlohmann::json& data, const nlohmann::json& answers,
                                  const bot::Context& c) const override;
  bot::Transition finish(const nlohmann::json& data, const nlohmann::json& answers,
                         const bot::Context& c) const override;
  int max_clarifications() const override { return 2; }
};

// The `goals` reply: each active goal with its bar, status and target date.
std::string goals_overview(const bot::Context& c);

}  // namespace dialogs
