#include "bot/recurrence.hpp"

#include <date/date.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <set>
#include <stdexcept>
#include <utility>

#include "bot/local_time.hpp"

namespace bot {

WorkCalendar Calendars::of(const std::optional<std::string>& region) const {
  WorkCalendar c = base;
  if (!region) return c;
  if (const auto it = regional_holidays.find(*region); it != regional_holidays.end())
    c.holidays.insert(it->second.begin(), it->second.end());
  return c;
}

namespace {

using date::local_days;
using Local = date::local_time<std::chrono::milliseconds>;

constexpr int kMinutesPerDay = 24 * 60;
// Searches are bounded so that a calendar with no usable day fails loudly instead of
// looping: two years covers any real run of holidays, and a deferral longer than a year
// (looking back for a late-fired week) would need a year without a working day.
constexpr int kMaxDaysScanned = 2 * 366;
constexpr int kMaxWeeksBack = 53;
constexpr int kMaxWeeksAhead = 2 * 53;

unsigned iso_weekday(local_days d) { return date::weekday{d}.iso_encoding(); }

local_days monday_of(local_days d) { return d - date::days{static_cast<int>(iso_weekday(d)) - 1}; }

int minute_of_day(Local local, local_days day) {
  return static_cast<int>(date::floor<std::chrono::minutes>(local - day).count());
}

// A WorkCalendar checked and with its holidays parsed once per call, so that a typo in
// config surfaces as an error instead of a holiday that silently never matches.
class Allowed {
 public:
  explicit Allowed(const WorkCalendar& c) : start_(c.window_start_minute), end_(c.window_end_minute) {
    if (start_ < 0 || start_ > kMinutesPerDay || end_ < 0 || end_ > kMinutesPerDay)
      throw std::invalid_argument("sending window minutes must be within 0..1440");
    if (c.working_days.empty()) throw std::invalid_argument("the calendar has no working day");
    for (const int d : c.working_days) {
      if (d < 1 || d > 7) throw std::invalid_argument("working day " + std::to_string(d) + " is not an ISO weekday");
      working_[static_cast<std::size_t>(d)] = true;
    }
    for (const auto& h : c.holidays) {
      const auto day = parse_iso_date(h);
      if (!day) throw std::invalid_argument("holiday \"" + h + "\" is not a YYYY-MM-DD date");
      holidays_.insert(local_days{*day});
    }
  }

  bool day_allowed(local_days d) const { return working_[iso_weekday(d)] && !holidays_.contains(d); }

  bool in_window(int minute) const { return SendingWindow{start_, end_}.contains(minute); }

  // The window's next opening later on the same day, for a minute outside the window.
  std::optional<int> opening_after(int minute) const {
    if (start_ != end_ && minute < start_) return start_;
    return std::nullopt;
  }

  // The first minute of an allowed day on which a message may go out.
  int first_open_minute() const {
    if (start_ == end_) return 0;
    if (start_ > end_ && end_ > 0) return 0;  // the wrapped window's morning part
    return start_;
  }

  // The first allowed day strictly after d.
  local_days next_day(local_days d) const {
    for (int i = 1; i <= kMaxDaysScanned; ++i) {
      const local_days next = d + date::days{i};
      if (day_allowed(next)) return next;
    }
    throw std::invalid_argument("no working, non-holiday day within two years");
  }

