#pragma once
// Builds or edits the person's learning plan for the current period (a half-year):
// short- and long-term aspiration and the objective it supports. Editing a plan that
// was submitted or decided takes it back to draft, so it is reviewed again.
// Stateless; thread-safe.
#include "dialogs/questionnaire.hpp"

namespace dialogs {

class PlanDialog final : public Questionnaire {
 public:
  std::string_view name() const override { return "plan"; }
  std::string_view title() const override { return "plan"; }

 protected:
  std::string intro(const nlohmann::json& data, const bot::Context& c) const override;
  std::vector<Question> questions(const nlohmann::json& data, const nlohmann::json& answers,
                                  const bot::Context& c) const override;
  bot::Transition finish(const nlohmann::json& data, const nlohmann::json& answers,
                         const bot::Context& c) const override;
};

// The half-year containing `today` (ISO date): {start, end (exclusive), label "2026-H2"}.
struct Period {
  std::string start, end, label;
};
Period half_year_of(std::string_view today);
std::string_view plan_status_text(bot::PlanStatus s);

}  // namespace dialogs
