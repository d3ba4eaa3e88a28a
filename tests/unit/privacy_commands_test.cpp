// `export` and `delete my data` in the chat.
#include <catch2/catch.hpp>

#include "dialogs/commands.hpp"
#include "tests/support/dialog_harness.hpp"

using Catch::Matchers::Contains;

TEST_CASE("export in the chat attaches the whole record") {
  auto chat = testing::DialogHarness::onboarded();
  CHECK_THAT(chat.say("export"), Contains("Here is your whole record"));
  CHECK(chat.exports == 1);
  CHECK_FALSE(chat.state.has_value());
}

TEST_CASE("delete my data deletes only after an explicit confirmation") {
  auto chat = testing::DialogHarness::onboarded();
  CHECK_THAT(chat.say("delete my data"), Contains("cannot be undone") && Contains("*export*") && Contains("*delete*"));
  CHECK_THAT(chat.say("yes"), Contains("To delete everything, type *delete*"));
  CHECK_FALSE(chat.erased);
  CHECK_THAT(chat.say("cancel"), Contains("nothing was deleted"));
  CHECK_FALSE(chat.erased);

  chat.say("forget me");
  CHECK_THAT(chat.click("keep"), Contains("nothing was deleted"));
  CHECK_FALSE(chat.erased);

  chat.say("delete my data");
  const std::string done = chat.say("DELETE");
  CHECK_THAT(done, Contains("I deleted your record") && Contains("anonymous count"));
  CHECK(chat.erased);
}

TEST_CASE("A due follow-up is not asked of someone who just deleted their data") {
  auto chat = testing::DialogHarness::onboarded();
  bot::Reflection r;
  r.id = bot::ReflectionId{2};
  chat.context.follow_up = r;
  chat.say("delete my data");
  CHECK(chat.follow_ups_asked.empty());
  chat.click("delete");
  CHECK(chat.erased);
  CHECK(chat.follow_ups_asked.empty());
  CHECK_FALSE(chat.state.has_value());
}

TEST_CASE("Commands with an argument keep its case, others must match exactly") {
  auto save = dialogs::parse_command_line("Save  My Certificate ");
  REQUIRE(save);
  CHECK(save->command == dialogs::Command::save);
  CHECK(save->argument == "My Certificate");
  CHECK(dialogs::parse_command_line("/save:x")->argument == "x");
  CHECK(dialogs::parse_command_line("save")->argument.empty());
  CHECK_FALSE(dialogs::parse_command_line("saved it"));
  CHECK_FALSE(dialogs::parse_command_line("reflect on this"));
  CHECK(dialogs::parse_command_line("Edit Check-in")->command == dialogs::Command::edit_checkin);
  CHECK(dialogs::parse_command_line("delete my data")->command == dialogs::Command::delete_data);
}
