// Calendar helpers: time zone names, ISO weeks as seen in a zone, weekdays and times of day.
#include <catch2/catch.hpp>

#include <chrono>
#include <optional>
#include <string>

#include "bot/local_time.hpp"

namespace {

// An instant given as UTC calendar date and time of day.
bot::Instant utc(int y, unsigned m, unsigned d, int hh = 12, int mm = 0) {
  const auto day = std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
  return bot::Instant{day + std::chrono::hours{hh} + std::chrono::minutes{mm}};
}

}  // namespace

TEST_CASE("is_valid_time_zone accepts IANA names and rejects anything else", "[local_time]") {
  CHECK(bot::is_valid_time_zone("Europe/Berlin"));
  CHECK(bot::is_valid_time_zone("America/New_York"));
  CHECK(bot::is_valid_time_zone("UTC"));
  CHECK_FALSE(bot::is_valid_time_zone("Mars/Olympus"));
  CHECK_FALSE(bot::is_valid_time_zone(""));
  CHECK_FALSE(bot::is_valid_time_zone("Berlin"));
}

TEST_CASE("canonical_time_zone reads an offset from UTC the way people mean it", "[local_time]") {
  using Z = std::optional<std::string>;
  // The database's Etc/GMT-2 is two hours ahead of UTC: the POSIX sign is inverted.
  CHECK(bot::canonical_time_zone("GMT+2") == Z{"Etc/GMT-2"});
  CHECK(bot::canonical_time_zone("UTC -5") == Z{"Etc/GMT+5"});
  CHECK(bot::canonical_time_zone("utc+05:00") == Z{"Etc/GMT-5"});
  CHECK(bot::canonical_time_zone("+3") == Z{"Etc/GMT-3"});
  CHECK(bot::canonical_time_zone("GMT+0") == Z{"Etc/UTC"});
  CHECK(bot::canonical_time_zone("Etc/GMT+2") == Z{"Etc/GMT+2"});  // typed the database's way: taken as is
  CHECK_FALSE(bot::canonical_time_zone("UTC+5:30"));  // no fixed zone: a city names it
  CHECK_FALSE(bot::canonical_time_zone("GMT+15"));
}

TEST_CASE("canonical_time_zone turns what a person typed into an IANA name", "[local_time]") {
  SECTION("an exact name is kept") {
    CHECK(bot::canonical_time_zone("Europe/Berlin") == std::optional<std::string>{"Europe/Berlin"});
    CHECK(bot::canonical_time_zone("  Asia/Tokyo ") == std::optional<std::string>{"Asia/Tokyo"});
  }
  SECTION("letter case does not matter") {
    CHECK(bot::canonical_time_zone("europe/berlin") == std::optional<std::string>{"Europe/Berlin"});
    CHECK(bot::canonical_time_zone("AMERICA/NEW_YORK") == std::optional<std::string>{"America/New_York"});
  }
  SECTION("spaces stand for underscores") {
    CHECK(bot::canonical_time_zone("America/New York") == std::optional<std::string>{"America/New_York"});
  }
  SECTION("a city alone is enough when only one zone has it") {
    CHECK(bot::canonical_time_zone("berlin") == std::optional<std::string>{"Europe/Berlin"});
    CHECK(bot::canonical_time_zone("Berlin") == std::optional<std::string>{"Europe/Berlin"});
    CHECK(bot::canonical_time_zone("new york") == std::optional<std::string>{"America/New_York"});
    CHECK(bot::canonical_time_zone("tokyo") == std::optional<std::string>{"Asia/Tokyo"});
  }
  SECTION("big cities the database has no zone for, and accents, are understood") {
    CHECK(bot::canonical_time_zone("San Francisco") == std::optional<std::string>{"America/Los_Angeles"});
    CHECK(bot::canonical_time_zone("Mumbai") == std::optional<std::string>{"Asia/Kolkata"});
    CHECK(bot::canonical_time_zone("Bangalore") == std::optional<std::string>{"Asia/Kolkata"});
    CHECK(bot::canonical_time_zone("New York City") == std::optional<std::string>{"America/New_York"});
    CHECK(bot::canonical_time_zone("Z\u00fcrich") == std::optional<std::string>{"Europe/Zurich"});
    CHECK(bot::canonical_time_zone("S\u00e3o Paulo") == std::optional<std::string>{"America/Sao_Paulo"});
  }
  SECTION("US abbreviations mean the region's clock, daylight saving included") {
    CHECK(bot::canonical_time_zone("EST") == std::optional<std::string>{"America/New_York"});
    CHECK(bot::canonical_time_zone("pst") == std::optional<std::string>{"America/Los_Angeles"});
    CHECK(bot::canonical_time_zone("CDT") == std::optional<std::string>{"America/Chicago"});
  }
  SECTION("unknown places and empty input give nothing") {
    CHECK_FALSE(bot::canonical_time_zone("Mars/Olympus").has_value());
    CHECK_FALSE(bot::canonical_time_zone("Olympus").has_value());
    CHECK_FALSE(bot::canonical_time_zone("").has_value());
    CHECK_FALSE(bot::canonical_time_zone("   ").has_value());
  }
}

