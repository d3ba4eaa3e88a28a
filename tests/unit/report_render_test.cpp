// Org reports on hand-built figures: the period, the privacy rule (fold small teams,
// hide what stays small), and the CSV, JSON and table renderers.
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

#include <nlohmann/json.hpp>

#include "bot/report.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;
using Catch::Matchers::StartsWith;

namespace {

// 2026-09-14T08:00:00Z (a Monday, 2026-W38) plus whole minutes.
bot::Instant report_at(int minutes) { return bot::from_unix_ms(1'789'372'800'000 + minutes * 60'000LL); }

bot::TeamSkills team(std::optional<std::string> name, int people, std::vector<std::pair<std::string, int>> tags = {}) {
  bot::TeamSkills t;
  t.team = std::move(name);
  t.people = people;
  for (auto& [tag, n] : tags) {
    bot::TagCount c;
    c.tag = tag;
    c.people = n;
    t.tags.push_back(c);
    t.people_with_active_goals = std::max(t.people_with_active_goals, n);
  }
  return t;
}

bot::TeamParticipation taking_part(std::optional<std::string> name, int people, int with_plan, int approved,
                                   int checkins, std::int64_t minutes) {
  bot::TeamParticipation t;
  t.team = std::move(name);
  t.people = people;
  t.people_with_plan = with_plan;
  t.plans_approved = approved;
  t.checkins = checkins;
  t.learning_minutes = minutes;
  return t;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in{text};
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::vector<std::string> labels(const bot::SkillsReport& r) {
  std::vector<std::string> out;
  for (const auto& g : r.groups) out.push_back(bot::group_label(g.kind, g.team));
  return out;
}

bot::ReportPeriod period() {
  bot::ReportPeriod p;
  p.today = "2026-09-14";
  p.weeks = {"2026-W35", "2026-W36", "2026-W37", "2026-W38"};
  return p;
}

}  // namespace

TEST_CASE("A report covers today and the last four ISO weeks in UTC") {
  const auto p = bot::report_period(report_at(0));
  CHECK(p.today == "2026-09-14");
  CHECK(p.weeks == std::vector<std::string>{"2026-W35", "2026-W36", "2026-W37", "2026-W38"});

  // 23:30 UTC on Sunday is Monday in Berlin; the report goes by UTC.
  const auto sunday = bot::report_period(report_at(-8 * 60 - 30));
  CHECK(sunday.today == "2026-09-13");
  CHECK(sunday.weeks.back() == "2026-W37");

  // Across a year end, into a 53-week year: 2027-01-05 is in 2027-W01.
  const auto january = bot::report_period(bot::from_unix_ms(1'799'109'000'000));
  CHECK(january.today == "2027-01-05");
  CHECK(january.weeks == std::vector<std::string>{"2026-W51", "2026-W52", "2026-W53", "2027-W01"});
}

TEST_CASE("Skills report: teams of 5 or more are shown, smaller ones fold into other teams") {
  const auto r = bot::make_skills_report({team("Platform", 6, {{"sre", 4}, {"go", 2}}),
                                          team("Data", 5, {{"sql", 3}, {"sre", 1}}),
                                          team("Design", 3, {{"figma", 2}, {"sre", 1}}),
                                          team("Legal", 4, {{"gdpr", 1}}),
                                          team(std::nullopt, 2, {{"sre", 1}})},
                                         10, report_at(0));
  CHECK(labels(r) == std::vector<std::string>{"Data", "Platform", "other teams (fewer than 5 people each)", "all teams"});
  CHECK(r.left_out_people == 0);
  const auto& other = r.groups[2];
  CHECK(other.kind == bot::GroupKind::other_teams);
  CHECK_FALSE(other.team);
  CHECK(other.people == 9);  // Design, Legal and the two with no team
  REQUIRE(other.tags.size() == 3);
  CHECK(other.tags[0].tag == "figma");
  CHECK(other.tags[0].people == 2);
  CHECK(other.tags[1].tag == "sre");  // ties by tag name
  CHECK(other.tags[1].people == 2);   // one in Design, one with no team
  CHECK(other.tags[2].tag == "gdpr");
  const auto& all = r.groups[3];
  CHECK(all.kind == bot::GroupKind::all_teams);
  CHECK(all.people == 20);
  REQUIRE_FALSE(all.tags.empty());
  CHECK(all.tags[0].tag == "sre");
  CHECK(all.tags[0].people == 4 + 1 + 1 + 1);
}

TEST_CASE("Skills report: a fold-in group under 5 people is hidden, counted, and kept out of the total") {
  const auto r = bot::make_skills_report(
      {team("Platform", 6, {{"sre", 4}}), team("Design", 3, {{"figma", 2}}), team(std::nullopt, 1, {{"sre", 1}})}, 10,
      report_at(0));
  CHECK(labels(r) == std::vector<std::string>{"Platform", "all teams"});
  CHECK(r.left_out_people == 4);
  // Platform minus the total must not reveal Design or the person with no team.
  const auto& all = r.groups[1];
  CHECK(all.people == 6);
  REQUIRE(all.tags.size() == 1);
  CHECK(all.tags[0].tag == "sre");
  CHECK(all.tags[0].people == 4);
  CHECK_THAT(bot::to_table(r), !Contains("figma"));
  CHECK_THAT(bot::to_csv(r), !Contains("figma"));
  CHECK_THAT(bot::to_json(r).dump(), !Contains("figma") && !Contains("Design"));
}

TEST_CASE("Skills report: nobody is shown when every group stays under 5 people, the total included") {
  const auto r = bot::make_skills_report({team("Design", 2, {{"figma", 2}}), team("Legal", 2, {{"gdpr", 1}})}, 10, report_at(0));
  CHECK(r.groups.empty());
  CHECK(r.left_out_people == 4);
  const std::string table = bot::to_table(r);
  CHECK_THAT(table, Contains("4 people are left out") && Contains("nothing to show"));
  CHECK_THAT(table, !Contains("figma") && !Contains("Design"));
}

TEST_CASE("Skills report: rows for the same team are merged before the rule is applied") {
  // Two rows of 3 are one team of 6, shown as itself rather than as two small teams.
  const auto r = bot::make_skills_report({team("Ops", 3, {{"k8s", 2}}), team("Ops", 3, {{"k8s", 1}})}, 10, report_at(0));
  REQUIRE(r.groups.size() == 2);
  CHECK(r.groups[0].team == "Ops");
  CHECK(r.groups[0].people == 6);
  CHECK(r.groups[0].tags.at(0).people == 3);
}

TEST_CASE("Skills report: top N per group, most people first, ties by tag") {
  const auto r = bot::make_skills_report(
      {team("Platform", 9, {{"c", 2}, {"a", 2}, {"b", 5}, {"d", 1}, {"zero", 0}})}, 2, report_at(0));
  REQUIRE(r.groups.size() == 2);
  REQUIRE(r.groups[0].tags.size() == 2);
  CHECK(r.groups[0].tags[0].tag == "b");
  CHECK(r.groups[0].tags[1].tag == "a");
  CHECK(bot::make_skills_report({team("Platform", 9, {{"c", 2}, {"a", 2}, {"zero", 0}})}, 10, report_at(0))
            .groups[0]
            .tags.size() == 2);  // a tag nobody carries is not listed
}

TEST_CASE("Participation report: the same rule, and completion and hours rounded half up") {
  const auto r = bot::make_participation_report({taking_part("Platform", 7, 6, 5, 20, 755),
                                                 taking_part("Design", 3, 3, 1, 12, 600),
                                                 taking_part("Legal", 2, 1, 0, 0, 0),
                                                 taking_part(std::nullopt, 1, 0, 0, 1, 30)},
                                                period(), report_at(0));
  REQUIRE(r.groups.size() == 2);
  CHECK(r.left_out_people == 0);
  const auto& platform = r.groups[0];
  CHECK(platform.team == "Platform");
  CHECK(bot::completion_tenths(platform, 4) == 714);  // 20 / 28 = 71.43%
  CHECK(bot::hours_tenths(platform.learning_minutes) == 126);  // 755 min = 12.58 h
  const auto& other = r.groups[1];
  CHECK(other.kind == bot::GroupKind::other_teams);
  CHECK(other.people == 6);
  CHECK(other.people_with_plan == 4);
  CHECK(other.plans_approved == 1);
  CHECK(other.checkins == 13);
  CHECK(other.learning_minutes == 630);

  CHECK(bot::completion_tenths(platform, 0) == 0);
  bot::ParticipationGroup empty;
  CHECK(bot::completion_tenths(empty, 4) == 0);
  bot::ParticipationGroup half;
  half.people = 8;
  half.checkins = 1;  // 1/32 = 3.125% -> 3.1
  CHECK(bot::completion_tenths(half, 4) == 31);
  half.people = 5;
  half.checkins = 1;  // 1/20 = 5.0%
  CHECK(bot::completion_tenths(half, 4) == 50);
  half.people = 16;
  half.checkins = 3;  // 3/64 = 4.6875% -> 4.7
  CHECK(bot::completion_tenths(half, 4) == 47);
  CHECK(bot::hours_tenths(3) == 1);  // 0.05 h rounds up to 0.1
  CHECK(bot::hours_tenths(2) == 0);
  CHECK(bot::hours_tenths(90) == 15);
  CHECK(bot::format_tenths(714) == "71.4");
  CHECK(bot::format_tenths(0) == "0.0");
  CHECK(bot::format_tenths(1000) == "100.0");

  const auto small = bot::make_participation_report(
      {taking_part("Platform", 5, 5, 5, 20, 60), taking_part("Legal", 2, 1, 0, 0, 0)}, period(), report_at(0));
  REQUIRE(small.groups.size() == 1);
  CHECK(small.left_out_people == 2);
}

TEST_CASE("The report CSV follows RFC 4180 and keeps formulas out of spreadsheets") {
  const auto r = bot::make_skills_report({team("R&D, \"Labs\"", 5, {{"c++", 3}, {"=cmd()", 1}}),
                                          team("Line\nbreak", 5, {}), team("Tiny", 2, {{"x", 1}})},
                                         10, report_at(0));
  const std::string csv = bot::to_csv(r);
  INFO(csv);
  CHECK_THAT(csv, StartsWith("group,people,people_with_active_goals,rank,tag,people_with_tag\r\n"));
  CHECK_THAT(csv, Contains("\r\n\"R&D, \"\"Labs\"\"\",5,3,1,c++,3\r\n"));
  CHECK_THAT(csv, Contains("\"R&D, \"\"Labs\"\"\",5,3,2,'=cmd(),1\r\n"));
  CHECK_THAT(csv, Contains("\r\n\"Line\nbreak\",5,0,,,\r\n"));  // a group with no tags keeps its row
  CHECK_THAT(csv, Contains("\r\nall teams,10,3,1,c++,3\r\n"));
  CHECK_THAT(csv, EndsWith("\r\n(left out: fewer than 5 people),2,,,,\r\n"));
  CHECK_THAT(csv, !Contains("Tiny"));
  // Every line ends CRLF: no bare LF outside the quoted team name.
  std::size_t bare = 0;
  for (std::size_t i = 0; i < csv.size(); ++i)
    if (csv[i] == '\n' && (i == 0 || csv[i - 1] != '\r')) ++bare;
  CHECK(bare == 1);

  const auto p = bot::make_participation_report({taking_part("-Ops", 7, 6, 5, 20, 755)}, period(), report_at(0));
  CHECK(bot::to_csv(p) ==
        "group,people,people_with_plan,plans_approved,checkins,checkin_completion_percent,learning_hours\r\n"
        "'-Ops,7,6,5,20,71.4,12.6\r\n");
}

TEST_CASE("The report JSON has a schema_version and the documented shape") {
  const auto skills = bot::to_json(bot::make_skills_report(
      {team("Platform", 6, {{"sre", 4}, {"go", 2}}), team(std::nullopt, 5, {}), team("Tiny", 1, {{"x", 1}})}, 1,
      report_at(0)));
  CHECK(skills["schema_version"] == bot::kReportSchemaVersion);
  CHECK(skills["report"] == "skills");
  CHECK(skills["generated_at"] == "2026-09-14T08:00:00Z");
  CHECK(skills["min_group_size"] == 5);
  CHECK(skills["top"] == 1);
  CHECK(skills["left_out_people"] == 1);
  REQUIRE(skills["groups"].size() == 3);
  CHECK(skills["groups"][0] == nlohmann::json::parse(R"({"kind": "team", "name": "Platform", "team": "Platform",
      "people": 6, "people_with_active_goals": 4, "tags": [{"tag": "sre", "people": 4}]})"));
  CHECK(skills["groups"][1]["kind"] == "no_team");
  CHECK(skills["groups"][1]["name"] == "(no team)");
  CHECK(skills["groups"][1]["team"].is_null());
  CHECK(skills["groups"][1]["tags"] == nlohmann::json::array());
  CHECK(skills["groups"][2]["kind"] == "all_teams");
  CHECK(skills["groups"][2]["people"] == 11);

  const auto part = bot::to_json(bot::make_participation_report(
      {taking_part("Platform", 7, 6, 5, 20, 755), taking_part("Tiny", 2, 0, 0, 0, 0)}, period(), report_at(0)));
  CHECK(part["schema_version"] == 1);
  CHECK(part["report"] == "participation");
  CHECK(part["today"] == "2026-09-14");
  CHECK(part["weeks"] == nlohmann::json::array({"2026-W35", "2026-W36", "2026-W37", "2026-W38"}));
  CHECK(part["left_out_people"] == 2);
  REQUIRE(part["groups"].size() == 1);
  const auto& g = part["groups"][0];
  CHECK(g["kind"] == "team");
  CHECK(g["people"] == 7);
  CHECK(g["people_with_plan"] == 6);
  CHECK(g["plans_approved"] == 5);
  CHECK(g["checkins"] == 20);
  CHECK(g["checkin_completion_percent"].get<double>() == Approx(71.4));
  CHECK(g["learning_minutes"] == 755);
  CHECK(g["learning_hours"].get<double>() == Approx(12.6));
  CHECK(g.dump().find("71.4") != std::string::npos);  // printed with one decimal, not 71.40000001
}

TEST_CASE("The report table aligns columns: text left, numbers right, UTF-8 counted as characters") {
  const auto r = bot::make_participation_report(
      {taking_part("Platform", 12, 6, 5, 20, 755), taking_part("Büro", 5, 1, 0, 3, 0)}, period(), report_at(0));
  const std::string table = bot::to_table(r);
  INFO(table);
  const auto all = lines(table);
  CHECK_THAT(all.at(0), StartsWith("Participation by team on 2026-09-14; check-ins and hours over 2026-W35 to 2026-W38"));
  CHECK_THAT(table, Contains("fewer than 5 people are shown together"));
  CHECK_THAT(table, !Contains("left out"));
  // The table starts after the notes and a blank line.
  std::size_t head = 0;
  while (head < all.size() && !all[head].starts_with("group")) ++head;
  REQUIRE(head + 2 < all.size());
  CHECK(all[head] == "group     people  with a plan  plans approved  check-ins  completion  hours");
  CHECK(all[head + 1] == "Büro           5            1               0          3       15.0%    0.0");
  CHECK(all[head + 2] == "Platform      12            6               5         20       41.7%   12.6");
  for (const auto& line : all) CHECK_FALSE(line.ends_with(' '));

  const auto s = bot::make_skills_report({team("Platform", 6, {{"sre", 4}, {"kubernetes", 2}}),
                                          team("Tab\tTeam", 5, {}), team("Tiny", 1, {})},
                                         10, report_at(0));
  const auto sl = lines(bot::to_table(s));
  CHECK_THAT(sl.at(0), StartsWith("Skills on active goals: people per skill tag, top 10 per group"));
  CHECK_THAT(bot::to_table(s), Contains("1 person is left out"));
  head = 0;
  while (head < sl.size() && !sl[head].starts_with("group")) ++head;
  REQUIRE(head + 5 < sl.size());
  CHECK(sl[head] == "group      people  with active goals  tag         people with tag");
  CHECK(sl[head + 1] == "Platform        6                  4  sre                       4");
  CHECK(sl[head + 2] == "                                      kubernetes                2");
  CHECK(sl[head + 3] == "Tab Team        5                  0  (none)");
  CHECK(sl[head + 4] == "all teams      11                  4  sre                       4");
}
