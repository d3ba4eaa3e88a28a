// Scheduling math: weekly check-ins across DST changes and odd offsets, working days,
// holidays, pauses, the sending window, ISO week 53 and working-day reminders. Every
// expectation is an exact UTC instant read off `zdump -v` for the zone.
#include <catch2/catch.hpp>

#include <chrono>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>

#include "bot/clock.hpp"
#include "bot/local_time.hpp"
#include "bot/recurrence.hpp"

namespace {

using bot::format_utc;

bot::Instant utc(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0) {
  const auto day = std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
  return bot::Instant{day + std::chrono::hours{hh} + std::chrono::minutes{mm} + std::chrono::seconds{ss}};
}

bot::WeeklyRule rule(int weekday, int hh, int mm, const std::string& zone) {
  bot::WeeklyRule r;
  r.weekday = weekday;
  r.minute = hh * 60 + mm;
  r.time_zone = zone;
  return r;
}

// Every day a working day and no sending window, so that only the DST rules move times.
bot::WorkCalendar any_day_any_time() {
  bot::WorkCalendar c;
  c.working_days = {1, 2, 3, 4, 5, 6, 7};
  c.window_start_minute = 0;
  c.window_end_minute = 0;
  return c;
}

bot::WorkCalendar with_holidays(std::set<std::string> holidays) {
  bot::WorkCalendar c;
  c.holidays = std::move(holidays);
  return c;
}

const std::optional<std::string> kNotPaused;

}  // namespace

TEST_CASE("New York spring-forward: a rule inside the skipped hour fires when the clocks jump", "[recurrence]") {
  // 2026-03-08 02:00 EST does not exist: the clocks go to 03:00 EDT (07:00Z).
  const auto r = rule(7, 2, 30, "America/New_York");
  const auto cal = any_day_any_time();

  const auto o = bot::next_weekly(r, cal, kNotPaused, utc(2026, 3, 2));
  CHECK(format_utc(o.at) == "2026-03-08T07:00:00Z");
  CHECK(o.key == "2026-W10");

  SECTION("the week before is still 02:30 EST") {
    CHECK(format_utc(bot::next_weekly(r, cal, kNotPaused, utc(2026, 2, 23)).at) == "2026-03-01T07:30:00Z");
  }
  SECTION("the week after is 02:30 EDT, one week on") {
    const auto next = bot::next_weekly(r, cal, kNotPaused, o.at);
    CHECK(format_utc(next.at) == "2026-03-15T06:30:00Z");
    CHECK(next.key == "2026-W11");
  }
  SECTION("a millisecond before the jump still gets it") {
    CHECK(format_utc(bot::next_weekly(r, cal, kNotPaused, o.at - std::chrono::milliseconds{1}).at) ==
          "2026-03-08T07:00:00Z");
  }
}

TEST_CASE("New York fall-back: the repeated 01:30 fires once, at its first (EDT) pass", "[recurrence]") {
  // 2026-11-01 01:00-02:00 happens twice: 05:00-06:00Z as EDT, then 06:00-07:00Z as EST.
  const auto r = rule(7, 1, 30, "America/New_York");
  const auto cal = any_day_any_time();

  const auto o = bot::next_weekly(r, cal, kNotPaused, utc(2026, 10, 26));
  CHECK(format_utc(o.at) == "2026-11-01T05:30:00Z");
  CHECK(o.key == "2026-W44");

  SECTION("after it fired, the next one is a week later, not an hour later") {
    const auto next = bot::next_weekly(r, cal, kNotPaused, o.at);
    CHECK(format_utc(next.at) == "2026-11-08T06:30:00Z");
    CHECK(next.key == "2026-W45");
  }
  SECTION("asking during the second pass of 01:30 does not fire it again") {
    CHECK(format_utc(bot::next_weekly(r, cal, kNotPaused, utc(2026, 11, 1, 6, 30)).at) == "2026-11-08T06:30:00Z");
    CHECK(format_utc(bot::next_weekly(r, cal, kNotPaused, utc(2026, 11, 1, 6, 0)).at) == "2026-11-08T06:30:00Z");
  }
}

