// The portfolio renderers on hand-built portfolios: Markdown to read, JSON to keep.
#include <catch2/catch.hpp>

#include <set>

#include <nlohmann/json.hpp>

#include "bot/portfolio.hpp"
#include "bot/text.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

// 2026-09-14T08:00:00Z plus whole minutes.
bot::Instant at(int minutes) { return bot::from_unix_ms(1'789'372'800'000 + minutes * 60'000LL); }
constexpr int kDay = 24 * 60;

bot::Portfolio sample() {
  bot::Portfolio p;
  p.exported_at = at(10 * kDay);
  p.person.id = bot::PersonId{7};
  p.person.display_name = "Alice Example";
  p.person.email = "alice@example.com";
  p.person.time_zone = "Europe/Berlin";
  p.person.manager_name = "Bob Boss";
  p.person.checkin_weekday = 4;
  p.person.checkin_minute = 14 * 60 + 30;
  p.person.paused_until = "2026-10-01";
  p.person.weekly_budget_minutes = 150;
  p.person.visibility.reflections = bot::Visibility::manager;
  p.person.visibility.achievements = bot::Visibility::team;
  p.person.team = "Platform";

  bot::PortfolioPlan plan;
  plan.id = bot::PlanId{3};
  plan.period_start = "2026-07-01";
  plan.period_end = "2027-01-01";
  plan.aspiration_short = "Lead incident reviews";
  plan.aspiration_long = "Become a staff engineer";
  plan.objective = "Reliable platform";
  plan.status = bot::PlanStatus::approved;
  plan.submitted_at = at(0);
  plan.decided_at = at(60);
  plan.created_at = at(-60);
  p.plans.push_back(plan);

  bot::PortfolioGoal goal;
  goal.id = bot::GoalId{11};
  goal.plan = plan.id;
  goal.statement = "Run the team's incident reviews";
  goal.measure = "Reviews facilitated";
  goal.target = "Four reviews";
  goal.support = "Shadow Carol first";
  goal.relevance = "Fewer repeat incidents";
  goal.target_date = "2026-12-01";
  goal.kind = bot::GoalKind::leadership;
  goal.skill_tags = {"facilitation", "sre"};
  goal.progress = 60;
  goal.created_at = at(-30);
  bot::PortfolioActivity course;
  course.kind = bot::ActivityKind::course;
  course.title = "Incident command";
  course.resource = "https://example.com/ic";
  course.planned_minutes = 90;
  course.status = "in_progress";
  goal.activities.push_back(course);
  p.goals.push_back(goal);

  bot::PortfolioGoal loose;
  loose.id = bot::GoalId{12};
  loose.statement = "Read one SRE book";
  loose.kind = bot::GoalKind::career;
  loose.progress = 100;
  loose.status = bot::GoalStatus::achieved;
  loose.achieved_at = at(9 * kDay);
  loose.created_at = at(0);
  p.goals.push_back(loose);

  bot::PortfolioCheckIn older;
  older.id = bot::CheckInId{1};
  older.iso_week = "2026-W36";
  older.overall_progress = 20;
  older.learned = "How postmortems are run";
  older.created_at = at(-7 * kDay);
  p.checkins.push_back(older);

  bot::PortfolioCheckIn first;
  first.id = bot::CheckInId{2};
  first.iso_week = "2026-W38";
  first.goals = {{goal.id, goal.statement, 40}};
  first.learned = "A first draft";
  first.created_at = at(kDay);
  p.checkins.push_back(first);

  bot::PortfolioCheckIn second = first;
  second.id = bot::CheckInId{3};
  second.revision = 2;
  second.goals = {{goal.id, goal.statement, 60}};
  second.minutes_spent = 90;
  second.learned = "Timelines first,\n# blame never";
  second.blockers = "No time";
  second.need_help = true;
  second.confidence = 4;
  second.next_step = "Book the room";
  second.created_at = at(kDay + 30);
  p.checkins.push_back(second);

  bot::PortfolioReflection reflection;
  reflection.id = 5;
  reflection.checkin = second.id;
  reflection.iso_week = "2026-W38";
  reflection.learned = "Asking beats guessing";
  reflection.apply = "Ask earlier";
  reflection.differently = "Start sooner";
  reflection.follow_up_due_at = at(8 * kDay);
  reflection.applied = "yes";
  reflection.follow_up_note = "Asked on day one";
  reflection.created_at = at(kDay + 40);
  p.reflections.push_back(reflection);

  bot::PortfolioEvidence evidence;
  evidence.id = 6;
  evidence.goal = goal.id;
  evidence.goal_statement = goal.statement;
  evidence.content = "Facilitated the March outage review";
  evidence.url = "https://wiki.example.com/pm/42";
  evidence.visibility = "manager";
  evidence.created_at = at(2 * kDay);
  p.evidence.push_back(evidence);

  bot::PortfolioAchievement achievement;
  achievement.id = 8;
  achievement.goal = loose.id;
  achievement.goal_statement = loose.statement;
  achievement.text = "Finished the SRE book";
  achievement.shared = true;
  achievement.channel = "#platform";
  achievement.shared_at = at(9 * kDay + 5);
  achievement.created_at = at(9 * kDay);
  achievement.kudos_from = {"Carol Coach", "Bob Boss"};
  p.achievements.push_back(achievement);

  bot::PortfolioReview review;
  review.id = 9;
  review.plan = plan.id;
  review.decision = bot::PlanStatus::approved;
  review.comment = "Looks good";
  review.reviewer_name = "Bob Boss";
  review.created_at = at(60);
  p.reviews.push_back(review);
  return p;
}

std::set<std::string> keys(const nlohmann::json& object) {
  std::set<std::string> out;
  for (auto it = object.begin(); it != object.end(); ++it) out.insert(it.key());
  return out;
}

}  // namespace

TEST_CASE("Progress bars have ten cells and fill one per full ten percent") {
  CHECK(bot::progress_bar(60) == "[######----] 60%");
  CHECK(bot::progress_bar(0) == "[----------] 0%");
  CHECK(bot::progress_bar(99) == "[#########-] 99%");
  CHECK(bot::progress_bar(100) == "[##########] 100%");
  CHECK(bot::progress_bar(-5) == "[----------] 0%");
  CHECK(bot::progress_bar(150) == "[##########] 100%");
}

TEST_CASE("Export times are UTC ISO-8601 with a Z") {
  CHECK(bot::format_utc(bot::from_unix_ms(0)) == "1970-01-01T00:00:00Z");
  CHECK(bot::format_utc(at(0)) == "2026-09-14T08:00:00Z");
  CHECK(bot::format_utc(bot::from_unix_ms(1'789'372'800'042)) == "2026-09-14T08:00:00.042Z");
}

TEST_CASE("The Markdown portfolio has the person, each plan and goal, and check-ins newest first") {
  const std::string md = bot::to_markdown(sample());
  INFO(md);
  CHECK_THAT(md, StartsWith("# Learning portfolio — Alice Example\n"));
  CHECK_THAT(md, Contains("- Email: alice@example.com") && Contains("- Time zone: Europe/Berlin") &&
                     Contains("- Manager: Bob Boss") && Contains("- Team: Platform") &&
                     Contains("- Weekly check-in: Thursday at 14:30 (local time)") &&
                     Contains("- Check-ins paused until: 2026-10-01") &&
                     Contains("- Weekly learning-time budget: 2h 30min") &&
                     Contains("- Who sees new items by default: check-ins private, reflections manager, evidence "
                              "private, achievements team") &&
                     Contains("- Exported: 2026-09-24T08:00:00Z"));
  // The stored end is exclusive; people read the last day.
  CHECK_THAT(md, Contains("\n## Plan 2026-07-01 – 2026-12-31 (approved)\n"));
  CHECK_THAT(md, Contains("- Aspiration (short term): Lead incident reviews") &&
                     Contains("- Objective it supports: Reliable platform"));
  CHECK_THAT(md, Contains("- 2026-09-14T09:00:00Z, plan approval by Bob Boss: approved\n  - Comment: Looks good"));
  CHECK_THAT(md, Contains("\n### Goal: Run the team's incident reviews\n\n[######----] 60% · active · leadership · "
                          "target date 2026-12-01\n"));
  CHECK_THAT(md, Contains("- Measure: Reviews facilitated") && Contains("- Support needed: Shadow Carol first") &&
                     Contains("- Skills: facilitation, sre"));
  CHECK_THAT(md, Contains("  - Course: Incident command (https://example.com/ic) — 1 h 30 min, in progress"));
  CHECK_THAT(md, Contains("\n## Goals outside a plan\n\n### Goal: Read one SRE book\n\n[##########] 100% · achieved"));

  const auto checkins = md.find("\n## Check-ins\n");
  REQUIRE(checkins != std::string::npos);
  const auto rev2 = md.find("- **2026-W38**, 2026-09-15T08:30:00Z (revision 2)", checkins);
  const auto rev1 = md.find("- **2026-W38**, 2026-09-15T08:00:00Z\n", checkins);
  const auto w36 = md.find("- **2026-W36**, 2026-09-07T08:00:00Z", checkins);
  REQUIRE(rev2 != std::string::npos);
  REQUIRE(rev1 != std::string::npos);
  REQUIRE(w36 != std::string::npos);
  CHECK(rev2 < rev1);
  CHECK(rev1 < w36);
  CHECK_THAT(md, Contains("  - Run the team's incident reviews: [######----] 60%\n  - Time spent: 1 h 30 min\n"));
  CHECK_THAT(md, Contains("  - Overall: [##--------] 20%"));
  // A second line stays inside its list item; a leading '#' does not become a heading.
  CHECK_THAT(md, Contains("  - Learned: Timelines first,\n    \\# blame never\n  - Blockers: No time\n"));
  CHECK_THAT(md, Contains("  - Asked for help\n  - Confidence: 4/5\n  - Next step: Book the room\n"));

  CHECK_THAT(md, Contains("\n## Reflections\n\n- 2026-09-15T08:40:00Z, week 2026-W38 (private)\n"));
  CHECK_THAT(md, Contains("  - Will apply: Ask earlier") &&
                     Contains("  - Applied it: Yes\n  - Follow-up note: Asked on day one\n") &&
                     Contains("  - Follow-up due: 2026-09-22T08:00:00Z"));
  CHECK_THAT(md, Contains("\n## Evidence\n\n- 2026-09-16T08:00:00Z (manager): Facilitated the March outage review\n"
                          "  - Link: https://wiki.example.com/pm/42\n  - Goal: Run the team's incident reviews\n"));
  CHECK_THAT(md, Contains("\n## Achievements\n\n- 2026-09-23T08:00:00Z: Finished the SRE book\n  - Goal: Read one SRE "
                          "book\n  - Shared in #platform on 2026-09-23T08:05:00Z\n"
                          "  - Kudos from Carol Coach, Bob Boss\n"));
  CHECK(md.find("\n## Check-ins") < md.find("\n## Reflections"));
  CHECK_THAT(md, Contains("[##########] 100% · achieved · career\n\n- Achieved: 2026-09-23T08:00:00Z\n"
                          "- Activities: none planned\n"));
  CHECK_THAT(md, !Contains(" yet.\n"));  // no section is empty
}

TEST_CASE("An empty portfolio says briefly what is missing") {
  bot::Portfolio p;
  p.person.display_name = "Dana";
  p.person.time_zone = "UTC";
  const std::string md = bot::to_markdown(p);
  INFO(md);
  CHECK_THAT(md, StartsWith("# Learning portfolio — Dana\n"));
  CHECK_THAT(md, Contains("## Plans\n\nNo learning plan yet.\n") && Contains("## Check-ins\n\nNo check-ins yet.\n") &&
                     Contains("## Reflections\n\nNo reflections yet.\n") &&
                     Contains("## Evidence\n\nNo evidence recorded yet.\n") &&
                     Contains("## Achievements\n\nNo achievements yet.\n"));
  CHECK_THAT(md, !Contains("Manager") && !Contains("Email") && !Contains("Goals outside"));

  bot::Portfolio nameless;
  CHECK_THAT(bot::to_markdown(nameless), StartsWith("# Learning portfolio\n"));

  const auto j = bot::to_json(p);
  CHECK(j["schema_version"] == 1);
  CHECK(j["person"]["email"].is_null());
  CHECK(j["person"]["manager_name"].is_null());
  for (const char* list : {"plans", "goals", "checkins", "reflections", "evidence", "achievements", "reviews"}) {
    INFO(list);
    CHECK(j.at(list).is_array());
    CHECK(j.at(list).empty());
  }
}

TEST_CASE("The JSON portfolio has schema_version 1 and every documented field") {
  const auto j = bot::to_json(sample());
  CHECK(keys(j) == std::set<std::string>{"schema_version", "exported_at", "person", "plans", "goals", "checkins",
                                         "reflections", "evidence", "achievements", "reviews"});
  CHECK(j["schema_version"] == 1);
  CHECK(j["exported_at"] == "2026-09-24T08:00:00Z");

  CHECK(j["person"] == nlohmann::json{{"id", 7},
                                      {"display_name", "Alice Example"},
                                      {"email", "alice@example.com"},
                                      {"time_zone", "Europe/Berlin"},
                                      {"manager_name", "Bob Boss"},
                                      {"team", "Platform"},
                                      {"settings",
                                       {{"checkin_weekday", 4},
                                        {"checkin_time", "14:30"},
                                        {"paused_until", "2026-10-01"},
                                        {"weekly_budget_minutes", 150},
                                        {"visibility",
                                         {{"checkins", "private"},
                                          {"reflections", "manager"},
                                          {"evidence", "private"},
                                          {"achievements", "team"}}}}}});

  REQUIRE(j["plans"].size() == 1);
  CHECK(j["plans"][0] == nlohmann::json{{"id", 3},
                                        {"period_start", "2026-07-01"},
                                        {"period_end", "2027-01-01"},
                                        {"aspiration_short", "Lead incident reviews"},
                                        {"aspiration_long", "Become a staff engineer"},
                                        {"objective", "Reliable platform"},
                                        {"status", "approved"},
                                        {"submitted_at", "2026-09-14T08:00:00Z"},
                                        {"decided_at", "2026-09-14T09:00:00Z"},
                                        {"created_at", "2026-09-14T07:00:00Z"}});

  REQUIRE(j["goals"].size() == 2);
  const auto& goal = j["goals"][0];
  CHECK(keys(goal) == std::set<std::string>{"id", "plan_id", "statement", "measure", "target", "support", "relevance",
                                            "target_date", "kind", "skill_tags", "progress", "status", "achieved_at",
                                            "created_at", "activities"});
  CHECK(goal["plan_id"] == 3);
  CHECK(goal["kind"] == "leadership");
  CHECK(goal["skill_tags"] == nlohmann::json{"facilitation", "sre"});
  CHECK(goal["progress"] == 60);
  CHECK(goal["status"] == "active");
  CHECK(goal["target_date"] == "2026-12-01");
  CHECK(goal["achieved_at"].is_null());
  CHECK(goal["activities"] == nlohmann::json::array({{{"kind", "course"},
                                                       {"title", "Incident command"},
                                                       {"resource", "https://example.com/ic"},
                                                       {"planned_minutes", 90},
                                                       {"status", "in_progress"}}}));
  CHECK(j["goals"][1]["plan_id"].is_null());
  CHECK(j["goals"][1]["achieved_at"] == "2026-09-23T08:00:00Z");

  REQUIRE(j["checkins"].size() == 3);
  CHECK(j["checkins"][0]["iso_week"] == "2026-W36");  // oldest first in JSON
  const auto& c = j["checkins"][2];
  CHECK(keys(c) == std::set<std::string>{"id", "iso_week", "revision", "overall_progress", "goals", "minutes_spent",
                                         "learned", "blockers", "need_help", "confidence", "next_step", "created_at"});
  CHECK(c["revision"] == 2);
  CHECK(c["overall_progress"].is_null());
  CHECK(c["goals"] == nlohmann::json::array(
                          {{{"goal_id", 11}, {"goal_statement", "Run the team's incident reviews"}, {"progress", 60}}}));
  CHECK(c["minutes_spent"] == 90);
  CHECK(c["learned"] == "Timelines first,\n# blame never");
  CHECK(c["need_help"] == true);
  CHECK(c["confidence"] == 4);
  CHECK(c["created_at"] == "2026-09-15T08:30:00Z");

  CHECK(keys(j["reflections"][0]) == std::set<std::string>{"id", "checkin_id", "iso_week", "learned", "apply",
                                                           "differently", "visibility", "follow_up_due_at",
                                                           "followed_up_at", "applied", "follow_up_note",
                                                           "created_at"});
  CHECK(j["reflections"][0]["checkin_id"] == 3);
  CHECK(j["reflections"][0]["followed_up_at"].is_null());
  CHECK(j["reflections"][0]["applied"] == "yes");
  CHECK(j["reflections"][0]["follow_up_note"] == "Asked on day one");
  CHECK(j["evidence"][0] == nlohmann::json{{"id", 6},
                                           {"goal_id", 11},
                                           {"goal_statement", "Run the team's incident reviews"},
                                           {"content", "Facilitated the March outage review"},
                                           {"url", "https://wiki.example.com/pm/42"},
                                           {"visibility", "manager"},
                                           {"created_at", "2026-09-16T08:00:00Z"}});
  CHECK(j["achievements"][0] == nlohmann::json{{"id", 8},
                                               {"goal_id", 12},
                                               {"goal_statement", "Read one SRE book"},
                                               {"text", "Finished the SRE book"},
                                               {"shared", true},
                                               {"channel", "#platform"},
                                               {"shared_at", "2026-09-23T08:05:00Z"},
                                               {"created_at", "2026-09-23T08:00:00Z"},
                                               {"kudos", 2},
                                               {"kudos_from", nlohmann::json::array({"Carol Coach", "Bob Boss"})}});
  CHECK(j["reviews"][0] == nlohmann::json{{"id", 9},
                                          {"plan_id", 3},
                                          {"kind", "plan_approval"},
                                          {"decision", "approved"},
                                          {"comment", "Looks good"},
                                          {"reviewer_name", "Bob Boss"},
                                          {"created_at", "2026-09-14T09:00:00Z"}});
}

TEST_CASE("The JSON portfolio survives a dump and parse unchanged") {
  const auto j = bot::to_json(sample());
  CHECK(nlohmann::json::parse(j.dump()) == j);
  CHECK(nlohmann::json::parse(j.dump(2)) == j);
}
