#pragma once
// Onboarding: confirm the time zone, choose the weekly check-in day and local time,
// name a manager (or none). Nothing is changed until the last answer, so `cancel`
// leaves the person's settings as they were. Stateless; thread-safe.
#include <optional>
#include <string>

#include "dialogs/questionnaire.hpp"

namespace dialogs {

// Checks shared with the settings dialog. "keep" keeps the person's current value.
Answer check_time_zone(std::string_view text, const bot::Context& c);
Answer check_day(std::string_view text, const bot::Context& c);
Answer check_time(std::string_view text, const bot::Context& c);
Answer check_manager(std::string_view text, const bot::Context& c);  // "" means none

// The help under the check-in time question: the forms it takes, and the sending
// window's hours when there is one.
std::string check_time_help(const bot::Context& c);

// The note to a manager someone just named (`handle`, from check_manager), or nothing
// when it is nobody or the manager they already had.
std::optional<bot::Message> manager_named_note(const std::string& handle, const bot::Context& c);

// A manager's handle (from check_manager) as the learner's messages name them: a
// mention where people are named by mention (Slack), the handle elsewhere.
std::string manager_as_named(const std::string& handle, const bot::Context& c);

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
