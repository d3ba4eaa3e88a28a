// The plan builder and the SMART goal dialog, as conversation transcripts.
#include <catch2/catch.hpp>

#include "bot/text.hpp"
#include "dialogs/goal_dialog.hpp"
#include "tests/support/dialog_harness.hpp"

using Catch::Matchers::Contains;

namespace {
testing::DialogHarness onboarded() {
  auto chat = testing::DialogHarness::onboarded();
  chat.context.objectives = {"Grow the platform team", "Faster releases"};
  return chat;
}

// A plan as the engine loads it for the person: saved before, "Old aim" its only answer.
bot::Plan stored_plan(bot::PlanStatus status) {
  bot::Plan plan;
  plan.id = bot::PlanId{4};
  plan.aspiration_short = "Old aim";
  plan.status = status;
  return plan;
}

void answer_goal_until_activities(testing::DialogHarness& chat) {
  chat.say("goal");
  chat.say("Give a 10-minute talk on our deployment pipeline at the engineering all-hands");
  chat.say("Talk given and at least 5 questions from the audience");
  chat.say("skip");
  chat.say("Two hours a week and a review from Sam");
  chat.say("Presenting is part of the senior role");
  chat.say("end of Q1");
  chat.click("career");
}
}  // namespace

TEST_CASE("A plan is built for the current half-year with an objective from config") {
  auto chat = onboarded();
  CHECK_THAT(chat.say("plan"), Contains("learning plan for *2026-H2* (until 2026-12-31)") &&
                                   Contains("By 2026-12-31, the end of this plan"));
  CHECK_THAT(chat.say("Lead incident reviews"), Contains("two or three years"));
  const std::string objective = chat.say("skip");
  CHECK_THAT(objective, Contains("Which team or organisation objective"));
  REQUIRE(chat.last_reply.buttons.size() == 2);
  CHECK_THAT(chat.click("Faster releases"), Contains("Saved your learning plan for 2026-H2") && Contains("first goal with *goal*"));
  REQUIRE(chat.context.plan);
  CHECK(chat.context.plan->period_start == "2026-07-01");
  CHECK(chat.context.plan->period_end == "2027-01-01");
  CHECK(chat.context.plan->aspiration_short == "Lead incident reviews");
  CHECK(chat.context.plan->aspiration_long.empty());
  CHECK(chat.context.plan->objective == "Faster releases");
}

TEST_CASE("Editing a submitted plan makes it a draft again and keeps skipped answers") {
  auto chat = onboarded();
  bot::Plan plan;
  plan.id = bot::PlanId{4};
  plan.aspiration_short = "Old aim";
  plan.aspiration_long = "Principal engineer";
  plan.status = bot::PlanStatus::submitted;
  chat.context.plan = plan;
  CHECK_THAT(chat.say("plan"), Contains("update your learning plan") && Contains("Now: \"Old aim\""));
  chat.say("New aim");
  chat.say("skip");
  CHECK_THAT(chat.say("skip"), Contains("draft again"));
  CHECK(chat.context.plan->aspiration_short == "New aim");
  CHECK(chat.context.plan->aspiration_long == "Principal engineer");
  CHECK(chat.context.plan->status == bot::PlanStatus::draft);
}

TEST_CASE("Going through an approved plan without changing it keeps it approved") {
  auto chat = onboarded();
  chat.context.plan = stored_plan(bot::PlanStatus::approved);
  chat.say("plan");
  chat.say("skip");
  chat.say("skip");
  CHECK_THAT(chat.say("skip"), Contains("Nothing changed") && Contains("(approved)") && !Contains("draft"));
  CHECK(chat.context.plan->status == bot::PlanStatus::approved);
}

