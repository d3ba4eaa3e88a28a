#pragma once
// Plan review: the learner submits their plan; the manager gets a summary with
// Approve / Request changes (which asks for a comment); the learner hears the result
// and can edit and resubmit. With no manager set, the learner is told how to set one
// and may approve the plan themselves. Stateless; thread-safe.
#include "dialogs/questionnaire.hpp"

namespace dialogs {

// `submit`: sends the current plan for review (or explains why it can't go yet).
bot::Transition submit_plan(const bot::Context& c);

// When the learner names another manager (`handle`, "" for none) while their plan waits
// for review: the new manager gets the review request, or, with none, the learner may
// approve the plan themselves. Nothing when no plan waits or the manager is the same.
// Sent to a new manager, the plan counts as submitted anew (SubmitPlan): their review
// reminders start from now.
bot::Transition waiting_plan_after_manager_change(const std::string& handle, const bot::Context& c);

// The scheduler's reminder to the manager about a plan still waiting for review
// (`occurrence` is "plan:<id>:<submitted at>"); nothing when the plan was decided or
// changed since.
// The `number`th reminder; with Context::escalate_reviews the second also goes to the
// manager's own manager.
bot::Transition review_reminder(const std::string& occurrence, int number, const bot::Context& c);

// The learner's manager erased their data: a plan waiting for their review can now
// only be approved by its owner (or go to a new manager).
bot::Transition manager_gone(const bot::Context& c);

// A click on a plan_review button: approve, ask for changes, or self-approve.
// `comment_dialog` starts the comment question for "changes".
bot::Transition review_click(const bot::Input& in, const bot::Context& c, const class ReviewCommentDialog& comment_dialog);

// The manager's comment when they request changes.
class ReviewCommentDialog final : public Questionnaire {
 public:
  std::string_view name() const override { return "review_comment"; }
  std::string_view title() const override { return "review"; }
  bot::Transition begin(const bot::Context& c) const;

 protected:
  nlohmann::json initial_data(const bot::Context& c) const override;
  std::vector<Question> questions(const nlohmann::json& data, const nlohmann::json& answers,
                                  const bot::Context& c) const override;
  bot::Transition finish(const nlohmann::json& data, const nlohmann::json& answers,
                         const bot::Context& c) const override;
};

}  // namespace dialogs