TEST_CASE("Europe/London: a Monday 09:00 check-in follows BST on and off", "[recurrence]") {
  const auto r = rule(1, 9, 0, "Europe/London");
  const bot::WorkCalendar cal;

  SECTION("spring: GMT then BST (clocks go forward 2026-03-29)") {
    const auto before = bot::next_weekly(r, cal, kNotPaused, utc(2026, 3, 22));
    CHECK(format_utc(before.at) == "2026-03-23T09:00:00Z");
    CHECK(before.key == "2026-W13");
    const auto after = bot::next_weekly(r, cal, kNotPaused, before.at);
    CHECK(format_utc(after.at) == "2026-03-30T08:00:00Z");
    CHECK(after.key == "2026-W14");
  }
  SECTION("autumn: BST then GMT (clocks go back 2026-10-25)") {
    const auto before = bot::next_weekly(r, cal, kNotPaused, utc(2026, 10, 18));
    CHECK(format_utc(before.at) == "2026-10-19T08:00:00Z");
    const auto after = bot::next_weekly(r, cal, kNotPaused, before.at);
    CHECK(format_utc(after.at) == "2026-10-26T09:00:00Z");
    CHECK(after.key == "2026-W44");
  }
  SECTION("01:30 on the spring-forward Sunday does not exist and becomes 02:00 BST") {
    const auto o = bot::next_weekly(rule(7, 1, 30, "Europe/London"), any_day_any_time(), kNotPaused, utc(2026, 3, 23));
    CHECK(format_utc(o.at) == "2026-03-29T01:00:00Z");
  }
}

TEST_CASE("Asia/Kolkata: +05:30 and a key taken from the local date", "[recurrence]") {
  const bot::WorkCalendar cal;
  const auto o = bot::next_weekly(rule(1, 9, 0, "Asia/Kolkata"), cal, kNotPaused, utc(2026, 6, 14));
  CHECK(format_utc(o.at) == "2026-06-15T03:30:00Z");
  CHECK(o.key == "2026-W25");

  SECTION("late Sunday UTC is already Monday in Kolkata") {
    // 2026-06-14T20:00Z is Monday 01:30 IST: this Monday's 09:00 is still ahead.
    CHECK(format_utc(bot::next_weekly(rule(1, 9, 0, "Asia/Kolkata"), cal, kNotPaused, utc(2026, 6, 14, 20)).at) ==
          "2026-06-15T03:30:00Z");
  }
  SECTION("a Monday 02:00 IST check-in is Sunday in UTC but keyed by the local Monday's week") {
    const auto r = rule(1, 2, 0, "Asia/Kolkata");
    const auto early = bot::next_weekly(r, any_day_any_time(), kNotPaused, utc(2026, 6, 10));
    CHECK(format_utc(early.at) == "2026-06-14T20:30:00Z");
    CHECK(early.key == "2026-W25");
  }
}

