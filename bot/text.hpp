#pragma once
// Small text helpers shared by dialogs and adapters. Pure; thread-safe.
#include <string>
#include <string_view>
#include <vector>

namespace bot {

std::string_view trim(std::string_view s);
std::string_view trim_right(std::string_view s);
bool is_blank(std::string_view s);  // empty, or whitespace only
// s without a leading UTF-8 byte order mark, which spreadsheet exports often start with.
std::string_view strip_bom(std::string_view s);
std::string lower(std::string_view s);  // ASCII only: commands and keywords are ASCII
// Whether an HTTP Content-Type names `type` (given in lower case): case-insensitive,
// parameters such as "; charset=utf-8" ignored, "application/jsonx" not a match.
bool media_type_is(std::string_view content_type, std::string_view type);
bool is_valid_utf8(std::string_view s);
// Every invalid byte replaced by U+FFFD: nlohmann::json refuses to serialise invalid
// UTF-8, so one stray byte in a stored text would otherwise fail a whole send.
std::string sanitize_utf8(std::string_view s);
// What people typed, without the control characters a chat client never shows: NUL and
// the other C0 controls and DEL go; tabs stay, and line ends become "\n".
std::string strip_controls(std::string_view s);

// A form's numbers and dates as the platforms send and show them: "5", not "5.0";
// a whole string that is a finite number; "YYYY-MM-DD" by its shape alone.
std::string format_number(double v);
bool parse_number(std::string_view s, double& out);
bool is_iso_date(std::string_view s);
// Levenshtein distance, for "did you mean" suggestions on unknown commands.
std::size_t edit_distance(std::string_view a, std::string_view b);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
// "[######----] 60%": ten cells, a cell per full ten percent; clamped to 0..100.
std::string progress_bar(int percent);
// 240 -> "4h", 90 -> "1h 30min".
std::string format_hours(int minutes);
// At most max_bytes of s, cut on a character boundary (s must be valid UTF-8).
std::string truncate_utf8(std::string_view s, std::size_t max_bytes);
// A chat handle as typed ("@Bob.Smith") in canonical form ("bob.smith"); empty when it
// is not a usable handle (letters, digits, '.', '_', '-'; at most 64).
std::string normalise_handle(std::string_view typed);
// The user id of a Slack mention typed alone ("<@U0BOB>", "<@W0BOB|bob>"), as Slack
// sends an @-mention in message text; empty for anything else. Ids keep their case:
// they are the person's identity on the platform.
std::string mentioned_user(std::string_view typed);

}  // namespace bot
