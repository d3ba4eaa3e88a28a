#include "bot/scheduler.hpp"

#include <set>
#include <string>
#include <utility>

#include <spdlog/spdlog.h>

namespace bot {

namespace {
constexpr std::size_t kBatch = 100;
// A timer that failed to fire is tried again this much later: soon enough that a
// passing fault costs a prompt an hour, rare enough that a row that always fails
// fills the log with one line an hour, not one a minute.
constexpr std::chrono::hours kRetryAfter{1};
}  // namespace

Scheduler::Scheduler(Store& store, Engine& engine, const Clock& clock, SchedulerSettings settings)
    : store_(store), engine_(engine), clock_(clock), settings_(std::move(settings)) {}

std::optional<Instant> Scheduler::next_run() {
  auto tx = store_.begin();
  auto next = store_.schedule().next_run();
  tx->commit();
  return next;
}

std::size_t Scheduler::run_due() {
  std::size_t fired = 0;
  // Timers that failed in this call: each is tried once per call, so a row that fails
  // again after being postponed (the clock is far ahead of it) cannot spin the loop.
  std::set<std::pair<std::string, std::int64_t>> failed;
  while (true) {
    const Instant now = clock_.now();
    std::vector<ScheduleEntry> due;
    {
      auto tx = store_.begin();
      due = store_.schedule().due(now, kBatch + failed.size());
      tx->commit();
    }
    std::erase_if(due, [&](const ScheduleEntry& e) { return failed.contains({e.kind, e.person.value}); });
    if (due.empty()) return fired;
    for (const auto& entry : due) {
      try {
        fire(entry, now);
        ++fired;
      } catch (const std::exception& e) {
        // One person's broken timer (a zone the database no longer knows, a rule the
        // calendar cannot place) must not hold back everyone due after it.
        spdlog::error("scheduler: {} for person {} failed: {}; trying again in {} h", entry.kind, entry.person.value,
                      e.what(), kRetryAfter.count());
        failed.insert({entry.kind, entry.person.value});
        postpone(entry, now);
      }
    }
  }
}

void Scheduler::postpone(const ScheduleEntry& entry, Instant now) {
  auto tx = store_.begin();
  // What fire() committed before failing wins: only the row as it was is moved.
  if (auto current = store_.schedule().find(entry.kind, entry.person);
      current && current->next_run_at == entry.next_run_at && current->occurrence == entry.occurrence) {
    current->next_run_at = now + kRetryAfter;
    store_.schedule().put(*current, now);
  }
  tx->commit();
}

bool Scheduler::send(const ScheduleEntry& entry, const std::string& occurrence_id, Instant now, int number) {
  std::vector<Identity> identities;
  {
    auto tx = store_.begin();
    identities = store_.people().identities(entry.person);
    tx->commit();
  }
  if (identities.empty()) return false;
  Event e;
  e.from = identities.front();
  e.kind = EventKind::timer;
  e.action = entry.kind;
  e.value = entry.occurrence;
  if (number > 0) e.text = std::to_string(number);
  e.platform_event_id = "timer:" + entry.kind + ":" + std::to_string(entry.person.value) + ":" + occurrence_id;
  e.received_at = now;
  const auto r = engine_.handle(e);
  if (r.status == Handled::duplicate) spdlog::info("scheduler: {} for person {} had fired already", entry.kind, entry.person.value);
  return true;
}

void Scheduler::fire(const ScheduleEntry& entry, Instant now) {
  std::optional<Person> person;
  {
    auto tx = store_.begin();
    person = store_.people().find(entry.person);
    tx->commit();
  }
  if (!person) return;  // erased: the row went with them

  if (entry.kind == kTimerCheckIn) {
    const bool late = now - entry.next_run_at > settings_.missed_window;
    bool sent = false;
    if (late) {
      spdlog::warn("scheduler: check-in {} for person {} is {} min late; skipped", entry.occurrence, entry.person.value,
                   std::chrono::duration_cast<std::chrono::minutes>(now - entry.next_run_at).count());
    } else {
      sent = send(entry, entry.occurrence, now);
    }
    auto tx = store_.begin();
    // Move on from the occurrence just handled (never back to it, even if the clock
    // is behind the row).
    ScheduleEntry next = checkin_entry(*person, settings_.calendars.of(person->region), std::max(now, entry.next_run_at));
    store_.schedule().put(next, now);
    const bool answered = store_.checkins().latest(person->id, entry.occurrence).has_value();
    if (sent && !answered && settings_.max_reminders > 0) {
      ScheduleEntry reminder;
      reminder.kind = std::string{kTimerReminder};
      reminder.person = person->id;
      reminder.rule = "check-in reminder";
      reminder.occurrence = entry.occurrence;
      reminder.next_run_at = next_allowed(now + settings_.reminder_delay, person->prefs.time_zone, settings_.calendars.of(person->region));
      store_.schedule().put(reminder, now);
    }
    tx->commit();
    return;
  }

  if (entry.kind == kTimerReminder || entry.kind == kTimerReviewReminder) {
    // Numbered reminders: each has its own occurrence id, and after the last one the
    // timer is gone (an unanswered week counts as missed; a review is not nagged about).
    const bool review = entry.kind == kTimerReviewReminder;
    const int number = entry.count + 1;
    send(entry, entry.occurrence + ":" + std::to_string(number), now, number);
    auto tx = store_.begin();
    if (number < (review ? 2 : settings_.max_reminders)) {
      ScheduleEntry again = entry;
      again.count = number;
      if (review) {
        // The second comes 5 working days after the submission (3 after the first), in
        // the manager's zone.
        const auto manager = person->manager ? store_.people().find(*person->manager) : std::nullopt;
        again.next_run_at =
            add_working_days(now, 3, manager ? manager->prefs.time_zone : person->prefs.time_zone,
                             settings_.calendars.of(manager ? manager->region : person->region));
      } else {
        again.next_run_at = next_allowed(now + settings_.reminder_delay, person->prefs.time_zone, settings_.calendars.of(person->region));
      }
      store_.schedule().put(again, now);
    } else {
      store_.schedule().remove(entry.kind, entry.person);
    }
    tx->commit();
    return;
  }

  if (entry.kind == kTimerDigest) {
    send(entry, entry.occurrence, now);
    auto tx = store_.begin();
    store_.schedule().put(digest_entry(*person, settings_.digest, settings_.calendars.of(person->region), std::max(now, entry.next_run_at)),
                          now);
    tx->commit();
    return;
  }

  if (entry.kind == kTimerFollowUp) {
    send(entry, std::to_string(to_unix_ms(entry.next_run_at)), now);
    auto tx = store_.begin();
    const auto due = store_.reflections().next_follow_up_at(person->id);
    if (!due) {
      store_.schedule().remove(entry.kind, entry.person);
    } else {
      // Still due means the person was busy in a dialog: try again the next day.
      ScheduleEntry again = entry;
      again.next_run_at =
          next_allowed(*due > now ? *due : now + std::chrono::hours{24}, person->prefs.time_zone, settings_.calendars.of(person->region));
      store_.schedule().put(again, now);
    }
    tx->commit();
    return;
  }

  spdlog::error("scheduler: unknown timer kind {}; removed", entry.kind);
  auto tx = store_.begin();
  store_.schedule().remove(entry.kind, entry.person);
  tx->commit();
}

}  // namespace bot