TEST_CASE("Pacific/Chatham: +13:45 in summer, +12:45 in winter, DST changes at 02:45", "[recurrence]") {
  // zdump 2026: DST ends Sun 2026-04-05 03:45 -> 02:45 (14:00Z on the 4th); starts
  // Sun 2026-09-27 02:45 -> 03:45 (14:00Z on the 26th).
  const bot::WorkCalendar cal;
  const auto monday = rule(1, 9, 0, "Pacific/Chatham");

  SECTION("April: +13:45 then +12:45") {
    const auto before = bot::next_weekly(monday, cal, kNotPaused, utc(2026, 3, 28));
    CHECK(format_utc(before.at) == "2026-03-29T19:15:00Z");
    CHECK(before.key == "2026-W14");
    const auto after = bot::next_weekly(monday, cal, kNotPaused, before.at);
    CHECK(format_utc(after.at) == "2026-04-05T20:15:00Z");
    CHECK(after.key == "2026-W15");
  }
  SECTION("September: +12:45 then +13:45") {
    const auto before = bot::next_weekly(monday, cal, kNotPaused, utc(2026, 9, 19));
    CHECK(format_utc(before.at) == "2026-09-20T20:15:00Z");
    CHECK(before.key == "2026-W39");
    const auto after = bot::next_weekly(monday, cal, kNotPaused, before.at);
    CHECK(format_utc(after.at) == "2026-09-27T19:15:00Z");
    CHECK(after.key == "2026-W40");
  }
  SECTION("03:00 on 2026-09-27 is in the gap and fires at the jump, 03:45 +13:45") {
    const auto o = bot::next_weekly(rule(7, 3, 0, "Pacific/Chatham"), any_day_any_time(), kNotPaused, utc(2026, 9, 21));
    CHECK(format_utc(o.at) == "2026-09-26T14:00:00Z");
  }
  SECTION("03:00 on 2026-04-05 happens twice and fires once, at the +13:45 pass") {
    const auto sunday = rule(7, 3, 0, "Pacific/Chatham");
    const auto o = bot::next_weekly(sunday, any_day_any_time(), kNotPaused, utc(2026, 3, 30));
    CHECK(format_utc(o.at) == "2026-04-04T13:15:00Z");
    CHECK(format_utc(bot::next_weekly(sunday, any_day_any_time(), kNotPaused, o.at).at) == "2026-04-11T14:15:00Z");
  }
}

TEST_CASE("a person who moves time zone keeps the same local time in the new zone", "[recurrence]") {
  const bot::WorkCalendar cal;
  auto r = rule(1, 9, 0, "Europe/London");
  const auto london = bot::next_weekly(r, cal, kNotPaused, utc(2026, 6, 14));
  REQUIRE(format_utc(london.at) == "2026-06-15T08:00:00Z");
  REQUIRE(london.key == "2026-W25");

  SECTION("staying in London: next Monday 09:00 BST") {
    CHECK(format_utc(bot::next_weekly(r, cal, kNotPaused, london.at).at) == "2026-06-22T08:00:00Z");
  }
  SECTION("moving east to Tokyo: next Monday 09:00 JST") {
    r.time_zone = "Asia/Tokyo";
    const auto o = bot::next_weekly(r, cal, kNotPaused, london.at);
    CHECK(format_utc(o.at) == "2026-06-22T00:00:00Z");
    CHECK(o.key == "2026-W26");
  }
  SECTION("moving west to Los Angeles: Monday 09:00 PDT is still ahead, under the same week key") {
    // The caller dedups on the key, so W25 is not sent twice.
    r.time_zone = "America/Los_Angeles";
    const auto o = bot::next_weekly(r, cal, kNotPaused, london.at);
    CHECK(format_utc(o.at) == "2026-06-15T16:00:00Z");
    CHECK(o.key == london.key);
  }
}

TEST_CASE("a holiday on the rule's day moves the check-in to the next working day of that week", "[recurrence]") {
  // Easter Monday 2026-04-06; Berlin is on CEST (+02:00).
  const auto monday = rule(1, 9, 0, "Europe/Berlin");
  SECTION("Monday off -> Tuesday, same local time, same key") {
    const auto o = bot::next_weekly(monday, with_holidays({"2026-04-06"}), kNotPaused, utc(2026, 4, 1));
    CHECK(format_utc(o.at) == "2026-04-07T07:00:00Z");
    CHECK(o.key == "2026-W15");
  }
  SECTION("Monday and Tuesday off -> Wednesday") {
    const auto o = bot::next_weekly(monday, with_holidays({"2026-04-06", "2026-04-07"}), kNotPaused, utc(2026, 4, 1));
    CHECK(format_utc(o.at) == "2026-04-08T07:00:00Z");
    CHECK(o.key == "2026-W15");
  }
  SECTION("a holiday on another day changes nothing") {
    const auto o = bot::next_weekly(monday, with_holidays({"2026-04-03"}), kNotPaused, utc(2026, 4, 1));
    CHECK(format_utc(o.at) == "2026-04-06T07:00:00Z");
  }
}

