#include "tests/support/dialog_harness.hpp"

#include "bot/engine.hpp"
#include "bot/overloaded.hpp"

namespace testing {

DialogHarness::DialogHarness() {
  context.now = bot::Instant{std::chrono::sys_days{std::chrono::year{2026} / 11 / 23} + std::chrono::hours{10}};
  context.person.id = bot::PersonId{1};
  context.person.display_name = "alice";
  context.person.prefs.time_zone = "Europe/Berlin";
  context.handle = "alice";
  context.iso_week = "2026-W48";
  context.today = "2026-11-23";
  context.first_contact = true;
  context.defaults = bot::Defaults{"Europe/Berlin", 1, 9 * 60};
}

DialogHarness DialogHarness::onboarded() {
  DialogHarness chat;
  chat.context.person.onboarded = true;
  chat.context.first_contact = false;
  return chat;
}

std::string DialogHarness::say(const std::string& text) { return run(bot::Input::typed(text)); }
std::string DialogHarness::click(const std::string& value) { return run(bot::Input::click("button", value)); }
std::string DialogHarness::click(const std::string& action, const std::string& value) {
  return run(bot::Input::click(action, value));
}
std::string DialogHarness::open() { return run(bot::Input::opened()); }

std::string DialogHarness::run(const bot::Input& in) {
  bot::Transition t = conversation_.handle(state, in, context);
  state = t.next;
  if (state) context.session_updated_at = context.now;
  else context.session_updated_at.reset();
  for (const auto& e : t.effects) {
    // The engine refuses (and rolls back) an event whose effects go on after EraseMe.
    if (erased) FAIL("an effect after EraseMe");
    std::visit(bot::Overloaded{
                   [&](const bot::UpdatePreferences& u) {
                     if (u.time_zone) context.person.prefs.time_zone = *u.time_zone;
                     if (u.checkin_weekday) context.person.prefs.checkin_weekday = *u.checkin_weekday;
                     if (u.checkin_minute) context.person.prefs.checkin_minute = *u.checkin_minute;
                     if (u.paused_until) context.person.prefs.paused_until = *u.paused_until;
                     if (u.weekly_budget_minutes) context.person.prefs.weekly_budget_minutes = *u.weekly_budget_minutes;
                     if (u.team) context.person.team = *u.team;
                     if (u.visibility) context.person.prefs.visibility.set(u.visibility->first, u.visibility->second);
                   },
                   [&](const bot::SetManager& m) {
                     manager_handles.push_back(m.handle);
                     context.manager_handle = m.handle;
                     context.manager.reset();
                     if (!m.handle.empty()) {
                       context.manager.emplace();
                       context.manager->display_name = m.handle;
                     }
                   },
                   [&](const bot::MarkOnboarded&) { context.person.onboarded = true; },
                   [&](const bot::MarkOnboardingOffered&) { context.person.onboarding_offered = true; },
                   [&](const bot::RecordCheckIn& r) {
                     checkins.push_back(r.checkin);
                     context.this_week = r.checkin;
                   },
                   [&](const bot::SavePlan& p) {
                     context.plan = p.plan;
                     if (!context.plan->id) {
                       context.plan->id = bot::PlanId{1};
                       // As the engine does: goals added before there was a plan join it.
                       for (auto& g : context.goals)
                         if (!g.plan) g.plan = context.plan->id;
                     }
                   },
                   [&](const bot::SubmitPlan&) { context.plan->status = bot::PlanStatus::submitted; },
                   [&](const bot::DecidePlan& d) {
                     decisions.push_back(d);
                     if (context.subject) context.subject->plan.status = d.decision;
                     if (context.plan && context.plan->id == d.plan) context.plan->status = d.decision;
                   },
                   [&](const bot::RecordReflection& r) { reflections.push_back(r.reflection); },
                   [&](const bot::MarkFollowUpAsked& m) { follow_ups_asked.push_back(m.reflection); },
                   [&](const bot::RecordFollowUp& f) { follow_ups.push_back(f); },
                   [&](const bot::SaveEvidence& x) { evidence.push_back(x.evidence); },
                   [&](const bot::RecordAchievement& a) { achievements.push_back(a.achievement); },
                   [&](const bot::GiveKudos& k) { kudos.push_back(k.achievement); },
                   [&](const bot::AttachExport&) { ++exports; },
                   [&](const bot::SnoozeReview&) {},
                   [&](const bot::EraseMe&) { erased = true; },
                   [&](const bot::AddGoal& a) {
                     bot::Goal g = a.goal;
                     g.id = bot::GoalId{static_cast<std::int64_t>(context.goals.size()) + 1};
                     if (context.plan) g.plan = context.plan->id;
                     context.goals.push_back(g);
                   },
               },
               e);
  }
  context.first_contact = false;
  const auto merged = bot::coalesce_replies(t.messages, context.person.id);
  replies_to_last_input = 0;
  std::string text;
  for (const auto& m : merged) {
    if (m.to.kind == bot::RecipientKind::person && m.to.person == context.person.id) {
      ++replies_to_last_input;
      last_reply = m;
      text = m.plain_text();
    } else {
      to_others.push_back(m);
    }
  }
  return text;
}

}  // namespace testing
