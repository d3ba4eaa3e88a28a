#include "bot/local_time.hpp"

#include <date/iso_week.h>
#include <date/tz.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <filesystem>

#include "bot/text.hpp"

namespace bot {

bool is_valid_time_zone(std::string_view name) {
  if (name.empty()) return false;
  try {
    return date::locate_zone(name) != nullptr;
  } catch (const std::exception&) {
    return false;
  }
}

namespace {

// Names people type that the zone database does not have: big cities its zones are not
// named after, and the North American abbreviations, which people use for their
// region's clock (EST in summer too), not for the fixed offsets the database keeps
// under those names.
std::optional<std::string_view> zone_alias(std::string_view lowered) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 52> kAliases{{
      {"est", "America/New_York"},       {"edt", "America/New_York"},      {"et", "America/New_York"},
      {"eastern", "America/New_York"},   {"cst", "America/Chicago"},       {"cdt", "America/Chicago"},
      {"ct", "America/Chicago"},         {"central", "America/Chicago"},   {"mst", "America/Denver"},
      {"mdt", "America/Denver"},         {"mt", "America/Denver"},         {"mountain", "America/Denver"},
      {"pst", "America/Los_Angeles"},    {"pdt", "America/Los_Angeles"},   {"pt", "America/Los_Angeles"},
      {"pacific", "America/Los_Angeles"}, {"nyc", "America/New_York"},     {"new_york_city", "America/New_York"},
      {"boston", "America/New_York"},    {"washington", "America/New_York"}, {"atlanta", "America/New_York"},
      {"miami", "America/New_York"},     {"dallas", "America/Chicago"},    {"houston", "America/Chicago"},
      {"austin", "America/Chicago"},     {"seattle", "America/Los_Angeles"}, {"san_francisco", "America/Los_Angeles"},
      {"sf", "America/Los_Angeles"},     {"san_jose", "America/Los_Angeles"}, {"mumbai", "Asia/Kolkata"},
      {"bombay", "Asia/Kolkata"},        {"delhi", "Asia/Kolkata"},        {"new_delhi", "Asia/Kolkata"},
      {"bangalore", "Asia/Kolkata"},     {"bengaluru", "Asia/Kolkata"},    {"hyderabad", "Asia/Kolkata"},
      {"chennai", "Asia/Kolkata"},       {"pune", "Asia/Kolkata"},         {"munich", "Europe/Berlin"},
      {"frankfurt", "Europe/Berlin"},    {"hamburg", "Europe/Berlin"},     {"cologne", "Europe/Berlin"},
      {"geneva", "Europe/Zurich"},       {"milan", "Europe/Rome"},         {"barcelona", "Europe/Madrid"},
      {"manchester", "Europe/London"},   {"edinburgh", "Europe/London"},   {"beijing", "Asia/Shanghai"},
      {"shenzhen", "Asia/Shanghai"},     {"osaka", "Asia/Tokyo"},          {"tel_aviv", "Asia/Jerusalem"},
      {"rio_de_janeiro", "America/Sao_Paulo"},
  }};
  for (const auto& [name, zone] : kAliases)
    if (name == lowered) return zone;
  return std::nullopt;
}

// "Zürich" -> "Zurich", "São Paulo" -> "Sao Paulo": the database's names are ASCII.
std::string fold_latin_accents(std::string_view s) {
  static constexpr std::array<std::pair<std::string_view, char>, 24> kFolds{{
      {"\u00e0", 'a'}, {"\u00e1", 'a'}, {"\u00e2", 'a'}, {"\u00e3", 'a'}, {"\u00e4", 'a'}, {"\u00e5", 'a'},
      {"\u00e7", 'c'}, {"\u00e8", 'e'}, {"\u00e9", 'e'}, {"\u00ea", 'e'}, {"\u00eb", 'e'}, {"\u00ed", 'i'},
      {"\u00ee", 'i'}, {"\u00f1", 'n'}, {"\u00f3", 'o'}, {"\u00f4", 'o'}, {"\u00f5", 'o'}, {"\u00f6", 'o'},
      {"\u00fa", 'u'}, {"\u00fc", 'u'}, {"\u00c1", 'A'}, {"\u00c9", 'E'}, {"\u00d6", 'O'}, {"\u00dc", 'U'},
  }};
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    bool folded = false;
    for (const auto& [from, to] : kFolds) {
      if (s.substr(i).starts_with(from)) {
        out += to;
        i += from.size();
        folded = true;
        break;
      }
    }
    if (!folded) out += s[i++];
  }
  return out;
}

}  // namespace