TEST_CASE("a check-in day the calendar leaves out is honoured: people may choose Saturday or Sunday", "[recurrence]") {
  // Monday to Friday, 08:00-20:00; Saturday 2026-04-04, Berlin on CEST (+02:00).
  const bot::WorkCalendar cal;
  const auto saturday = rule(6, 9, 0, "Europe/Berlin");
  SECTION("Saturday 09:00, week after week") {
    const auto o = bot::next_weekly(saturday, cal, kNotPaused, utc(2026, 4, 1));
    CHECK(format_utc(o.at) == "2026-04-04T07:00:00Z");
    CHECK(o.key == "2026-W14");
    const auto next = bot::next_weekly(saturday, cal, kNotPaused, o.at);
    CHECK(format_utc(next.at) == "2026-04-11T07:00:00Z");
    CHECK(next.key == "2026-W15");
  }
  SECTION("the sending window still applies on the chosen day") {
    CHECK(format_utc(bot::next_weekly(rule(7, 7, 0, "Europe/Berlin"), cal, kNotPaused, utc(2026, 4, 1)).at) ==
          "2026-04-05T06:00:00Z");
    // After the window closes on Saturday, Sunday is still not a day to send on.
    const auto late = bot::next_weekly(rule(6, 21, 0, "Europe/Berlin"), cal, kNotPaused, utc(2026, 4, 1));
    CHECK(format_utc(late.at) == "2026-04-06T06:00:00Z");
    CHECK(late.key == "2026-W14");
  }
  SECTION("a holiday on a chosen Saturday moves it to the next working day of that week, when Sunday is one") {
    bot::WorkCalendar sundays = with_holidays({"2026-04-04"});
    sundays.working_days.insert(7);
    const auto o = bot::next_weekly(rule(6, 9, 0, "Europe/Berlin"), sundays, kNotPaused, utc(2026, 4, 1));
    CHECK(format_utc(o.at) == "2026-04-05T07:00:00Z");
    CHECK(o.key == "2026-W14");
  }
  SECTION("a holiday on the chosen Saturday skips that week, as on a Friday") {
    const auto o = bot::next_weekly(saturday, with_holidays({"2026-04-04"}), kNotPaused, utc(2026, 4, 1));
    CHECK(format_utc(o.at) == "2026-04-11T07:00:00Z");
    CHECK(o.key == "2026-W15");
  }
}

TEST_CASE("a holiday week with no working day left after the rule's day is skipped", "[recurrence]") {
  // Friday 2026-12-25 is a holiday and Saturday/Sunday are not working days; Friday
  // 2027-01-01 (still ISO week 2026-W53) is one too. Berlin is on CET (+01:00).
  const auto friday = rule(5, 9, 0, "Europe/Berlin");
  const auto o = bot::next_weekly(friday, with_holidays({"2026-12-25", "2027-01-01"}), kNotPaused, utc(2026, 12, 21));
  CHECK(format_utc(o.at) == "2027-01-08T08:00:00Z");
  CHECK(o.key == "2027-W01");
}

