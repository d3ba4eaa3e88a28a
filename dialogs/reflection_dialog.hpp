#pragma once
// Reflection: what did you learn, how will you apply it, what would you do
// differently. Started by `reflect`, or offered right after a check-in (then the
// check-in's "what did you learn" answer is reused and the person may decline). Two
// weeks later FollowUpDialog asks, once, whether they applied it. Stateless;
// thread-safe.
#include "dialogs/questionnaire.hpp"

namespace dialogs {

class ReflectionDialog final : public Questionnaire {
 public:
  std::string_view name() const override { return "reflection"; }
  std::string_view title() const override { return "reflection"; }
  // Seed for the offer after a check-in: what the person said they learned in it.
  static nlohmann::json after_checkin(const std::string& learned);

 protected:
  std::vector<Question> questions(const nlohmann::json& data, const nlohmann::json& answers,
                                  const bot::Context& c) const override;
  bot::Transition finish(const nlohmann::json& data, const nlohmann::json& answers,
                         const bot::Context& c) const override;
  std::string cancelled_text() const override;
  bool started_unasked(const nlohmann::json& data) const override;
};

class FollowUpDialog final : public Questionnaire {
 public:
  std::string_view name() const override { return "follow_up"; }
  std::string_view title() const override { return "reflection follow-up"; }
  // Starts the follow-up of Context::follow_up and marks it asked, so it is asked once.
  bot::Transition begin(const bot::Context& c) const;

 protected:
  nlohmann::json initial_data(const bot::Context& c) const override;
  std::string intro(const nlohmann::json& data, const bot::Context& c) const override;
  std::vector<Question> questions(const nlohmann::json& data, const nlohmann::json& answers,
                                  const bot::Context& c) const override;
  bot::Transition finish(const nlohmann::json& data, const nlohmann::json& answers,
                         const bot::Context& c) const override;
  std::string cancelled_text() const override;
  bool started_unasked(const nlohmann::json&) const override { return true; }
};

}  // namespace dialogs
