// Onboarding and first contact, as conversation transcripts over the pure dialogs.
#include <catch2/catch.hpp>

#include "tests/support/dialog_harness.hpp"

using Catch::Matchers::Contains;

TEST_CASE("A newcomer who says hello is welcomed and walked through setup") {
  testing::DialogHarness chat;
  REQUIRE_THAT(chat.say("hello"), Contains("I'm Coachbot") && Contains("Which time zone are you in? I have *Europe/Berlin*"));
  REQUIRE_THAT(chat.say("new york"), Contains("Which day"));
  REQUIRE(chat.last_reply.buttons.size() == 6);  // Monday to Friday, and Keep
  REQUIRE_THAT(chat.click("4"), Contains("At what local time"));
  REQUIRE_THAT(chat.say("2:30pm"), Contains("Who is your manager"));
  const std::string done = chat.say("@Bob");
  CHECK_THAT(done, Contains("every *Thursday* at *14:30* (America/New_York)") && Contains("Your manager: *bob*"));
  CHECK(chat.context.person.prefs.time_zone == "America/New_York");
  CHECK(chat.context.person.prefs.checkin_weekday == 4);
  CHECK(chat.context.person.prefs.checkin_minute == 14 * 60 + 30);
  CHECK(chat.context.person.onboarded);
  CHECK_FALSE(chat.state.has_value());
  REQUIRE(chat.manager_handles == std::vector<std::string>{"bob"});
  REQUIRE(chat.to_others.size() == 1);
  CHECK(chat.to_others[0].to.kind == bot::RecipientKind::manager);
  CHECK_THAT(chat.to_others[0].plain_text(), Contains("alice named you as their manager"));
}

TEST_CASE("Setup refuses a check-in time at which no message may go out") {
  testing::DialogHarness chat;
  chat.context.sending_window = {9 * 60, 17 * 60};
  chat.open();
  chat.say("keep");
  chat.say("keep");
  CHECK_THAT(chat.say("6pm"), Contains("only between 09:00 and 16:59 your time"));
  CHECK_THAT(chat.say("16:45"), Contains("Who is your manager"));
  chat.say("none");
  CHECK(chat.context.person.prefs.checkin_minute == 16 * 60 + 45);
}

TEST_CASE("After back, Keep offers the answer just given, and the day can be kept too") {
  testing::DialogHarness chat;
  chat.open();
  chat.say("Paris");
  CHECK_THAT(chat.say("back"), Contains("I have *Europe/Paris*"));
  CHECK_THAT(chat.say("keep"), Contains("I have *Monday*"));
  chat.say("thursday");
  chat.say("back");
  chat.say("keep");  // Thursday, just answered
  chat.say("keep");
  chat.say("none");
  CHECK(chat.context.person.prefs.time_zone == "Europe/Paris");
  CHECK(chat.context.person.prefs.checkin_weekday == 4);
}

TEST_CASE("In Slack the manager is named with an @-mention, which arrives as their user id") {
  testing::DialogHarness chat;
  chat.context.handle = "U0ALICE";
  chat.context.names_by_mention = true;
  for (const char* line : {"setup", "keep", "1", "keep"}) chat.say(line);
  CHECK_THAT(chat.say("<@U0ALICE>"), Contains("can't be your own manager"));
  // A name typed without picking it from Slack's list arrives as plain text.
  CHECK_THAT(chat.say("@bob"), Contains("Please @-mention them") && Contains("Who is your manager"));
  CHECK_THAT(chat.say("Bob Smith"), Contains("Please @-mention them"));
  CHECK(chat.manager_handles.empty());
  chat.say("<@U0BOB|bob>");
  CHECK(chat.manager_handles == std::vector<std::string>{"U0BOB"});
}

TEST_CASE("Opening the chat for the first time starts onboarding with a keep button") {
  testing::DialogHarness chat;
  REQUIRE_THAT(chat.open(), Contains("First, three quick settings"));
  REQUIRE(chat.last_reply.buttons.size() == 1);
  CHECK(chat.last_reply.buttons[0].label == "Keep Europe/Berlin");
  REQUIRE_THAT(chat.click("keep"), Contains("Which day"));
}

TEST_CASE("Invalid setup answers are re-asked with the reason and the place is kept") {
  testing::DialogHarness chat;
  chat.open();
  CHECK_THAT(chat.say("Mars/Olympus"), Contains("is not a time zone I know") && Contains("Which time zone"));
  chat.say("keep");
  CHECK_THAT(chat.say("someday"), Contains("Please name a weekday") && Contains("Which day"));
  chat.say("fri");
  CHECK_THAT(chat.say("25:00"), Contains("Please give a time of day") && Contains("At what local time"));
  chat.say("keep");
  CHECK_THAT(chat.say("alice"), Contains("can't be your own manager"));
  CHECK_THAT(chat.say("bob smith"), Contains("doesn't look like a handle"));
  CHECK_THAT(chat.say("none"), Contains("No manager set"));
  CHECK(chat.context.person.prefs.checkin_weekday == 5);
  CHECK(chat.manager_handles == std::vector<std::string>{""});
  CHECK(chat.to_others.empty());
}