TEST_CASE("a pause skips the weeks whose nominal date is on or before the pause date", "[recurrence]") {
  const bot::WorkCalendar cal;
  const std::optional<std::string> until_wednesday{"2026-06-17"};
  const auto wednesday = rule(3, 9, 0, "UTC");
  const auto paused_until = [](const char* date) { return std::optional<std::string>{date}; };
  SECTION("the rule's day is the last paused day: that week is skipped") {
    const auto o = bot::next_weekly(wednesday, cal, until_wednesday, utc(2026, 6, 15));
    CHECK(format_utc(o.at) == "2026-06-24T09:00:00Z");
    CHECK(o.key == "2026-W26");
  }
  SECTION("the rule's day is the day after the pause: that week fires") {
    const auto o = bot::next_weekly(rule(4, 9, 0, "UTC"), cal, until_wednesday, utc(2026, 6, 15));
    CHECK(format_utc(o.at) == "2026-06-18T09:00:00Z");
    CHECK(o.key == "2026-W25");
  }
  SECTION("a pause over several weeks") {
    const auto o = bot::next_weekly(wednesday, cal, paused_until("2026-07-31"), utc(2026, 6, 15));
    CHECK(format_utc(o.at) == "2026-08-05T09:00:00Z");
    CHECK(o.key == "2026-W32");
  }
  SECTION("a pause far ahead is jumped to, not walked") {
    const auto o = bot::next_weekly(wednesday, cal, paused_until("2031-01-01"), utc(2026, 6, 15));
    CHECK(format_utc(o.at) == "2031-01-08T09:00:00Z");
  }
  SECTION("a pause that is over changes nothing") {
    const auto o = bot::next_weekly(wednesday, cal, paused_until("2026-01-01"), utc(2026, 6, 15));
    CHECK(format_utc(o.at) == "2026-06-17T09:00:00Z");
  }
  SECTION("a malformed pause date is an error, not 'not paused'") {
    CHECK_THROWS_AS(bot::next_weekly(wednesday, cal, paused_until("2026-6-17"), utc(2026, 6, 15)),
                    std::invalid_argument);
  }
}

TEST_CASE("the sending window defers check-ins to the next allowed moment", "[recurrence]") {
  // Default window 08:00-20:00 local, Monday to Friday; Berlin is on CEST (+02:00).
  const bot::WorkCalendar cal;
  SECTION("07:00 -> 08:00 the same day") {
    const auto o = bot::next_weekly(rule(1, 7, 0, "Europe/Berlin"), cal, kNotPaused, utc(2026, 6, 14));
    CHECK(format_utc(o.at) == "2026-06-15T06:00:00Z");
    CHECK(o.key == "2026-W25");
  }
  SECTION("21:00 on Wednesday -> Thursday 08:00, keyed by Wednesday's week") {
    const auto o = bot::next_weekly(rule(3, 21, 0, "Europe/Berlin"), cal, kNotPaused, utc(2026, 6, 14));
    CHECK(format_utc(o.at) == "2026-06-18T06:00:00Z");
    CHECK(o.key == "2026-W25");
  }
  SECTION("21:00 on Friday -> Monday 08:00, still under Friday's week") {
    const auto friday = rule(5, 21, 0, "Europe/Berlin");
    // Asked on Sunday 2026-06-14, the previous Friday's (W24) check-in is still due.
    const auto w24 = bot::next_weekly(friday, cal, kNotPaused, utc(2026, 6, 14));
    CHECK(format_utc(w24.at) == "2026-06-15T06:00:00Z");
    CHECK(w24.key == "2026-W24");
    const auto o = bot::next_weekly(friday, cal, kNotPaused, w24.at);
    CHECK(format_utc(o.at) == "2026-06-22T06:00:00Z");
    CHECK(o.key == "2026-W25");
    // Asked on that Monday before 08:00 (ISO week 26 already), W25's deferred check-in
    // is the one still due.
    const auto due = bot::next_weekly(friday, cal, kNotPaused, utc(2026, 6, 22, 5, 0));
    CHECK(format_utc(due.at) == "2026-06-22T06:00:00Z");
    CHECK(due.key == "2026-W25");
    const auto next = bot::next_weekly(friday, cal, kNotPaused, o.at);
    CHECK(format_utc(next.at) == "2026-06-29T06:00:00Z");
    CHECK(next.key == "2026-W26");
  }
}

