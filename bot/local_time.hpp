#pragma once
// Calendar helpers over IANA time zones (the system tz database via date/tz). Pure
// functions; date's zone database is initialised once and is safe to share between
// threads after that.
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

// ISO weekday 1 = Monday .. 7 = Sunday.
std::optional<int> parse_weekday(std::string_view text);
std::string_view weekday_name(int iso_weekday);

// "9", "09:30", "9:30am", "2pm", "14h" -> minutes after midnight.
std::optional<int> parse_time_of_day(std::string_view text);
std::string format_time_of_day(int minutes_after_midnight);

}  // namespace bot