TEST_CASE("Help, back and skip work inside setup without losing the place") {
  testing::DialogHarness chat;
  chat.open();
  chat.say("keep");
  const std::string help = chat.say("help");
  CHECK_THAT(help, Contains("Once a week I ask") && Contains("*back*") && Contains("Which day"));
  CHECK_THAT(chat.say("back"), Contains("Which time zone"));
  CHECK_THAT(chat.say("back"), Contains("This is the first question"));
  chat.say("Asia/Kolkata");
  CHECK_THAT(chat.say("skip"), Contains("can't be skipped"));
  chat.say("mon");
  chat.say("9");
  // The manager question is optional: skipping keeps the manager as it was.
  CHECK_THAT(chat.say("skip"), Contains("You're all set"));
  CHECK(chat.manager_handles.empty());
  CHECK(chat.context.person.prefs.time_zone == "Asia/Kolkata");
}

TEST_CASE("Cancelling setup keeps the settings and does not push setup again") {
  testing::DialogHarness chat;
  chat.open();
  chat.say("America/Chicago");
  CHECK_THAT(chat.say("cancel"), Contains("kept your settings as they were"));
  CHECK(chat.context.person.prefs.time_zone == "Europe/Berlin");
  CHECK_FALSE(chat.state.has_value());
  CHECK(chat.context.person.onboarding_offered);
  CHECK_THAT(chat.say("hi"), Contains("Hi alice!") && !Contains("three quick settings"));
}

TEST_CASE("A first message that is a command runs at once and setup is offered afterwards") {
  testing::DialogHarness chat;
  REQUIRE_THAT(chat.say("checkin"), Contains("Weekly check-in for *2026-W48*"));
  chat.say("40");
  chat.say("Read two chapters");
  chat.say("none");
  CHECK_THAT(chat.say("Chapter three"), Contains("Saved your check-in") && Contains("reflect on this week"));
  // Setup is offered once the person is free again.
  const std::string saved = chat.click("no");
  CHECK_THAT(saved, Contains("Type *setup*") && Contains("Europe/Berlin"));
  CHECK(chat.replies_to_last_input == 1);
  CHECK(chat.context.person.onboarding_offered);
  CHECK_FALSE(chat.context.person.onboarded);
  // Offered once only.
  CHECK_THAT(chat.say("help"), !Contains("Type *setup* to change"));
}

TEST_CASE("Help as a first message lists commands and offers setup in the same reply") {
  testing::DialogHarness chat;
  const std::string reply = chat.say("help");
  CHECK_THAT(reply, Contains("*checkin*") && Contains("*setup*") && Contains("Type *setup* to change"));
  CHECK(chat.replies_to_last_input == 1);
}

TEST_CASE("Unknown words get a helpful reply with a suggestion") {
  testing::DialogHarness chat;
  chat.context.person.onboarded = true;
  chat.context.first_contact = false;
  CHECK_THAT(chat.say("chekin"), Contains("I don't know \"chekin\"") && Contains("Did you mean *checkin*?"));
  CHECK_THAT(chat.say("cancel"), Contains("nothing to cancel"));
  CHECK_THAT(chat.say("/checkin"), Contains("Weekly check-in"));
}

TEST_CASE("A stale button click after the dialog ended is answered, not crashed on") {
  testing::DialogHarness chat;
  chat.context.person.onboarded = true;
  CHECK_THAT(chat.click("4"), Contains("no longer open"));
}

TEST_CASE("Typing checkin while the welcome setup is open runs the check-in, and setup is offered after") {
  testing::DialogHarness chat;
  chat.open();
  CHECK_THAT(chat.say("checkin"), Contains("Weekly check-in"));
  chat.say("10");
  chat.say("a");
  chat.say("none");
  CHECK_THAT(chat.say("b"), Contains("Saved your check-in"));
  CHECK_THAT(chat.click("no"), Contains("Type *setup*"));
}

TEST_CASE("Any command typed at the welcome setup runs at once, help and setup stay with the question") {
  {
    testing::DialogHarness chat;
    chat.open();
    CHECK_THAT(chat.say("goal"), Contains("What exactly do you want to achieve?"));
  }
  {
    testing::DialogHarness chat;
    chat.open();
    CHECK_THAT(chat.say("delete my data"), Contains("delete"));
    // Deleted before setup: nothing is offered to nobody afterwards.
    CHECK_THAT(chat.say("delete"), Contains("deleted") && !Contains("setup"));
    CHECK(chat.erased);
  }
  {
    testing::DialogHarness chat;
    chat.open();
    CHECK_THAT(chat.say("help"), !Contains("What exactly do you want to achieve?") && Contains("time zone"));
    CHECK_THAT(chat.say("setup"), Contains("time zone"));
    CHECK_THAT(chat.say("Europe/Berlin"), Contains("Which day"));
  }
}

TEST_CASE("Setup started on request treats every answer as an answer") {
  testing::DialogHarness chat;
  chat.context.person.onboarded = true;
  chat.say("setup");
  CHECK_THAT(chat.say("checkin"), Contains("is not a time zone I know"));
}

TEST_CASE("Going back shows the earlier choice as its button said it") {
  testing::DialogHarness chat;
  chat.open();
  chat.say("Europe/Berlin");
  chat.say("Tuesday");
  CHECK_THAT(chat.say("back"), Contains("(Your answer was: Tuesday)"));
}

TEST_CASE("Going back shows a time and a typed weekend day as they read, not as stored") {
  testing::DialogHarness chat;
  chat.open();
  chat.say("Europe/Berlin");
  chat.say("Saturday");
  chat.say("2pm");
  CHECK_THAT(chat.say("back"), Contains("(Your answer was: 14:00)") && !Contains("840"));
  CHECK_THAT(chat.say("back"), Contains("(Your answer was: Saturday)"));
}