TEST_CASE("a weekly rule across year end: ISO week 2026-W53 then 2027-W01", "[recurrence]") {
  const bot::WorkCalendar cal;
  SECTION("Mondays 2026-12-21, 2026-12-28 (W53), 2027-01-04 (W01)") {
    const auto monday = rule(1, 9, 0, "UTC");
    const auto w53 = bot::next_weekly(monday, cal, kNotPaused, utc(2026, 12, 21, 9));
    CHECK(format_utc(w53.at) == "2026-12-28T09:00:00Z");
    CHECK(w53.key == "2026-W53");
    const auto w01 = bot::next_weekly(monday, cal, kNotPaused, w53.at);
    CHECK(format_utc(w01.at) == "2027-01-04T09:00:00Z");
    CHECK(w01.key == "2027-W01");
  }
  SECTION("Friday 2027-01-01 belongs to 2026-W53") {
    const auto friday = rule(5, 9, 0, "UTC");
    const auto o = bot::next_weekly(friday, with_holidays({"2026-12-25"}), kNotPaused, utc(2026, 12, 21));
    CHECK(format_utc(o.at) == "2027-01-01T09:00:00Z");
    CHECK(o.key == "2026-W53");
  }
}

TEST_CASE("after exactly equal to an occurrence returns the next one", "[recurrence]") {
  const bot::WorkCalendar cal;
  const auto monday = rule(1, 9, 0, "UTC");
  CHECK(format_utc(bot::next_weekly(monday, cal, kNotPaused, utc(2026, 6, 15, 9)).at) == "2026-06-22T09:00:00Z");
  CHECK(format_utc(bot::next_weekly(monday, cal, kNotPaused, utc(2026, 6, 15, 9) - std::chrono::milliseconds{1}).at) ==
        "2026-06-15T09:00:00Z");
}

TEST_CASE("add_working_days skips weekends and holidays and keeps the local time", "[recurrence]") {
  // Thursday 2026-06-18 10:00 CEST.
  const auto thursday = utc(2026, 6, 18, 8);
  const bot::WorkCalendar cal;
  SECTION("2 working days over a weekend -> Monday") {
    CHECK(format_utc(bot::add_working_days(thursday, 2, "Europe/Berlin", cal)) == "2026-06-22T08:00:00Z");
  }
  SECTION("5 working days -> next Thursday") {
    CHECK(format_utc(bot::add_working_days(thursday, 5, "Europe/Berlin", cal)) == "2026-06-25T08:00:00Z");
  }
  SECTION("a holiday on Monday pushes both reminders a day") {
    const auto holiday = with_holidays({"2026-06-22"});
    CHECK(format_utc(bot::add_working_days(thursday, 2, "Europe/Berlin", holiday)) == "2026-06-23T08:00:00Z");
    CHECK(format_utc(bot::add_working_days(thursday, 5, "Europe/Berlin", holiday)) == "2026-06-26T08:00:00Z");
  }
  SECTION("from a Saturday, the count starts on Monday") {
    CHECK(format_utc(bot::add_working_days(utc(2026, 6, 20, 8), 2, "Europe/Berlin", cal)) == "2026-06-23T08:00:00Z");
  }
  SECTION("after hours, the result is deferred into the window") {
    // Friday 21:00 CEST + 2 -> Tuesday 21:00 -> Wednesday 08:00.
    CHECK(format_utc(bot::add_working_days(utc(2026, 6, 19, 19), 2, "Europe/Berlin", cal)) == "2026-06-24T06:00:00Z");
  }
  SECTION("across a DST change the local time is kept, not the UTC offset") {
    // Friday 2026-03-27 10:00 CET -> Tuesday 2026-03-31 10:00 CEST.
    CHECK(format_utc(bot::add_working_days(utc(2026, 3, 27, 9), 2, "Europe/Berlin", cal)) == "2026-03-31T08:00:00Z");
  }
  SECTION("zero days is next_allowed; negative counts are a bug") {
    CHECK(format_utc(bot::add_working_days(utc(2026, 6, 20, 8), 0, "Europe/Berlin", cal)) == "2026-06-22T06:00:00Z");
    CHECK_THROWS_AS(bot::add_working_days(thursday, -1, "Europe/Berlin", cal), std::invalid_argument);
  }
}