TEST_CASE("iso_week names the ISO-8601 week of an instant", "[local_time][iso_week]") {
  SECTION("an ordinary mid-year week") {
    CHECK(bot::iso_week(utc(2026, 6, 15), "UTC") == "2026-W25");
  }
  SECTION("single-digit weeks are zero padded") {
    CHECK(bot::iso_week(utc(2026, 1, 5), "UTC") == "2026-W02");
  }
  SECTION("2026 has 53 weeks, so its last day is in week 53") {
    CHECK(bot::iso_week(utc(2026, 12, 28), "UTC") == "2026-W53");
    CHECK(bot::iso_week(utc(2026, 12, 31), "UTC") == "2026-W53");
  }
  SECTION("the first days of 2027 still belong to 2026-W53") {
    CHECK(bot::iso_week(utc(2027, 1, 1), "UTC") == "2026-W53");
    CHECK(bot::iso_week(utc(2027, 1, 3), "UTC") == "2026-W53");
    CHECK(bot::iso_week(utc(2027, 1, 4), "UTC") == "2027-W01");
  }
  SECTION("the last days of a December can belong to week 1 of the next year") {
    // 2025-12-29 is a Monday and the week holds Thursday 2026-01-01.
    CHECK(bot::iso_week(utc(2025, 12, 29), "UTC") == "2026-W01");
    CHECK(bot::iso_week(utc(2025, 12, 28), "UTC") == "2025-W52");
  }
}

TEST_CASE("iso_week depends on the zone the instant is seen in", "[local_time][iso_week]") {
  // Sunday 2026-11-29 23:30 in UTC is already Monday 2026-11-30 00:30 in Berlin.
  const bot::Instant late_sunday_utc = utc(2026, 11, 29, 23, 30);
  CHECK(bot::iso_week(late_sunday_utc, "UTC") == "2026-W48");
  CHECK(bot::iso_week(late_sunday_utc, "Europe/Berlin") == "2026-W49");
  SECTION("and a zone behind UTC can still be in the previous week") {
    // Monday 2026-11-30 03:00 UTC is Sunday 22:00 in New York.
    CHECK(bot::iso_week(utc(2026, 11, 30, 3, 0), "UTC") == "2026-W49");
    CHECK(bot::iso_week(utc(2026, 11, 30, 3, 0), "America/New_York") == "2026-W48");
  }
}

