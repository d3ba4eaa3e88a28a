// Settings and the one visibility check.
#include <catch2/catch.hpp>

#include "tests/support/dialog_harness.hpp"

using Catch::Matchers::Contains;

namespace {
testing::DialogHarness onboarded() { return testing::DialogHarness::onboarded(); }

bot::Person person(std::int64_t id, std::optional<std::int64_t> manager = {}, std::optional<std::string> team = {}) {
  bot::Person p;
  p.id = bot::PersonId{id};
  if (manager) p.manager = bot::PersonId{*manager};
  p.team = std::move(team);
  return p;
}
}  // namespace

TEST_CASE("Settings show the current values and change one of them") {
  auto chat = onboarded();
  const std::string menu = chat.say("settings");
  CHECK_THAT(menu, Contains("Time zone: Europe/Berlin") && Contains("Weekly check-in: Monday at 09:00") &&
                       Contains("Who sees your reflections: only you"));
  CHECK(chat.last_reply.buttons.size() == 7);
  chat.click("budget");
  CHECK_THAT(chat.say("lots"), Contains("whole number from 0 to 40"));
  CHECK_THAT(chat.say("4h"), Contains("weekly learning-time budget is 4h"));
  CHECK(chat.context.person.prefs.weekly_budget_minutes == 240);
}

TEST_CASE("A check-in time outside the sending window is refused with the window's hours") {
  auto chat = onboarded();
  chat.context.sending_window = {8 * 60, 20 * 60};
  chat.say("settings");
  chat.click("checkin");
  chat.say("friday");
  CHECK_THAT(chat.say("help"), Contains("as 09:30, 14:00 or 2pm, between 08:00 and 19:59."));
  CHECK_THAT(chat.say("21:30"), Contains("only between 08:00 and 19:59 your time") &&
                                    Contains("can't check in at 21:30") && Contains("pick a time in that range"));
  CHECK_THAT(chat.say("7am"), Contains("can't check in at 07:00"));
  CHECK_THAT(chat.say("8pm"), Contains("can't check in at 20:00"));  // the window's end is not in it
  CHECK(chat.context.person.prefs.checkin_minute == 9 * 60);
  CHECK_THAT(chat.say("19:59"), Contains("every Friday at 19:59"));
  CHECK(chat.context.person.prefs.checkin_minute == 19 * 60 + 59);

  // A window past midnight (a night shift) takes the late hours and refuses the day.
  chat.context.sending_window = {22 * 60, 6 * 60};
  chat.say("settings");
  chat.click("checkin");
  chat.say("monday");
  CHECK_THAT(chat.say("12:00"), Contains("only between 22:00 and 05:59"));
  CHECK_THAT(chat.say("23:15"), Contains("every Monday at 23:15"));
  chat.say("settings");
  chat.click("checkin");
  chat.say("monday");
  CHECK_THAT(chat.say("05:45"), Contains("every Monday at 05:45"));
}

TEST_CASE("A pause takes a date or words, and resume lifts it") {
  auto chat = onboarded();
  chat.say("settings");
  chat.click("pause");
  CHECK_THAT(chat.say("2026-01-01"), Contains("past"));
  CHECK_THAT(chat.say("2027-01-10"), Contains("no check-in prompts until 2027-01-10"));
  CHECK(chat.context.person.prefs.paused_until == "2027-01-10");
  chat.say("settings");
  chat.click("pause");
  CHECK_THAT(chat.say("resume"), Contains("on again"));
  CHECK(chat.context.person.prefs.paused_until == "");
}

TEST_CASE("Sharing is set per kind of item") {
  auto chat = onboarded();
  chat.say("settings");
  chat.click("sharing");
  chat.click("checkins");
  CHECK_THAT(chat.click("manager"), Contains("you and your manager can see your check-in answers"));
  CHECK(chat.context.person.prefs.visibility.checkins == bot::Visibility::manager);
  CHECK(chat.context.person.prefs.visibility.reflections == bot::Visibility::owner);
}

TEST_CASE("Team and manager can be changed, back returns to the menu") {
  auto chat = onboarded();
  chat.say("settings");
  chat.click("team");
  CHECK_THAT(chat.say("back"), Contains("What would you like to change?"));
  chat.click("team");
  CHECK_THAT(chat.say("Platform"), Contains("your team is Platform"));
  CHECK(chat.context.person.team == "Platform");
  chat.say("settings");
  chat.click("manager");
  CHECK_THAT(chat.say("@Dana"), Contains("your manager is dana"));
  CHECK(chat.manager_handles == std::vector<std::string>{"dana"});
}

TEST_CASE("A manager named in settings hears of it once, and keep keeps the one there is") {
  auto chat = onboarded();
  chat.say("settings");
  chat.click("manager");
  CHECK_THAT(chat.say("keep"), Contains("no manager set yet"));
  chat.say("@Dana");
  REQUIRE(chat.to_others.size() == 1);
  CHECK_THAT(chat.to_others[0].plain_text(), Contains("named you as their manager"));
  chat.say("settings");
  chat.click("manager");
  CHECK_THAT(chat.say("keep"), Contains("your manager is dana"));
  chat.say("settings");
  chat.click("manager");
  chat.say("@dana");
  CHECK(chat.to_others.size() == 1);  // the same manager: no second note
  CHECK(chat.manager_handles == std::vector<std::string>{"dana", "dana", "dana"});
}

TEST_CASE("Only the owner, and whom they chose, may see an item") {
  bot::Person owner = person(1, 2, "platform");
  const bot::Person manager = person(2);
  const bot::Person teammate = person(3, 2, "platform");
  const bot::Person stranger = person(4, {}, "sales");
  for (auto kind : {bot::ItemKind::checkins, bot::ItemKind::reflections, bot::ItemKind::evidence, bot::ItemKind::achievements}) {
    INFO(bot::to_string(kind));
    CHECK(bot::may_see(owner, owner, kind));
    CHECK_FALSE(bot::may_see(owner, manager, kind));  // private by default
    CHECK_FALSE(bot::may_see(owner, teammate, kind));
  }
  owner.prefs.visibility.set(bot::ItemKind::checkins, bot::Visibility::manager);
  CHECK(bot::may_see(owner, manager, bot::ItemKind::checkins));
  CHECK_FALSE(bot::may_see(owner, teammate, bot::ItemKind::checkins));
  owner.prefs.visibility.set(bot::ItemKind::achievements, bot::Visibility::team);
  CHECK(bot::may_see(owner, manager, bot::ItemKind::achievements));
  CHECK(bot::may_see(owner, teammate, bot::ItemKind::achievements));
  CHECK_FALSE(bot::may_see(owner, stranger, bot::ItemKind::achievements));
  owner.team.reset();
  CHECK_FALSE(bot::may_see(owner, teammate, bot::ItemKind::achievements));
}
