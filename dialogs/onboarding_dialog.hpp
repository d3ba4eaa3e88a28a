#pragma once
// Onboarding: confirm the time zone, choose the weekly check-in day and local time,
// name a manager (or none). Nothing is changed until the last answer, so `cancel`
// leaves the person's settings as they were. Stateless; thread-safe.
#include "dialogs/questionnaire.hpp"

namespace dialogs {

class OnboardingDialog final : public Questionnaire {
 public:
  std::string_view name() const override { return "onboarding"; }
  std::string_view title() const override { return "setup"; }

 protected:
  std::vector<Question> questions(const nlohmann::json& data, const nlohmann::json& answers,
                                  const bot::Context& c) const override;
  bot::Transition finish(const nlohmann::json& data, const nlohmann::json& answers,
                         const bot::Context& c) const override;
  std::string cancelled_text() const override;
};

}  // namespace dialogs
