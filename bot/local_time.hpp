#pragma once
// Calendar helpers over IANA time zones (the system tz database via date/tz). Pure
// functions; date's zone database is initialised once and is safe to share between
// threads after that.
#include <date/date.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "bot/clock.hpp"

namespace bot {

bool is_valid_time_zone(std::string_view name);

// What a person typed, as an IANA name: exact names, any letter case, spaces for
// underscores, or a city alone when exactly one zone ends with it ("berlin" ->
// "Europe/Berlin", "new york" -> "America/New_York").
std::optional<std::string> canonical_time_zone(std::string_view typed);

// The machine's zone, or "UTC" when it cannot be determined (containers often lack
// /etc/localtime).
std::string system_time_zone();

// ISO-8601 week ("2026-W48") of the instant as seen in the given zone.
std::string iso_week(Instant at, const std::string& time_zone);

// The calendar date ("2026-11-23") of the instant as seen in the given zone.
std::string local_date(Instant at, const std::string& time_zone);

// ISO-8601 week ("2026-W53") of a calendar date: 2027-01-01 is in 2026-W53.
std::string iso_week_of_local_date(date::year_month_day day);

// Exactly "YYYY-MM-DD" naming a real calendar day (config holidays, pause dates).
std::optional<date::year_month_day> parse_iso_date(std::string_view text);

// The day before `exclusive_end` ("2027-01-01" -> "2026-12-31"): a plan stores where its
// period stops, people read "to 2026-12-31" as including that day. Unchanged if no date.
std::string last_day_before(const std::string& exclusive_end);

// The wall-clock date and time of the instant as seen in the zone. Unknown zones throw
// std::runtime_error, as in iso_week.
date::local_time<std::chrono::milliseconds> to_local(Instant at, const std::string& time_zone);

// The instant a wall-clock time names in the zone. Clock changes make that a choice:
// a time inside a spring-forward gap does not exist and maps to the instant the clocks
// jump to (New York 2026-03-08 02:30 -> 03:00 EDT), so nothing scheduled in the gap is
// lost; a time repeated at fall-back maps to its first pass unless `later` is asked for.
enum class RepeatedTime { earlier, later };
Instant to_instant(date::local_time<std::chrono::milliseconds> local, const std::string& time_zone,
                   RepeatedTime pick = RepeatedTime::earlier);

// ISO weekday 1 = Monday .. 7 = Sunday.
std::optional<int> parse_weekday(std::string_view text);
std::string_view weekday_name(int iso_weekday);

// "9", "09:30", "9:30am", "2pm", "14h" -> minutes after midnight.
std::optional<int> parse_time_of_day(std::string_view text);
std::string format_time_of_day(int minutes_after_midnight);

}  // namespace bot