 private:
  int start_;
  int end_;
  std::array<bool, 8> working_{};  // indexed by ISO weekday; [0] unused
  std::set<local_days> holidays_;
};

Instant allowed_from(Instant at, const std::string& time_zone, const Allowed& allowed) {
  Instant t = at;
  // Each round either returns or moves t to a later opening: later today, or the next
  // allowed day. Re-checking the landing instant matters when the opening itself falls
  // into a DST gap and the jump carries it past the window's end.
  for (int round = 0; round <= kMaxDaysScanned; ++round) {
    const Local local = to_local(t, time_zone);
    const local_days day = date::floor<date::days>(local);
    const int minute = minute_of_day(local, day);
    const bool day_ok = allowed.day_allowed(day);
    if (day_ok && allowed.in_window(minute)) return t;
    const std::optional<int> later_today = day_ok ? allowed.opening_after(minute) : std::nullopt;
    const Local target = later_today ? day + std::chrono::minutes{*later_today}
                                     : allowed.next_day(day) + std::chrono::minutes{allowed.first_open_minute()};
    Instant next = to_instant(target, time_zone);
    // An opening inside the repeated fall-back hour whose first pass is already behind
    // t is reached on the second pass.
    if (next <= t) next = to_instant(target, time_zone, RepeatedTime::later);
    t = next;
  }
  throw std::invalid_argument("no allowed sending moment within two years");
}

void check_rule(const WeeklyRule& rule) {
  if (rule.weekday < 1 || rule.weekday > 7)
    throw std::invalid_argument("weekly rule weekday " + std::to_string(rule.weekday) + " is not an ISO weekday");
  if (rule.minute < 0 || rule.minute >= kMinutesPerDay)
    throw std::invalid_argument("weekly rule minute " + std::to_string(rule.minute) + " is not a time of day");
}

}  // namespace

std::string SendingWindow::describe() const {
  if (from_minute == until_minute) return "at any time";
  // The last minute allowed, not `until`: "08:00 and 20:00" would leave 20:00 in doubt.
  return "between " + format_time_of_day(from_minute) + " and " +
         format_time_of_day((until_minute + kMinutesPerDay - 1) % kMinutesPerDay);
}

Occurrence next_weekly(const WeeklyRule& rule, const WorkCalendar& calendar,
                       const std::optional<std::string>& paused_until, Instant after) {
  check_rule(rule);
  // The rule's own weekday is a day it may fire on even when the calendar does not list
  // it: people are told that Saturday and Sunday work if they type them, and a chosen
  // day that only ever slid into a next week that never comes would never fire at all.
  WorkCalendar rule_calendar = calendar;
  rule_calendar.working_days.insert(rule.weekday);
  const Allowed allowed{rule_calendar};
  std::optional<local_days> pause;
  if (paused_until) {
    const auto day = parse_iso_date(*paused_until);
    if (!day) throw std::invalid_argument("pause date \"" + *paused_until + "\" is not a YYYY-MM-DD date");
    pause = local_days{*day};
  }
  const auto nominal = [&](local_days monday) { return monday + date::days{rule.weekday - 1}; };
  const auto paused = [&](local_days monday) { return pause && nominal(monday) <= *pause; };

  // The occurrence of the ISO week starting at `monday`, or nothing when the week is
  // paused or has no working, non-holiday day left from the rule's weekday on.
  const auto occurrence = [&](local_days monday) -> std::optional<Occurrence> {
    if (paused(monday)) return std::nullopt;
    local_days day = nominal(monday);
    while (!allowed.day_allowed(day)) {
      day += date::days{1};
      if (day >= monday + date::weeks{1}) return std::nullopt;
    }
    Occurrence o;
    o.at = allowed_from(to_instant(day + std::chrono::minutes{rule.minute}, rule.time_zone), rule.time_zone, allowed);
    o.key = iso_week_of_local_date(date::year_month_day{nominal(monday)});
    return o;
  };

  const local_days this_week = monday_of(date::floor<date::days>(to_local(after, rule.time_zone)));
  // An earlier week can still be due: a rule at 21:00 on Friday fires at Monday's
  // window opening, a week later in ISO terms. Firing instants never decrease week by
  // week, so walking back stops at the first week that fired at or before `after`.
  local_days first = this_week;
  for (int k = 1; k <= kMaxWeeksBack; ++k) {
    const local_days monday = this_week - date::weeks{k};
    if (paused(monday)) break;  // and so is every week before it
    const auto o = occurrence(monday);
    if (!o) continue;
    if (o->at <= after) break;
    first = monday;
  }
  if (pause) first = std::max(first, monday_of(*pause));  // a long pause costs no scanning
  for (int k = 0; k <= kMaxWeeksAhead; ++k) {
    auto o = occurrence(first + date::weeks{k});
    if (o && o->at > after) return std::move(*o);
  }
  throw std::invalid_argument("no week within two years has a working, non-holiday day for the weekly rule");
}

Instant next_allowed(Instant at, const std::string& time_zone, const WorkCalendar& calendar) {
  return allowed_from(at, time_zone, Allowed{calendar});
}

Instant add_working_days(Instant from, int days, const std::string& time_zone, const WorkCalendar& calendar) {
  if (days < 0) throw std::invalid_argument("add_working_days counts forward only");
  const Allowed allowed{calendar};
  if (days == 0) return allowed_from(from, time_zone, allowed);
  const Local local = to_local(from, time_zone);
  local_days day = date::floor<date::days>(local);
  const auto time_of_day = local - day;
  for (int i = 0; i < days; ++i) day = allowed.next_day(day);
  return allowed_from(to_instant(day + time_of_day, time_zone), time_zone, allowed);
}

}  // namespace bot
