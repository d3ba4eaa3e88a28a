// Reflections and their two-week follow-up, as transcripts over the pure dialogs.
#include <catch2/catch.hpp>

#include "tests/support/dialog_harness.hpp"

using Catch::Matchers::Contains;

namespace {

testing::DialogHarness after_checkin() {
  auto chat = testing::DialogHarness::onboarded();
  chat.say("checkin");
  chat.say("60");
  chat.say("How to read a flame graph");
  chat.say("none");
  chat.say("Profile the importer");
  return chat;
}

bot::Reflection due_reflection() {
  bot::Reflection r;
  r.id = bot::ReflectionId{5};
  r.learned = "Flame graphs";
  r.apply = "Profile the nightly import";
  return r;
}

}  // namespace

TEST_CASE("After a check-in the reflection reuses what was learned and asks two questions") {
  auto chat = after_checkin();
  CHECK_THAT(chat.click("yes"), Contains("How will you apply it"));
  CHECK_THAT(chat.say("On the import job next sprint"), Contains("What would you do differently"));
  const std::string done = chat.say("skip");
  CHECK_THAT(done, Contains("Saved your reflection") && Contains("stays private") && Contains("In two weeks"));
  REQUIRE(chat.reflections.size() == 1);
  CHECK(chat.reflections[0].learned == "How to read a flame graph");
  CHECK(chat.reflections[0].apply == "On the import job next sprint");
  CHECK(chat.reflections[0].differently.empty());
  CHECK(chat.reflections[0].visibility == bot::Visibility::owner);
  // The check-in it followed is this week's latest.
  CHECK(chat.reflections[0].checkin == chat.checkins[0].id);
  CHECK_FALSE(chat.state.has_value());
}

TEST_CASE("The reflection after a check-in can be declined") {
  auto chat = after_checkin();
  CHECK_THAT(chat.click("no"), Contains("Type *reflect* whenever you like"));
  CHECK(chat.reflections.empty());
  CHECK_FALSE(chat.state.has_value());
  // Anything else is re-asked; a command runs instead.
  auto other = after_checkin();
  CHECK_THAT(other.say("maybe"), Contains("Please answer yes or no") && Contains("reflect on this week"));
  CHECK_THAT(other.say("goals"), Contains("(I closed your open reflection.)") && Contains("no open goals"));
  CHECK_FALSE(other.state.has_value());
}

TEST_CASE("reflect asks all three questions, back and cancel work") {
  auto chat = testing::DialogHarness::onboarded();
  CHECK_THAT(chat.say("reflect"), Contains("What did you learn recently?"));
  CHECK_THAT(chat.say("   "), Contains("Please write a few words") && Contains("What did you learn"));
  chat.say("Pairing on SQL");
  CHECK_THAT(chat.say("back"), Contains("Your answer was: Pairing on SQL"));
  chat.say("Pairing on SQL query plans");
  chat.say("Review the slow queries with Dana");
  chat.say("Ask for the pairing session earlier");
  REQUIRE(chat.reflections.size() == 1);
  CHECK(chat.reflections[0].differently == "Ask for the pairing session earlier");
  CHECK_FALSE(chat.reflections[0].checkin);

  chat.say("reflect");
  CHECK_THAT(chat.say("cancel"), Contains("no reflection this time"));
  CHECK(chat.reflections.size() == 1);
}

TEST_CASE("Reflections shared in settings say so") {
  auto chat = testing::DialogHarness::onboarded();
  chat.context.person.prefs.visibility.reflections = bot::Visibility::manager;
  chat.say("reflect");
  chat.say("a");
  chat.say("b");
  CHECK_THAT(chat.say("skip"), Contains("share reflections with your manager"));
  CHECK(chat.reflections[0].visibility == bot::Visibility::manager);
}

TEST_CASE("A due follow-up is asked once, after what the person came for") {
  auto chat = testing::DialogHarness::onboarded();
  chat.context.follow_up = due_reflection();
  // Opening the app alone does not ask it.
  chat.open();
  CHECK(chat.follow_ups_asked.empty());
  const std::string reply = chat.say("goals");
  CHECK_THAT(reply, Contains("You have no open goals") && Contains("Two weeks ago you reflected") &&
                        Contains("\"Flame graphs\"") && Contains("Profile the nightly import") &&
                        Contains("Did you apply it?"));
  CHECK(chat.replies_to_last_input == 1);
  REQUIRE(chat.follow_ups_asked.size() == 1);
  CHECK(chat.follow_ups_asked[0] == bot::ReflectionId{5});
  chat.context.follow_up.reset();  // the engine would no longer find it due

  CHECK_THAT(chat.say("sort of"), Contains("Please answer yes, partly or not yet"));
  CHECK_THAT(chat.click("partly"), Contains("What happened when you did?"));
  CHECK_THAT(chat.say("Found a slow regex; the import is 30% faster"), Contains("noted in your portfolio"));
  REQUIRE(chat.follow_ups.size() == 1);
  CHECK(chat.follow_ups[0].reflection == bot::ReflectionId{5});
  CHECK(chat.follow_ups[0].applied == "partly");
  CHECK(chat.follow_ups[0].note == "Found a slow regex; the import is 30% faster");
}

TEST_CASE("A due follow-up waits while a dialog is open, and can be cancelled") {
  auto chat = testing::DialogHarness::onboarded();
  chat.context.follow_up = due_reflection();
  chat.say("reflect");
  CHECK(chat.follow_ups_asked.empty());
  CHECK_THAT(chat.say("cancel"), Contains("no reflection this time") && Contains("Did you apply it?"));
  chat.context.follow_up.reset();
  CHECK_THAT(chat.say("cancel"), Contains("won't ask about it again"));
  CHECK(chat.follow_ups.empty());
  CHECK(chat.follow_ups_asked.size() == 1);
}
