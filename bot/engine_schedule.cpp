// What an event's effects change in the schedule: the weekly check-in prompt, a
// manager's digest, reminders for plans waiting for review and reflection follow-ups.
// Runs inside the event's transaction, so a timer and the change that set it commit
// together.
#include <algorithm>
#include <stdexcept>
#include <string>

#include "bot/engine.hpp"

namespace bot {

void Engine::sync_schedule(const Person& person, const std::vector<Effect>& effects) {
  const Instant now = clock_.now();
  auto& schedule = store_.schedule();
  keep_recurring_timers(store_, person, settings_.calendars, settings_.digest, now);
  for (const auto& effect : effects) {
    if (std::holds_alternative<RecordCheckIn>(effect)) schedule.remove(std::string{kTimerReminder}, person.id);
    if (const auto* snooze = std::get_if<SnoozeReview>(&effect)) {
      const auto plan = store_.plans().find(snooze->plan);
      const auto owner = plan ? store_.people().find(plan->person) : std::nullopt;
      if (!owner || owner->manager != person.id) throw std::logic_error("snooze: not the manager of the plan's owner");
      if (auto entry = schedule.find(std::string{kTimerReviewReminder}, owner->id)) {
        entry->next_run_at = std::max(entry->next_run_at, now + std::chrono::hours{24});
        schedule.put(*entry, now);
      }
    }
    // A plan sent for review: the manager is reminded after 2 and 5 working days in
    // their own zone, unless it is decided (or changed) first.
    if (const auto* submit = std::get_if<SubmitPlan>(&effect); submit && person.manager) {
      const auto manager = store_.people().find(*person.manager);
      const std::string zone = manager ? manager->prefs.time_zone : person.prefs.time_zone;
      ScheduleEntry e;
      e.kind = std::string{kTimerReviewReminder};
      e.person = person.id;
      e.rule = "plan review reminder after 2 and 5 working days";
      // Each submission is its own occurrence, so a resubmitted plan is reminded again.
      e.occurrence = "plan:" + std::to_string(submit->plan.value) + ":" + std::to_string(to_unix_ms(now));
      e.next_run_at = add_working_days(now, 2, zone, settings_.calendars.of(manager ? manager->region : person.region));
      schedule.put(e, now);
    }
    if (std::holds_alternative<SavePlan>(effect)) schedule.remove(std::string{kTimerReviewReminder}, person.id);
    if (const auto* decide = std::get_if<DecidePlan>(&effect)) {
      if (const auto plan = store_.plans().find(decide->plan)) schedule.remove(std::string{kTimerReviewReminder}, plan->person);
    }
    if (std::holds_alternative<RecordReflection>(effect)) {
      const auto due = store_.reflections().next_follow_up_at(person.id);
      const auto existing = schedule.find(std::string{kTimerFollowUp}, person.id);
      if (due && (!existing || existing->next_run_at > *due)) {
        ScheduleEntry e;
        e.kind = std::string{kTimerFollowUp};
        e.person = person.id;
        e.rule = "reflection follow-up";
        e.next_run_at = next_allowed(*due, person.prefs.time_zone, settings_.calendars.of(person.region));
        schedule.put(e, now);
      }
    }
  }
}

}  // namespace bot