namespace {

// "GMT+2", "UTC-5", "+3", "utc+05:00": a whole-hour offset, as the fixed zone that has
// it. The zone database names those the POSIX way round (Etc/GMT-2 is two hours ahead
// of UTC), so a suffix match would give the opposite of what was meant. Half-hour
// offsets have no such zone; a city names them.
std::optional<std::string> offset_zone(std::string_view t) {
  if (t.starts_with("utc") || t.starts_with("gmt")) t.remove_prefix(3);
  if (t.size() < 2 || (t[0] != '+' && t[0] != '-')) return std::nullopt;
  const char sign = t[0];
  t.remove_prefix(1);
  if (t.ends_with(":00")) t.remove_suffix(3);
  if (t.empty() || t.size() > 2 || !std::all_of(t.begin(), t.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
    return std::nullopt;
  const int hours = std::stoi(std::string{t});
  if (hours == 0) return std::string{"Etc/UTC"};
  if (hours > (sign == '+' ? 14 : 12)) return std::nullopt;
  return "Etc/GMT" + std::string{sign == '+' ? "-" : "+"} + std::to_string(hours);
}

}  // namespace

std::optional<std::string> canonical_time_zone(std::string_view typed) {
  std::string t = fold_latin_accents(trim(typed));
  std::replace(t.begin(), t.end(), ' ', '_');
  if (t.empty() || t.size() > 64) return std::nullopt;
  if (const auto alias = zone_alias(lower(t))) return std::string{*alias};
  std::string compact = lower(t);
  std::erase(compact, '_');
  if (const auto offset = offset_zone(compact)) return offset;
  if (is_valid_time_zone(t)) return t;
  const std::string want = lower(t);
  const bool has_region = want.find('/') != std::string::npos;
  std::optional<std::string> found;
  const auto consider = [&](std::string_view name) {
    const std::string n = lower(name);
    const bool match = has_region ? n == want : (n.size() > want.size() && n.ends_with("/" + want));
    if (!match) return true;
    if (!found) {
      found = std::string{name};
      return true;
    }
    // The OS database lists aliases (Asia/Istanbul for Europe/Istanbul) as zones of
    // their own: the same rules under two names are one answer, not two.
    std::error_code ec;
    const std::filesystem::path dir{"/usr/share/zoneinfo"};
    if (!std::filesystem::equivalent(dir / *found, dir / std::string{name}, ec) || ec) return false;  // ambiguous
    if (std::filesystem::is_symlink(dir / *found, ec)) found = std::string{name};  // prefer the real file
    return true;
  };
  // With the OS database (USE_OS_TZDB) links appear as zones of their own.
  const auto& db = date::get_tzdb();
  for (const auto& z : db.zones)
    if (!consider(z.name())) return std::nullopt;
  return found;
}

std::string system_time_zone() {
  // /etc/localtime links into the zoneinfo tree on Debian: its target names the zone
  // without loading the whole time zone database, which takes tens of milliseconds
  // that a starting service would rather not spend before it is connected.
  std::error_code ec;
  const auto target = std::filesystem::read_symlink("/etc/localtime", ec).string();
  if (const auto at = target.find("zoneinfo/"); !ec && at != std::string::npos) {
    const std::string name = target.substr(at + 9);
    if (!name.empty() && name.find("..") == std::string::npos &&
        std::filesystem::is_regular_file("/usr/share/zoneinfo/" + name, ec))
      return name;
  }
  try {
    return std::string{date::current_zone()->name()};
  } catch (const std::exception&) {
    return "UTC";
  }
}

std::string iso_week(Instant at, const std::string& time_zone) {
  const auto local = date::make_zoned(time_zone, at).get_local_time();
  return iso_week_of_local_date(date::year_month_day{date::floor<date::days>(local)});
}

std::string iso_week_of_local_date(date::year_month_day day) {
  const iso_week::year_weeknum_weekday ywd{day};
  const int year = static_cast<int>(ywd.year());
  const unsigned week = static_cast<unsigned>(ywd.weeknum());
  std::string out = std::to_string(year) + "-W";
  if (week < 10) out += '0';
  out += std::to_string(week);
  return out;
}

std::string local_date(Instant at, const std::string& time_zone) {
  const auto local = date::make_zoned(time_zone, at).get_local_time();
  return date::format("%F", date::floor<date::days>(local));
}

std::optional<date::year_month_day> parse_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  // from_chars alone accepts a leading '-' ("-026-06-05" would be year -26): every digit
  // position is checked so that a config typo fails instead of naming another day.
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (std::isdigit(static_cast<unsigned char>(text[i])) == 0) return std::nullopt;
  int y = 0;
  unsigned m = 0, d = 0;
  std::from_chars(text.data(), text.data() + 4, y);
  std::from_chars(text.data() + 5, text.data() + 7, m);
  std::from_chars(text.data() + 8, text.data() + 10, d);
  const date::year_month_day day{date::year{y}, date::month{m}, date::day{d}};
  if (!day.ok()) return std::nullopt;
  return day;
}

date::local_time<std::chrono::milliseconds> to_local(Instant at, const std::string& time_zone) {
  return date::locate_zone(time_zone)->to_local(at);
}

Instant to_instant(date::local_time<std::chrono::milliseconds> local, const std::string& time_zone,
                   RepeatedTime pick) {
  // date's choose overloads never throw: a nonexistent time yields the end of the gap
  // (the transition instant), an ambiguous one the requested pass.
  const auto choice = pick == RepeatedTime::earlier ? date::choose::earliest : date::choose::latest;
  return date::locate_zone(time_zone)->to_sys(local, choice);
}

namespace {
constexpr std::array<std::string_view, 7> kWeekdays{"Monday", "Tuesday", "Wednesday", "Thursday",
                                                     "Friday", "Saturday", "Sunday"};
}

std::optional<int> parse_weekday(std::string_view text) {
  const std::string t = lower(trim(text));
  if (t.size() < 2) return std::nullopt;
  for (std::size_t i = 0; i < kWeekdays.size(); ++i) {
    const std::string name = lower(kWeekdays[i]);
    if (name.starts_with(t)) return static_cast<int>(i) + 1;  // "mo", "tue", "thurs", "friday"
  }
  return std::nullopt;
}

std::string_view weekday_name(int iso_weekday) {
  if (iso_weekday < 1 || iso_weekday > 7) return "?";
  return kWeekdays[static_cast<std::size_t>(iso_weekday - 1)];
}

std::optional<int> parse_time_of_day(std::string_view text) {
  std::string t = lower(trim(text));
  std::erase(t, ' ');
  int offset = 0;
  bool twelve_hour = false;
  if (t.ends_with("am") || t.ends_with("pm")) {
    twelve_hour = true;
    if (t.ends_with("pm")) offset = 12;
    t.resize(t.size() - 2);
  } else if (t.ends_with('h')) {
    t.pop_back();
  }
  int hours = 0, minutes = 0;
  const char* p = t.data();
  const char* end = t.data() + t.size();
  auto r = std::from_chars(p, end, hours);
  if (r.ec != std::errc{} || r.ptr == p || r.ptr - p > 2) return std::nullopt;
  p = r.ptr;
  if (p != end) {
    if (*p != ':' && *p != '.') return std::nullopt;
    ++p;
    auto m = std::from_chars(p, end, minutes);
    if (m.ec != std::errc{} || m.ptr - p != 2 || m.ptr != end) return std::nullopt;
  }
  if (twelve_hour) {
    if (hours < 1 || hours > 12) return std::nullopt;
    hours = hours % 12 + offset;
  }
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return std::nullopt;
  return hours * 60 + minutes;
}

std::string format_time_of_day(int m) {
  std::string out;
  const int h = m / 60, mm = m % 60;
  if (h < 10) out += '0';
  out += std::to_string(h) + ':';
  if (mm < 10) out += '0';
  out += std::to_string(mm);
  return out;
}

std::string last_day_before(const std::string& exclusive_end) {
  const auto end = parse_iso_date(exclusive_end);
  if (!end) return exclusive_end;
  return date::format("%F", date::sys_days{*end} - date::days{1});
}

}  // namespace bot