TEST_CASE("A SMART goal with two activities is added with normalised skill tags") {
  auto chat = onboarded();
  answer_goal_until_activities(chat);
  // Skill tags come next.
  CHECK_THAT(chat.last_reply.plain_text(), Contains("Which skills"));
  CHECK_THAT(chat.say(" Public Speaking, devops,public speaking "), Contains("Pick a kind of activity"));
  CHECK(chat.last_reply.buttons.size() == 8);
  CHECK_THAT(chat.click("course"), Contains("Paste a link"));
  CHECK_THAT(chat.say("htp:/broken"), Contains("How many hours"));  // free text is fine too
  chat.say("back");
  CHECK_THAT(chat.say("https://"), Contains("doesn't look right"));
  CHECK_THAT(chat.say("https:// broken words"), Contains("doesn't look right"));
  // A link with a few words about it is taken as typed.
  CHECK_THAT(chat.say("https://kubernetes.io/training CKA prep"), Contains("How many hours"));
  chat.say("back");
  chat.say("https://learning.example.com/presenting");
  chat.say("6");
  CHECK_THAT(chat.last_reply.plain_text(), Contains("Another activity?"));
  chat.click("mentoring");
  chat.say("Sessions with Sam");
  chat.say("skip");
  const std::string done = chat.click("done");
  CHECK_THAT(done, Contains("Added your goal") && Contains("By: 2027-03-31") && Contains("public speaking, devops") &&
                       Contains("Activities: 2"));
  REQUIRE(chat.context.goals.size() == 1);
  const bot::Goal& g = chat.context.goals[0];
  CHECK(g.kind == bot::GoalKind::career);
  CHECK(g.skill_tags == std::vector<std::string>{"public speaking", "devops"});
  REQUIRE(g.activities.size() == 2);
  CHECK(g.activities[0].kind == bot::ActivityKind::course);
  CHECK(g.activities[0].planned_minutes == 360);
  CHECK_FALSE(g.activities[1].planned_minutes.has_value());
}

TEST_CASE("The coach asks one clarifying question per gap, then accepts with a note") {
  auto chat = onboarded();
  chat.say("goal");
  const std::string vague = chat.say("Improve my Python");
  CHECK_THAT(vague, Contains("type *keep* to keep your answer"));
  CHECK_THAT(chat.say("Improve my Python"), Contains("Noted as it is") && Contains("How will you measure"));
  CHECK_THAT(chat.say("Feel more confident"), Contains("type *keep* to keep your answer"));
  CHECK_THAT(chat.say("Ship 2 small tools in Python"), Contains("What result will count as done"));
  chat.say("skip");
  chat.say("skip");
  chat.say("It's the team's main language");
  CHECK_THAT(chat.say("yesterday"), Contains("By when"));
  CHECK_THAT(chat.say("2026-10-01"), Contains("past") && Contains("By when"));
  CHECK_THAT(chat.say("2029-01-01"), Contains("18 months"));
  CHECK_THAT(chat.say("next month"), Contains("What kind of goal"));
}

TEST_CASE("Keep after a coaching question keeps the answer, and keeps a plan's answers as skip does") {
  auto chat = onboarded();
  chat.say("goal");
  chat.say("Improve my Python");
  CHECK_THAT(chat.say("keep"), Contains("How will you measure") && !Contains("Noted as it is"));
  chat.say("cancel");
  chat.context.plan = stored_plan(bot::PlanStatus::draft);
  chat.say("plan");
  chat.say("keep");
  chat.say("keep");
  CHECK_THAT(chat.say("keep"), Contains("Nothing changed"));
  CHECK(chat.context.plan->aspiration_short == "Old aim");
}

TEST_CASE("Two clarifications at most per goal") {
  auto chat = onboarded();
  chat.say("goal");
  chat.say("Improve");  // too short or vague: clarification 1
  chat.say("Get better at SQL");
  // The statement was already clarified once: accepted with a note.
  CHECK_THAT(chat.last_reply.plain_text(), Contains("Noted as it is"));
  CHECK_THAT(chat.say("feel good"), Contains("type *keep* to keep your answer"));  // clarification 2
  CHECK_THAT(chat.say("feel good"), Contains("What result"));
}

TEST_CASE("Goals are listed with progress bars, status and the next target date") {
  auto chat = onboarded();
  CHECK_THAT(chat.say("goals"), Contains("no open goals"));
  answer_goal_until_activities(chat);
  chat.say("skip");
  chat.click("done");
  chat.context.goals[0].progress = 40;
  const std::string list = chat.say("goals");
  CHECK_THAT(list, Contains("[####------] 40%") && Contains("active") && Contains("Next target date: 2027-03-31"));
}

TEST_CASE("Progress bars are clamped") {
  CHECK(bot::progress_bar(0) == "[----------] 0%");
  CHECK(bot::progress_bar(100) == "[##########] 100%");
  CHECK(bot::progress_bar(55) == "[#####-----] 55%");
}
