// `save`: portfolio evidence with a goal picker, as transcripts over the pure dialogs.
#include <catch2/catch.hpp>

#include "tests/support/dialog_harness.hpp"

using Catch::Matchers::Contains;

namespace {
testing::DialogHarness with_goals() {
  auto chat = testing::DialogHarness::onboarded();
  bot::Goal a;
  a.id = bot::GoalId{4};
  a.statement = "Pass the CKA exam";
  bot::Goal b;
  b.id = bot::GoalId{6};
  b.statement = "Give a talk at the guild";
  chat.context.goals = {a, b};
  return chat;
}
}  // namespace

TEST_CASE("save with a link asks for the goal and keeps the link") {
  auto chat = with_goals();
  const std::string ask = chat.say("save Passed the mock exam https://example.com/cert/123.");
  CHECK_THAT(ask, Contains("Which goal does it belong to?") && Contains("1. Pass the CKA exam") &&
                      Contains("2. Give a talk at the guild"));
  CHECK(chat.last_reply.buttons.size() == 3);
  CHECK_THAT(chat.click("4"), Contains("Saved in your portfolio under \"Pass the CKA exam\"") &&
                                  Contains("Only you can see it"));
  REQUIRE(chat.evidence.size() == 1);
  CHECK(chat.evidence[0].content == "Passed the mock exam https://example.com/cert/123.");
  CHECK(chat.evidence[0].url == "https://example.com/cert/123");
  CHECK(chat.evidence[0].goal == bot::GoalId{4});
  CHECK(chat.evidence[0].visibility == bot::Visibility::owner);
}

TEST_CASE("save picks a goal by its number or none, and re-asks anything else") {
  auto chat = with_goals();
  chat.say("Save: slides of my talk");
  CHECK_THAT(chat.say("the talk"), Contains("Pick one of the goals by its number, or type *none*"));
  CHECK_THAT(chat.say("2"), Contains("under \"Give a talk at the guild\""));
  CHECK(chat.evidence.back().goal == bot::GoalId{6});
  CHECK_FALSE(chat.evidence.back().url);

  chat.say("save notes from the book club");
  CHECK_THAT(chat.say("none"), Contains("Saved in your portfolio."));
  CHECK_FALSE(chat.evidence.back().goal);
}

TEST_CASE("save alone asks what to keep, without goals it saves at once") {
  auto chat = testing::DialogHarness::onboarded();
  CHECK_THAT(chat.say("save"), Contains("What would you like to keep in your portfolio?"));
  CHECK_THAT(chat.say("Certificate: http://"), Contains("Saved in your portfolio."));
  CHECK_FALSE(chat.evidence.back().url);  // not a real link
  CHECK_FALSE(chat.state.has_value());
  CHECK_THAT(chat.say("save " + std::string(2100, 'x')), Contains("please keep it under 2000"));
  CHECK(chat.evidence.size() == 1);
}