TEST_CASE("parse_weekday understands full names and abbreviations in any case", "[local_time]") {
  CHECK(bot::parse_weekday("mon") == 1);
  CHECK(bot::parse_weekday("Tuesday") == 2);
  CHECK(bot::parse_weekday("wed") == 3);
  CHECK(bot::parse_weekday("THU") == 4);
  CHECK(bot::parse_weekday("thurs") == 4);
  CHECK(bot::parse_weekday(" Friday ") == 5);
  CHECK(bot::parse_weekday("sat") == 6);
  CHECK(bot::parse_weekday("SUNDAY") == 7);
  SECTION("nonsense and single letters are refused") {
    CHECK_FALSE(bot::parse_weekday("x").has_value());
    CHECK_FALSE(bot::parse_weekday("m").has_value());
    CHECK_FALSE(bot::parse_weekday("").has_value());
    CHECK_FALSE(bot::parse_weekday("funday").has_value());
    CHECK_FALSE(bot::parse_weekday("mondays").has_value());
  }
}

TEST_CASE("weekday_name gives the English name of an ISO weekday", "[local_time]") {
  CHECK(bot::weekday_name(1) == "Monday");
  CHECK(bot::weekday_name(4) == "Thursday");
  CHECK(bot::weekday_name(7) == "Sunday");
  SECTION("every name parses back to the same weekday") {
    for (int d = 1; d <= 7; ++d) CHECK(bot::parse_weekday(bot::weekday_name(d)) == d);
  }
  SECTION("numbers outside 1..7 do not name a day") {
    CHECK(bot::weekday_name(0) == "?");
    CHECK(bot::weekday_name(8) == "?");
  }
}

TEST_CASE("parse_time_of_day reads the usual ways of writing a time", "[local_time]") {
  SECTION("24-hour forms") {
    CHECK(bot::parse_time_of_day("9") == 540);
    CHECK(bot::parse_time_of_day("09:30") == 570);
    CHECK(bot::parse_time_of_day("0:00") == 0);
    CHECK(bot::parse_time_of_day("23:59") == 23 * 60 + 59);
    CHECK(bot::parse_time_of_day("14h") == 840);
  }
  SECTION("12-hour forms") {
    CHECK(bot::parse_time_of_day("2pm") == 840);
    CHECK(bot::parse_time_of_day("9:30am") == 570);
    CHECK(bot::parse_time_of_day("9:30 AM") == 570);
    CHECK(bot::parse_time_of_day("12am") == 0);
    CHECK(bot::parse_time_of_day("12pm") == 720);
    CHECK(bot::parse_time_of_day("11:45pm") == 23 * 60 + 45);
  }
  SECTION("impossible or malformed times are refused") {
    CHECK_FALSE(bot::parse_time_of_day("24:00").has_value());
    CHECK_FALSE(bot::parse_time_of_day("25:00").has_value());
    CHECK_FALSE(bot::parse_time_of_day("9:5").has_value());
    CHECK_FALSE(bot::parse_time_of_day("9:60").has_value());
    CHECK_FALSE(bot::parse_time_of_day("abc").has_value());
    CHECK_FALSE(bot::parse_time_of_day("13pm").has_value());
    CHECK_FALSE(bot::parse_time_of_day("0am").has_value());
    CHECK_FALSE(bot::parse_time_of_day("").has_value());
    CHECK_FALSE(bot::parse_time_of_day("-1").has_value());
  }
}

TEST_CASE("format_time_of_day writes HH:MM with leading zeros", "[local_time]") {
  CHECK(bot::format_time_of_day(0) == "00:00");
  CHECK(bot::format_time_of_day(540) == "09:00");
  CHECK(bot::format_time_of_day(570) == "09:30");
  CHECK(bot::format_time_of_day(845) == "14:05");
  CHECK(bot::format_time_of_day(23 * 60 + 59) == "23:59");
  SECTION("formatting and parsing agree") {
    for (int m : {0, 61, 599, 720, 1439}) CHECK(bot::parse_time_of_day(bot::format_time_of_day(m)) == m);
  }
}

TEST_CASE("A city whose zone also has an alias is still recognised") {
  CHECK(bot::canonical_time_zone("istanbul").has_value());
  CHECK(bot::canonical_time_zone("buenos aires").has_value());
}
