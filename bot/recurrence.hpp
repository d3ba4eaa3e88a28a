#pragma once
// Scheduling math for check-ins and reminders: when a weekly rule fires in a person's
// IANA zone, how working days, holidays, a pause and the sending window move it, and
// what "N working days later" means. Pure functions of their arguments (no clock reads,
// no I/O), so the scheduler decides what "now" is and tests need no sleeping; safe to
// call from any thread once date's zone database is loaded. Unknown zones throw
// std::runtime_error; an impossible rule or calendar (weekday 9, no working day at all)
// throws std::invalid_argument: both are bad config, not expected outcomes.
#include <optional>
#include <map>
#include <set>
#include <string>

#include "bot/clock.hpp"

namespace bot {

// The local hours in which messages may go out: [from, until) in minutes after
// midnight; from == until means any time, from > until wraps past midnight.
struct SendingWindow {
  int from_minute = 0;
  int until_minute = 0;
  bool contains(int minute_of_day) const {
    if (from_minute == until_minute) return true;
    if (from_minute < until_minute) return minute_of_day >= from_minute && minute_of_day < until_minute;
    return minute_of_day >= from_minute || minute_of_day < until_minute;
  }
  // "between 08:00 and 19:59" (both allowed), for the people told why a time is refused.
  std::string describe() const;
};

// When messages may reach a person, in their own zone.
struct WorkCalendar {
  std::set<int> working_days{1, 2, 3, 4, 5};  // ISO weekdays, 1 = Monday
  std::set<std::string> holidays;              // ISO dates "YYYY-MM-DD" (the person's region)
  // Allowed sending window in local minutes after midnight: messages go out only in
  // [window_start, window_end). Default 08:00-20:00. If start == end: no restriction.
  // start > end wraps past midnight (22:00-06:00); each part belongs to its own date's
  // working-day check.
  int window_start_minute = 8 * 60;
  int window_end_minute = 20 * 60;
  SendingWindow window() const { return {window_start_minute, window_end_minute}; }
};

// The company calendar with holidays per region: a person's calendar is the base plus
// the holidays of their region (the directory import sets regions).
struct Calendars {
  WorkCalendar base;
  std::map<std::string, std::set<std::string>> regional_holidays;
  WorkCalendar of(const std::optional<std::string>& region) const;
};

struct WeeklyRule {
  int weekday = 1;        // ISO
  int minute = 9 * 60;    // local minutes after midnight
  std::string time_zone;  // IANA
};

struct Occurrence {
  Instant at;       // when to fire (UTC)
  std::string key;  // the occurrence key: ISO week "2026-W53" of the nominal local date
};

// The first weekly check-in whose firing instant is strictly after `after`: the rule's
// weekday at the rule's local time, DST-correct (nonexistent local time -> the instant
// the clocks jump to; ambiguous -> the earlier of the two instants, once). The rule's
// weekday counts as a working day for this rule even when the calendar leaves it out (a
// person may choose Saturday). If that day is a holiday, it moves to the next working,
// non-holiday day of the SAME ISO week at the same local time; if none is left in that
// week, the week is skipped. Weeks whose nominal date is on or before `paused_until` (ISO
// date, inclusive) are skipped. The result is then moved into the sending window as by
// next_allowed() (with the rule's weekday allowed), which may carry it into a later
// week; the key stays the ISO week of the nominal date. Firing instants never decrease
// from one week to the next, so feeding back the last `at` walks the occurrences in
// order, each once. A person who changes zone keeps the same local time in the new zone;
// the same key may then come back, and deduplicating on it is the caller's job.
Occurrence next_weekly(const WeeklyRule& rule, const WorkCalendar& calendar,
                       const std::optional<std::string>& paused_until, Instant after);

// The earliest instant >= at that is inside the sending window on a working, non-holiday
// day in `time_zone`.
Instant next_allowed(Instant at, const std::string& time_zone, const WorkCalendar& calendar);

// `days` working days after `from` (same local time of day, skipping non-working days and
// holidays), then next_allowed(). Used for review reminders after 2 and 5 working days.
Instant add_working_days(Instant from, int days, const std::string& time_zone, const WorkCalendar& calendar);

}  // namespace bot
