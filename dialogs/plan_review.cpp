#include "dialogs/plan_review.hpp"

#include "bot/text.hpp"
#include "dialogs/onboarding_dialog.hpp"
#include "dialogs/plan_dialog.hpp"

namespace dialogs {

using nlohmann::json;

namespace {

bot::Transition reply(const bot::Context& c, std::string text) {
  return bot::Transition{std::nullopt, {}, {bot::Message::text(bot::Recipient::dm(c.person.id), std::move(text))}};
}

// A review button that decides nothing: the message clicked keeps its buttons.
bot::Transition declined(const bot::Context& c, std::string text) {
  bot::Transition t = reply(c, std::move(text));
  t.declined = true;
  return t;
}

std::string summary(const bot::Plan& plan, const std::vector<bot::Goal>& goals) {
  std::string text;
  if (!plan.aspiration_short.empty()) text += "\n*Next six months:* " + plan.aspiration_short;
  if (!plan.aspiration_long.empty()) text += "\n*Longer term:* " + plan.aspiration_long;
  if (!plan.objective.empty()) text += "\n*Supports:* " + plan.objective;
  text += "\n*Goals:*";
  for (const auto& g : goals) {
    if (g.plan != plan.id) continue;
    text += "\n- " + g.statement + " (measure: " + g.measure;
    if (g.target_date) text += "; by " + *g.target_date;
    text += ")";
  }
  return text;
}

bool plan_has_goals(const bot::Plan& plan, const std::vector<bot::Goal>& goals) {
  for (const auto& g : goals)
    if (g.plan == plan.id) return true;
  return false;
}

}  // namespace

namespace {
// The message with Approve / Request changes that a manager gets about a plan. Each one
// is a new message, never an edit of an earlier one: a plan sent again, or a reminder,
// must reach the manager as news. A decision is a new reply too; the button clicked
// shows what was chosen.
bot::Message review_request(const bot::Plan& plan, const std::vector<bot::Goal>& goals, bot::Recipient to,
                            const std::string& headline) {
  bot::Message m = bot::Message::text(std::move(to), headline + summary(plan, goals));
  const std::string id = std::to_string(plan.id.value);
  m.buttons = {{std::string{bot::kPlanReviewAction}, "Approve", "approve:" + id, bot::ButtonStyle::primary},
               {std::string{bot::kPlanReviewAction}, "Request changes", "changes:" + id, bot::ButtonStyle::normal}};
  return m;
}
}  // namespace

namespace {
bot::Message self_approval_offer(const bot::Plan& plan, const bot::Context& c, std::string text) {
  bot::Message m = bot::Message::text(bot::Recipient::dm(c.person.id), std::move(text));
  m.buttons = {{std::string{bot::kPlanReviewAction}, "Approve it myself", "self_approve:" + std::to_string(plan.id.value),
                bot::ButtonStyle::primary}};
  return m;
}
}  // namespace

bot::Transition review_reminder(const std::string& occurrence, int number, const bot::Context& c) {
  if (!c.plan || c.plan->status != bot::PlanStatus::submitted ||
      !occurrence.starts_with("plan:" + std::to_string(c.plan->id.value) + ":")) {
    return {};
  }
  if (!c.person.manager) {
    // The manager went after the plan was sent (erased, or cleared by a directory
    // import): the owner is the one to remind.
    return {std::nullopt,
            {},
            {self_approval_offer(*c.plan, c, "A reminder: your learning plan is still waiting for review, and you have "
                                             "no manager to decide it. Approve it yourself, or name a manager with "
                                             "*settings*.")}};
  }
  bot::Transition t{std::nullopt,
                    {},
                    {review_request(*c.plan, c.goals, bot::Recipient::manager_of(c.person.id),
                                    "A reminder: " + c.person.display_name +
                                        "'s learning plan is still waiting for your review.")}};
  if (number >= 2 && c.escalate_reviews && c.manager) {
    // Goes to the manager's manager (the engine resolves "manager of the manager").
    t.messages.push_back(bot::Message::text(
        bot::Recipient::manager_of(c.manager->id),
        c.person.display_name + "'s learning plan has been waiting a week for a review by " + c.manager->display_name +
            ". You may want to nudge them."));
  }
  return t;
}

bot::Transition manager_gone(const bot::Context& c) {
  if (!c.plan || c.plan->status != bot::PlanStatus::submitted || c.person.manager) return {};
  return {std::nullopt,
          {},
          {self_approval_offer(*c.plan, c, "Your manager is no longer in Coachbot, so nobody else can decide the "
                                           "learning plan you sent for review. Approve it yourself, or name a new "
                                           "manager with *settings*.")}};
}

bot::Transition waiting_plan_after_manager_change(const std::string& handle, const bot::Context& c) {
  if (!c.plan || c.plan->status != bot::PlanStatus::submitted) return {};
  if (handle.empty()) {
    if (!c.person.manager) return {};
    return {std::nullopt,
            {},
            {self_approval_offer(*c.plan, c, "Your learning plan was waiting for review. With no manager, nobody "
                                             "else can decide it: approve it yourself, or name a manager with *settings*.")}};
  }
  if (c.manager && (c.manager_handle == handle || bot::lower(c.manager_handle) == handle)) return {};
  const std::string who = manager_as_named(handle, c);
  return {std::nullopt,
          {bot::SubmitPlan{c.plan->id}},
          {bot::Message::text(bot::Recipient::dm(c.person.id),
                              "Your learning plan, which was waiting for review, now goes to " + who + " instead."),
           review_request(*c.plan, c.goals, bot::Recipient::manager_of(c.person.id),
                          c.person.display_name + " named you as their manager and sent you their learning plan (" +
                              half_year_of(c.plan->period_start).label + ") for review.")}};
}

bot::Transition submit_plan(const bot::Context& c) {
  if (!c.plan) return reply(c, "You don't have a plan for this half-year yet. Start one with *plan*.");
  const bot::Plan& plan = *c.plan;
  if (!plan_has_goals(plan, c.goals)) return reply(c, "Add at least one goal with *goal* before you submit your plan.");
  switch (plan.status) {
    case bot::PlanStatus::submitted:
      // Sent before the manager was removed: nobody is left to decide it but its owner.
      if (!c.person.manager) break;
      return reply(c, "Your plan is already waiting for review" +
                          (c.manager ? " by " + c.manager->display_name + "." : std::string{"."}));
    case bot::PlanStatus::approved:
    case bot::PlanStatus::active:
      return reply(c, "Your plan is already approved. Change it with *plan* or *goal*; it will then need a new review.");
    case bot::PlanStatus::completed:
    case bot::PlanStatus::archived:
      return reply(c, "This plan is " + std::string{plan_status_text(plan.status)} + "; start a new one with *plan*.");
    case bot::PlanStatus::draft:
    case bot::PlanStatus::changes_requested:
      break;
  }
  if (!c.person.manager) {
    return bot::Transition{
        std::nullopt,
        {},
        {self_approval_offer(plan, c, "You have no manager set, so nobody can review your plan. Type *setup* to "
                                      "name your manager, or approve the plan yourself.")}};
  }
  const std::string who = c.manager ? c.manager->display_name : "your manager";
  bot::Message to_manager =
      review_request(plan, c.goals, bot::Recipient::manager_of(c.person.id),
                     c.person.display_name + " sent you their learning plan (" + half_year_of(plan.period_start).label +
                         ") for review.");
  return bot::Transition{
      std::nullopt,
      {bot::SubmitPlan{plan.id}},
      {bot::Message::text(bot::Recipient::dm(c.person.id),
                          "Sent your plan to " + who + " for review. I'll tell you when they have decided."),
       std::move(to_manager)}};
}

bot::Transition review_click(const bot::Input& in, const bot::Context& c, const ReviewCommentDialog& comment_dialog) {
  const auto colon = in.value.find(':');
  const std::string verb = in.value.substr(0, colon);
  if (!c.subject || colon == std::string::npos) return declined(c, "That plan no longer exists.");
  const bot::PlanSubject& s = *c.subject;
  const bool self = verb == "self_approve";
  if (self ? (c.person.id != s.owner.id || s.owner.manager) : s.owner.manager != c.person.id) {
    if (self) return declined(c, "Only a person without a manager can approve their own plan; ask your manager instead.");
    // Often a request from before the learner named someone else, or removed their
    // manager: say where the decision is now.
    if (!s.owner.manager)
      return declined(c, s.owner.display_name + " has no manager in Coachbot now, so they approve this plan "
                          "themselves. Nothing for you to do here.");
    return declined(c, "Only " + s.owner.display_name + "'s manager can review this plan, and in Coachbot that "
                        "isn't you now.");
  }
  const bool waiting = self ? (s.plan.status == bot::PlanStatus::draft ||
                               s.plan.status == bot::PlanStatus::changes_requested ||
                               s.plan.status == bot::PlanStatus::submitted)
                            : s.plan.status == bot::PlanStatus::submitted;
  if (!waiting) {
    return declined(c, "This plan is not waiting for review any more (it is " +
                        std::string{plan_status_text(s.plan.status)} + ").");
  }
  if (verb == "changes") return comment_dialog.begin(c);
  if (verb == "open") {
    return bot::Transition{std::nullopt,
                           {},
                           {review_request(s.plan, s.goals, bot::Recipient::dm(c.person.id),
                                           s.owner.display_name + "'s learning plan, waiting for your review.")}};
  }
  if (verb == "snooze") {
    return bot::Transition{std::nullopt,
                           {bot::SnoozeReview{s.plan.id}},
                           {bot::Message::text(bot::Recipient::dm(c.person.id),
                                               "Okay, I'll remind you about " + s.owner.display_name +
                                                   "'s plan again tomorrow at the earliest.")}};
  }
  if (verb != "approve" && !self) return declined(c, "I don't know that button.");

  bot::Transition t{std::nullopt, {bot::DecidePlan{s.plan.id, bot::PlanStatus::approved, {}}}, {}};
  if (self) {
    t.messages.push_back(bot::Message::text(bot::Recipient::dm(c.person.id),
                                            "Approved your own plan. Time to learn: check in weekly with *checkin*."));
    return t;
  }
  bot::Message done = bot::Message::text(bot::Recipient::dm(c.person.id),
                                         "You approved " + s.owner.display_name + "'s learning plan. I've told them.");
  t.messages.push_back(std::move(done));
  t.messages.push_back(bot::Message::text(bot::Recipient::dm(s.owner.id),
                                          c.person.display_name + " approved your learning plan. Good luck! I'll "
                                                                  "check in with you weekly."));
  return t;
}

bot::Transition ReviewCommentDialog::begin(const bot::Context& c) const { return start(c); }

json ReviewCommentDialog::initial_data(const bot::Context& c) const {
  // The engine reloads this plan into Context::subject while the question is open.
  return {{"subject_plan", c.subject->plan.id.value}};
}

std::vector<Question> ReviewCommentDialog::questions(const json&, const json&, const bot::Context& c) const {
  const std::string owner = c.subject ? c.subject->owner.display_name : "they";
  return {{"comment", "What should " + owner + " change? A sentence or two; I'll pass it on.",
           "Your comment goes to " + owner + " with the plan marked \"changes requested\". They can edit and "
           "resubmit.",
           false, {}, [](std::string_view t, const bot::Context&) { return short_text(t, 1000, "what to change"); }}};
}

bot::Transition ReviewCommentDialog::finish(const json&, const json& a, const bot::Context& c) const {
  if (!c.subject || c.subject->plan.status != bot::PlanStatus::submitted || c.subject->owner.manager != c.person.id) {
    return reply(c, "This plan is not waiting for your review any more, so I didn't send the comment.");
  }
  const auto& s = *c.subject;
  const std::string comment = a.at("comment").get<std::string>();
  bot::Message done = bot::Message::text(bot::Recipient::dm(c.person.id),
                                         "You asked " + s.owner.display_name + " for changes. I've passed on your comment.");
  return bot::Transition{
      std::nullopt,
      {bot::DecidePlan{s.plan.id, bot::PlanStatus::changes_requested, comment}},
      {std::move(done),
       bot::Message::text(bot::Recipient::dm(s.owner.id),
                          c.person.display_name + " asked for changes to your learning plan:\n\"" + comment +
                              "\"\nEdit it with *plan* or *goal*, then send it again with *submit*.")}};
}

}  // namespace dialogs
