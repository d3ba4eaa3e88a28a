// The Slack Home tab's content: what a learner reads about their plan and goals.
#include <catch2/catch.hpp>

#include "bot/home_page.hpp"

using Catch::Matchers::Contains;

namespace {

bot::HomeFacts facts_with_plan(bot::PlanStatus status) {
  bot::HomeFacts f;
  f.person.display_name = "alice";
  f.person.prefs.time_zone = "Europe/Berlin";
  bot::Plan plan;
  plan.id = bot::PlanId{1};
  plan.period_start = "2026-07-01";
  plan.period_end = "2027-01-01";  // exclusive, as stored
  plan.status = status;
  f.plan = plan;
  f.iso_week = "2026-W48";
  return f;
}

std::string page_text(const bot::HomeFacts& f) { return bot::home_page(f).plain_text(); }

}  // namespace

TEST_CASE("Home: the plan's period ends on its last day, goals show progress once, achieved ones stay listed") {
  bot::HomeFacts f = facts_with_plan(bot::PlanStatus::approved);
  bot::Goal active;
  active.statement = "Run three incident reviews";
  active.progress = 40;
  bot::Goal done;
  done.statement = "Pass the CKA exam";
  done.progress = 100;
  done.status = bot::GoalStatus::achieved;
  f.goals = {active};
  f.achieved = {done};
  const std::string text = page_text(f);
  CHECK_THAT(text, Contains("2026-07-01 to 2026-12-31") && !Contains("2027-01-01"));
  CHECK_THAT(text, Contains("[####------] 40%") && !Contains("40% 40%"));
  CHECK_THAT(text, Contains("Pass the CKA exam  ✓ achieved"));

  // Every goal reached: the page says so instead of "none yet".
  f.goals.clear();
  CHECK_THAT(page_text(f), Contains("Pass the CKA exam") && !Contains("none yet") && Contains("next goal"));
}

TEST_CASE("Home: a plan sent for review whose manager has gone says the learner decides it now") {
  bot::HomeFacts f = facts_with_plan(bot::PlanStatus::submitted);
  CHECK_THAT(page_text(f), Contains("you have no manager now") && Contains("*submit*"));
  f.person.manager = bot::PersonId{7};
  CHECK_THAT(page_text(f), Contains("waiting for your manager's review"));
}