TEST_CASE("next_allowed keeps instants inside the window and defers the rest", "[recurrence]") {
  // Berlin on CEST: local = UTC + 2 h. Wednesday 2026-06-17.
  const bot::WorkCalendar cal;
  const std::string berlin = "Europe/Berlin";
  SECTION("inside the window: unchanged") {
    CHECK(format_utc(bot::next_allowed(utc(2026, 6, 17, 8), berlin, cal)) == "2026-06-17T08:00:00Z");
  }
  SECTION("the window's start is inside, its end is not") {
    CHECK(format_utc(bot::next_allowed(utc(2026, 6, 17, 6), berlin, cal)) == "2026-06-17T06:00:00Z");
    CHECK(format_utc(bot::next_allowed(utc(2026, 6, 17, 18) - std::chrono::milliseconds{1}, berlin, cal)) ==
          "2026-06-17T17:59:59.999Z");
    CHECK(format_utc(bot::next_allowed(utc(2026, 6, 17, 18), berlin, cal)) == "2026-06-18T06:00:00Z");
  }
  SECTION("a weekend goes to Monday's opening") {
    CHECK(format_utc(bot::next_allowed(utc(2026, 6, 20, 10), berlin, cal)) == "2026-06-22T06:00:00Z");
  }
  SECTION("a holiday goes to the next working day's opening") {
    CHECK(format_utc(bot::next_allowed(utc(2026, 6, 17, 10), berlin, with_holidays({"2026-06-17"}))) ==
          "2026-06-18T06:00:00Z");
  }
  SECTION("no restriction: any time on a working day, midnight of the next one otherwise") {
    bot::WorkCalendar open;
    open.window_start_minute = 0;
    open.window_end_minute = 0;
    CHECK(format_utc(bot::next_allowed(utc(2026, 6, 17, 1), berlin, open)) == "2026-06-17T01:00:00Z");
    CHECK(format_utc(bot::next_allowed(utc(2026, 6, 20, 10), berlin, open)) == "2026-06-21T22:00:00Z");
  }
  SECTION("a window across midnight (22:00-06:00)") {
    bot::WorkCalendar night;
    night.window_start_minute = 22 * 60;
    night.window_end_minute = 6 * 60;
    CHECK(format_utc(bot::next_allowed(utc(2026, 6, 17, 10), berlin, night)) == "2026-06-17T20:00:00Z");
    CHECK(format_utc(bot::next_allowed(utc(2026, 6, 17, 21), berlin, night)) == "2026-06-17T21:00:00Z");
    CHECK(format_utc(bot::next_allowed(utc(2026, 6, 18, 2), berlin, night)) == "2026-06-18T02:00:00Z");
    // Saturday is not a working day: Monday 00:00 CEST.
    CHECK(format_utc(bot::next_allowed(utc(2026, 6, 20, 1), berlin, night)) == "2026-06-21T22:00:00Z");
  }
  SECTION("a window that opens inside a DST gap and is gone by the jump moves to the next day") {
    // New York 2026-03-08: 02:00-03:00 does not exist, so a 02:00-02:45 window never opens.
    bot::WorkCalendar narrow = any_day_any_time();
    narrow.window_start_minute = 2 * 60;
    narrow.window_end_minute = 2 * 60 + 45;
    CHECK(format_utc(bot::next_allowed(utc(2026, 3, 8, 5), "America/New_York", narrow)) == "2026-03-09T06:00:00Z");
  }
  SECTION("an opening in the repeated hour already passed once is met on its second pass") {
    // 2026-11-01 06:10Z is 01:10 EST, the second 01:10; 01:20 EDT (05:20Z) is behind it.
    bot::WorkCalendar late = any_day_any_time();
    late.window_start_minute = 60 + 20;
    late.window_end_minute = 24 * 60;
    CHECK(format_utc(bot::next_allowed(utc(2026, 11, 1, 6, 10), "America/New_York", late)) == "2026-11-01T06:20:00Z");
  }
}

