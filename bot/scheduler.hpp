#pragma once
// Fires the timers kept in the schedule table: each person's weekly check-in prompt, up
// to max_reminders reminders while it is unanswered, reflection follow-ups, plan review
// reminders and managers' weekly digests. A firing
// goes through the Engine as a timer Event whose platform event id names the occurrence
// ("timer:checkin:<person>:<week>"), so the prompt and its outbox rows commit in one
// transaction and an occurrence never fires twice, even when the process dies between
// firing and moving the timer on. After downtime, a prompt more than missed_window late
// is skipped rather than sent at night. Time comes from the injected Clock.
// Not thread-safe: run it on the thread that owns the Store and the Engine.
#include <chrono>
#include <optional>

#include "bot/clock.hpp"
#include "bot/engine.hpp"
#include "bot/recurrence.hpp"
#include "bot/repositories.hpp"

namespace bot {

struct SchedulerSettings {
  Calendars calendars;
  std::chrono::hours reminder_delay{24};
  int max_reminders = 2;
  std::chrono::hours missed_window{12};
  WeeklyRule digest{1, 9 * 60, {}};  // managers' digest weekday and local time
};

class Scheduler {
 public:
  Scheduler(Store& store, Engine& engine, const Clock& clock, SchedulerSettings settings);
  // Fires everything due by now; returns how many timers fired (duplicates included). A
  // timer that fails is logged and tried again an hour later, after the others.
  std::size_t run_due();
  // When the earliest timer is due, if any.
  std::optional<Instant> next_run();

 private:
  void fire(const ScheduleEntry& entry, Instant now);
  // Moves a timer that failed to fire out of the way of the others.
  void postpone(const ScheduleEntry& entry, Instant now);
  // Sends the timer event for the entry's person; false when they have no identity.
  bool send(const ScheduleEntry& entry, const std::string& occurrence_id, Instant now, int number = 0);

  Store& store_;
  Engine& engine_;
  const Clock& clock_;
  SchedulerSettings settings_;
};

}  // namespace bot
