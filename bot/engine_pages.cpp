// The Engine's reads for pages that show a person's state rather than answer them: the
// Slack Home tab and a manager's picture of their team.
#include <algorithm>

#include "bot/engine.hpp"
#include "bot/home_page.hpp"
#include "bot/local_time.hpp"

namespace bot {

// Only Slack has a page of the person's own (the App Home tab). It is refreshed when
// they open it and whenever an event changed what it shows. A dialog opening or
// closing is not worth a refresh of its own: opening the tab shows the current state.
// Nor is a page nobody has looked at: opening the tab publishes it anyway, so the
// refresh is only for people who opened it once (most never do, and each refresh is
// a views.publish call).
bool Engine::shows_home(const Event& event, const Transition& t, PersonId person) {
  if (event.from.platform != Platform::slack) return false;
  if (event.kind == EventKind::app_opened) return event.action == "home";
  if (t.effects.empty()) return false;
  return store_.outbox().ever_queued(Platform::slack, Recipient::home_of(person), std::string{kHomeUpdateKey});
}

std::vector<Message> Engine::others_homes(const std::vector<Effect>& effects, const Person& person,
                                          std::optional<PersonId> previous_manager, Instant now) {
  // A decision shows on the learner's page, a plan sent for review in their manager's
  // count of plans to review, and a plan that went to another manager leaves the
  // count of the one before.
  std::vector<PersonId> others;
  for (const auto& effect : effects) {
    if (std::holds_alternative<SubmitPlan>(effect) && person.manager) others.push_back(*person.manager);
    if (std::holds_alternative<SetManager>(effect) && previous_manager && previous_manager != person.manager)
      others.push_back(*previous_manager);
    if (const auto* d = std::get_if<DecidePlan>(&effect))
      if (const auto plan = store_.plans().find(d->plan); plan && plan->person != person.id)
        others.push_back(plan->person);
  }
  return homes_of(others, now);
}

std::vector<Message> Engine::homes_of(std::vector<PersonId> people, Instant now) {
  std::sort(people.begin(), people.end());
  people.erase(std::unique(people.begin(), people.end()), people.end());
  std::vector<Message> pages;
  for (const PersonId id : people) {
    if (!store_.outbox().ever_queued(Platform::slack, Recipient::home_of(id), std::string{kHomeUpdateKey})) continue;
    const auto other = store_.people().find(id);
    if (!other) continue;
    const auto session = store_.sessions().load(id);
    pages.push_back(home(*other, session ? std::optional<DialogState>{session->state} : std::nullopt, now));
  }
  return pages;
}

Message Engine::home(const Person& person, const std::optional<DialogState>& open, Instant now) {
  HomeFacts f;
  f.person = person;
  const std::string& zone = person.prefs.time_zone;
  f.plan = store_.plans().current(person.id, local_date(now, zone));
  f.goals = store_.goals().active_for(person.id);
  if (f.plan) f.achieved = store_.goals().achieved_in(person.id, f.plan->id);
  f.iso_week = iso_week(now, zone);
  f.this_week = store_.checkins().latest(person.id, f.iso_week);
  if (const auto entry = store_.schedule().find(std::string{kTimerCheckIn}, person.id)) f.next_checkin = entry->next_run_at;
  if (open) {
    std::string title = open->dialog;
    std::replace(title.begin(), title.end(), '_', ' ');
    f.open_dialog = title == "checkin" ? "check-in" : title;
  }
  for (const auto& report : store_.people().reports(person.id)) {
    const auto plan = store_.plans().current(report.id, local_date(now, report.prefs.time_zone));
    if (plan && plan->status == PlanStatus::submitted) ++f.reviews_waiting;
  }
  return home_page(f);
}

TeamPicture Engine::load_team(const Person& manager, Instant now) {
  TeamPicture team;
  for (int k = 3; k >= 0; --k) team.weeks.push_back(iso_week(now - std::chrono::days{7 * k}, manager.prefs.time_zone));
  const Instant week_ago = now - std::chrono::days{7};
  for (auto& report : store_.people().reports(manager.id)) {
    ReportPicture r;
    r.plan = store_.plans().current(report.id, local_date(now, report.prefs.time_zone));
    for (auto& checkin : store_.checkins().history(report.id)) {
      const bool recent_week = std::find(team.weeks.begin(), team.weeks.end(), checkin.iso_week) != team.weeks.end();
      if (recent_week && std::find(r.weeks_checked_in.begin(), r.weeks_checked_in.end(), checkin.iso_week) ==
                             r.weeks_checked_in.end())
        r.weeks_checked_in.push_back(checkin.iso_week);
      if (checkin.created_at >= week_ago && (!r.latest || r.latest->created_at <= checkin.created_at)) r.latest = checkin;
    }
    for (auto& a : store_.achievements().since(report.id, week_ago)) {
      const auto goal = a.goal ? store_.goals().find(*a.goal) : std::nullopt;
      r.achievement_goals.push_back(goal ? goal->statement : std::string{});
      r.achievements.push_back(std::move(a));
    }
    r.person = std::move(report);
    team.reports.push_back(std::move(r));
  }
  return team;
}

}  // namespace bot