TEST_CASE("impossible rules and calendars are errors", "[recurrence]") {
  const bot::WorkCalendar cal;
  CHECK_THROWS_AS(bot::next_weekly(rule(0, 9, 0, "UTC"), cal, kNotPaused, utc(2026, 6, 15)), std::invalid_argument);
  CHECK_THROWS_AS(bot::next_weekly(rule(8, 9, 0, "UTC"), cal, kNotPaused, utc(2026, 6, 15)), std::invalid_argument);
  CHECK_THROWS_AS(bot::next_weekly(rule(1, 24, 0, "UTC"), cal, kNotPaused, utc(2026, 6, 15)), std::invalid_argument);
  CHECK_THROWS_AS(bot::next_weekly(rule(1, 9, 0, "Mars/Olympus"), cal, kNotPaused, utc(2026, 6, 15)),
                  std::runtime_error);
  CHECK_THROWS_AS(bot::next_weekly(rule(1, 9, 0, "UTC"), with_holidays({"25.12.2026"}), kNotPaused, utc(2026, 6, 15)),
                  std::invalid_argument);
  bot::WorkCalendar none;
  none.working_days.clear();
  CHECK_THROWS_AS(bot::next_allowed(utc(2026, 6, 15), "UTC", none), std::invalid_argument);
  bot::WorkCalendar bad_window;
  bad_window.window_end_minute = 25 * 60;
  CHECK_THROWS_AS(bot::next_allowed(utc(2026, 6, 15), "UTC", bad_window), std::invalid_argument);
}

TEST_CASE("local_time helpers used by the scheduler", "[recurrence][local_time]") {
  SECTION("parse_iso_date takes exactly YYYY-MM-DD and a real day") {
    const auto d = bot::parse_iso_date("2026-12-28");
    REQUIRE(d);
    CHECK(*d == date::year_month_day{date::year{2026}, date::month{12}, date::day{28}});
    CHECK_FALSE(bot::parse_iso_date("2026-02-29"));
    CHECK_FALSE(bot::parse_iso_date("2026-6-17"));
    CHECK_FALSE(bot::parse_iso_date("-026-06-17"));
    CHECK_FALSE(bot::parse_iso_date("2026-06-17 "));
    CHECK_FALSE(bot::parse_iso_date(""));
  }
  SECTION("iso_week_of_local_date uses the ISO year") {
    CHECK(bot::iso_week_of_local_date(date::year{2027} / 1 / 1) == "2026-W53");
    CHECK(bot::iso_week_of_local_date(date::year{2027} / 1 / 4) == "2027-W01");
    CHECK(bot::iso_week_of_local_date(date::year{2025} / 12 / 29) == "2026-W01");
  }
  SECTION("to_instant: gap -> the jump, repeated -> the chosen pass") {
    using date::local_days;
    const auto gap = local_days{date::year{2026} / 3 / 8} + std::chrono::minutes{150};
    CHECK(format_utc(bot::to_instant(gap, "America/New_York")) == "2026-03-08T07:00:00Z");
    const auto repeated = local_days{date::year{2026} / 11 / 1} + std::chrono::minutes{90};
    CHECK(format_utc(bot::to_instant(repeated, "America/New_York")) == "2026-11-01T05:30:00Z");
    CHECK(format_utc(bot::to_instant(repeated, "America/New_York", bot::RepeatedTime::later)) ==
          "2026-11-01T06:30:00Z");
  }
}
