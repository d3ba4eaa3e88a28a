// `coachbot report` on a real SQLite file: the report repository's per-team figures,
// the privacy rule applied to them, and the real binary in every format.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include "bot/local_time.hpp"
#include "bot/report.hpp"
#include "storage/report_repository.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

// 2026-09-14T08:00:00Z: a Monday in 2026-W38, so the report covers W35..W38.
const bot::Instant kMonday = bot::from_unix_ms(1'789'372'800'000);

bot::Instant days_from(bot::Instant t, int days) { return t + std::chrono::days{days}; }
std::string week_of(bot::Instant now, int weeks_back) { return bot::iso_week(days_from(now, -7 * weeks_back), "UTC"); }
std::string date_of(bot::Instant now, int days) { return bot::local_date(days_from(now, days), "UTC"); }

struct Seeder {
  storage::SqliteStore& store;
  bot::Instant now;
  int next = 0;

  bot::PersonId person(std::optional<std::string> team) {
    bot::Person p;
    p.display_name = "Person " + std::to_string(++next);
    p.prefs.time_zone = "Europe/Berlin";
    p.team = std::move(team);
    p.created_at = days_from(now, -100);
    return store.people().create(p, {bot::Platform::console, "local", "p" + std::to_string(next)}).id;
  }

  std::vector<bot::PersonId> people(const std::optional<std::string>& team, int n) {
    std::vector<bot::PersonId> out;
    for (int i = 0; i < n; ++i) out.push_back(person(team));
    return out;
  }

  void goal(bot::PersonId who, std::vector<std::string> tags, bot::GoalStatus status = bot::GoalStatus::active) {
    bot::Goal g;
    g.person = who;
    g.statement = "Learn something";
    g.skill_tags = std::move(tags);
    g.status = status;
    store.goals().add(g, days_from(now, -50));
  }

  // Plan periods in days from today: start inclusive, end exclusive.
  void plan(bot::PersonId who, int start, int end, bot::PlanStatus status) {
    bot::Plan p;
    p.person = who;
    p.period_start = date_of(now, start);
    p.period_end = date_of(now, end);
    p.status = status;
    store.plans().save(p, days_from(now, -60));
  }

  // A check-in answer for the week `weeks_back` before the current one; a second
  // answer for the same week is stored as revision 2.
  void checkin(bot::PersonId who, int weeks_back, std::optional<int> minutes) {
    bot::CheckIn c;
    c.person = who;
    c.iso_week = week_of(now, weeks_back);
    c.minutes_spent = minutes;
    c.learned = "Something";
    c.created_at = days_from(now, -7 * weeks_back);
    store.checkins().add(c);
  }
};

struct Seeded {
  std::vector<bot::PersonId> platform, data, design, legal;
};

// Platform (6 people, one typed "Platform " with a stray space), Data (5), Design (3)
// and Legal (1): Design and Legal together are 4 people, too few to show even folded
// together. `now` places plans and check-ins relative to today.
Seeded seed(storage::SqliteStore& store, bot::Instant now) {
  Seeder s{store, now, 0};
  Seeded out;
  out.platform = s.people("Platform", 5);
  out.platform.push_back(s.person("Platform "));
  out.data = s.people("Data", 5);
  out.design = s.people("Design", 3);
  out.legal = s.people("Legal", 1);
  const auto& p = out.platform;
  const auto& d = out.data;

  // Skills. A person counts once per tag, however many goals carry it; achieved and
  // dropped goals do not count.
  s.goal(p[0], {"sre", "go"});
  s.goal(p[0], {"sre"});
  s.goal(p[1], {"sre"});
  s.goal(p[2], {"sre"}, bot::GoalStatus::achieved);
  s.goal(p[3], {"go"}, bot::GoalStatus::dropped);
  s.goal(p[4], {});
  s.goal(d[0], {"sql", "python"});
  s.goal(d[1], {"sql"});
  s.goal(out.design[0], {"figma"});
  s.goal(out.legal[0], {"gdpr"});
  // A damaged tag list counts as no tags rather than failing the report.
  SQLite::Statement damaged{store.database(),
                            "INSERT INTO goals (person_id, statement, skill_tags, created_at, updated_at) "
                            "VALUES (?1, 'Damaged', 'not json', 0, 0)"};
  damaged.bind(1, d[2].value);
  damaged.exec();

  // Plans: covering today (approved, submitted, active, completed and starting today);
  // not covering today (ended before, ending today, archived).
  s.plan(p[0], -70, 100, bot::PlanStatus::approved);
  s.plan(p[1], -70, 100, bot::PlanStatus::submitted);
  s.plan(p[2], -70, 100, bot::PlanStatus::active);
  s.plan(p[3], -250, -70, bot::PlanStatus::approved);
  s.plan(p[4], -70, 0, bot::PlanStatus::approved);
  s.plan(p[4], -10, 100, bot::PlanStatus::archived);
  s.plan(p[5], 0, 20, bot::PlanStatus::completed);
  s.plan(d[0], -70, 100, bot::PlanStatus::approved);
  s.plan(out.design[0], -70, 100, bot::PlanStatus::approved);

  // Check-ins over the current week (0) and the three before it (1..3).
  s.checkin(p[0], 3, 30);
  s.checkin(p[0], 3, 60);  // revised: counts once, with 60 minutes
  s.checkin(p[0], 2, 90);
  s.checkin(p[0], 0, std::nullopt);
  s.checkin(p[1], 1, 45);
  s.checkin(p[1], 4, 600);   // before the period
  s.checkin(p[1], -1, 600);  // a week ahead (a zone east of UTC): not in the period
  s.checkin(p[2], 0, 120);
  s.checkin(p[2], 0, 30);  // the latest revision's minutes, not the sum
  for (int w = 0; w < 4; ++w) s.checkin(d[0], w, 60);
  s.checkin(out.design[0], 0, 300);
  return out;
}

std::string slurp(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, {}};
}

testing::ChildProcess coachbot(std::vector<std::string> args) {
  args.insert(args.begin(), COACHBOT_BINARY);
  return testing::ChildProcess{std::move(args)};
}

// Everything the child wrote on stdout, once it has exited: read_until reads up to
// the end of the output and then throws for want of a needle that never comes.
std::string all_stdout(testing::ChildProcess& child) {
  child.wait();
  try {
    child.read_until(std::string(1, '\0'));
  } catch (const std::runtime_error&) {
  }
  return child.all_stdout();
}

const bot::TeamSkills* find(const std::vector<bot::TeamSkills>& teams, const std::optional<std::string>& name) {
  for (const auto& t : teams)
    if (t.team == name) return &t;
  return nullptr;
}

int tag_people(const bot::TeamSkills& t, const std::string& tag) {
  for (const auto& c : t.tags)
    if (c.tag == tag) return c.people;
  return 0;
}

}  // namespace

TEST_CASE("The report repository counts distinct people per tag on active goals, per team") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("coachbot.db")}};
  seed(store, kMonday);
  storage::SqliteReportRepository repo{store.database()};

  const auto teams = repo.skills();
  REQUIRE(teams.size() == 4);
  const auto* platform = find(teams, "Platform");
  REQUIRE(platform);
  CHECK(platform->people == 6);  // "Platform " is the same team
  CHECK(platform->people_with_active_goals == 3);
  CHECK(tag_people(*platform, "sre") == 2);  // not 3 goals, not the achieved one
  CHECK(tag_people(*platform, "go") == 1);   // not the dropped one
  CHECK(platform->tags.size() == 2);
  const auto* data = find(teams, "Data");
  REQUIRE(data);
  CHECK(data->people == 5);
  CHECK(data->people_with_active_goals == 3);  // the damaged goal is still an active goal
  CHECK(tag_people(*data, "sql") == 2);
  CHECK(tag_people(*data, "python") == 1);
  CHECK(data->tags.size() == 2);
  REQUIRE(find(teams, "Design"));
  CHECK(find(teams, "Design")->people == 3);
  CHECK(tag_people(*find(teams, "Design"), "figma") == 1);
  REQUIRE(find(teams, "Legal"));

  // The rule: Design and Legal fold into 4 people, which is too few to show.
  const auto report = bot::make_skills_report(teams, 10, kMonday);
  REQUIRE(report.groups.size() == 3);
  CHECK(report.groups[0].team == "Data");
  CHECK(report.groups[1].team == "Platform");
  CHECK(report.groups[2].kind == bot::GroupKind::all_teams);
  CHECK(report.groups[2].people == 11);
  CHECK(report.left_out_people == 4);
  CHECK(report.groups[2].tags.at(0).tag == "sql");  // 2 people, ties with sre by name
  CHECK(report.groups[2].tags.at(1).tag == "sre");

  // A fifth person among the small teams, with no team at all: the fold-in group
  // reaches 5 and is shown.
  Seeder more{store, kMonday, 100};  // handles p101 on, clear of the seed's
  more.person(std::nullopt);
  SQLite::Statement blank{store.database(), "UPDATE people SET team = '  ' WHERE id = ?1"};
  blank.bind(1, more.person(std::nullopt).value);  // blank counts as no team
  blank.exec();
  const auto again = repo.skills();
  REQUIRE(find(again, std::nullopt));
  CHECK(find(again, std::nullopt)->people == 2);
  const auto shown = bot::make_skills_report(again, 10, kMonday);
  REQUIRE(shown.groups.size() == 4);
  CHECK(shown.left_out_people == 0);
  const auto& other = shown.groups[2];
  CHECK(other.kind == bot::GroupKind::other_teams);
  CHECK(other.people == 6);
  CHECK(other.people_with_active_goals == 2);
  REQUIRE(other.tags.size() == 2);
  CHECK(other.tags[0].tag == "figma");
  CHECK(other.tags[1].tag == "gdpr");
  CHECK(shown.groups[3].people == 17);
}

TEST_CASE("The report repository reads plans covering today and four weeks of check-ins, revisions once") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("coachbot.db")}};
  seed(store, kMonday);
  storage::SqliteReportRepository repo{store.database()};
  const auto period = bot::report_period(kMonday);
  REQUIRE(period.weeks == std::vector<std::string>{"2026-W35", "2026-W36", "2026-W37", "2026-W38"});

  const auto teams = repo.participation(period);
  REQUIRE(teams.size() == 4);
  const auto report = bot::make_participation_report(teams, period, kMonday);
  REQUIRE(report.groups.size() == 2);
  CHECK(report.left_out_people == 4);

  const auto& data = report.groups[0];
  CHECK(data.team == "Data");
  CHECK(data.people == 5);
  CHECK(data.people_with_plan == 1);
  CHECK(data.plans_approved == 1);
  CHECK(data.checkins == 4);
  CHECK(data.learning_minutes == 240);
  CHECK(bot::completion_tenths(data, 4) == 200);  // 4 of 5 x 4

  const auto& platform = report.groups[1];
  CHECK(platform.team == "Platform");
  CHECK(platform.people == 6);
  CHECK(platform.people_with_plan == 4);  // approved, submitted, active, starting today
  CHECK(platform.plans_approved == 3);    // approved, active, completed
  CHECK(platform.checkins == 5);          // p0: 3 weeks, p1: 1, p2: 1
  CHECK(platform.learning_minutes == 60 + 90 + 45 + 30);
  CHECK(bot::completion_tenths(platform, 4) == 208);        // 5 / 24 = 20.83%
  CHECK(bot::hours_tenths(platform.learning_minutes) == 38);  // 225 min = 3.75 h

  const std::string table = bot::to_table(report);
  INFO(table);
  CHECK_THAT(table, Contains("Platform       6            4               3          5       20.8%    3.8"));
  CHECK_THAT(table, Contains("4 people are left out"));
  CHECK_THAT(table, !Contains("Design") && !Contains("Legal"));
}

TEST_CASE("coachbot report skills prints JSON, CSV and a table through the real binary") {
  testing::TempDir dir;
  const std::string db = dir.file("coachbot.db");
  {
    storage::SqliteStore store{{db}};
    seed(store, bot::SystemClock{}.now());
  }
  {
    auto child = coachbot({"report", "skills", "--db", db, "--format", "json"});
    const std::string text = child.read_until("\n}\n");
    CHECK(child.wait() == 0);
    CHECK(child.read_stderr().empty());
    INFO(text);
    const auto j = nlohmann::json::parse(text);
    CHECK(j["schema_version"] == 1);
    CHECK(j["report"] == "skills");
    CHECK(j["top"] == 10);
    CHECK(j["left_out_people"] == 4);
    REQUIRE(j["groups"].size() == 3);
    CHECK(j["groups"][0]["name"] == "Data");
    CHECK(j["groups"][1]["name"] == "Platform");
    CHECK(j["groups"][1]["people"] == 6);
    CHECK(j["groups"][1]["tags"] == nlohmann::json::parse(R"([{"tag": "sre", "people": 2}, {"tag": "go", "people": 1}])"));
    CHECK(j["groups"][2]["kind"] == "all_teams");
    CHECK_THAT(text, !Contains("figma") && !Contains("gdpr") && !Contains("Design") && !Contains("Legal"));
  }
  {
    const std::string out = dir.file("skills.csv");
    auto child = coachbot({"report", "skills", "--db", db, "--format", "csv", "--top", "1", "--out", out});
    CHECK(child.wait() == 0);
    CHECK(all_stdout(child).empty());
    CHECK(slurp(out) ==
          "group,people,people_with_active_goals,rank,tag,people_with_tag\r\n"
          "Data,5,3,1,sql,2\r\n"
          "Platform,6,3,1,sre,2\r\n"
          "all teams,11,6,1,sql,2\r\n"
          "(left out: fewer than 5 people),4,,,,\r\n");
  }
  {
    auto child = coachbot({"report", "skills", "--db", db});
    const std::string text = all_stdout(child);
    CHECK(child.wait() == 0);
    INFO(text);
    CHECK_THAT(text, StartsWith("Skills on active goals: people per skill tag, top 10 per group"));
    CHECK_THAT(text, Contains("4 people are left out"));
    CHECK_THAT(text, Contains("\ngroup      people  with active goals  tag     people with tag\n"
                              "Data            5                  3  sql                   2\n"
                              "                                      python                1\n"
                              "Platform        6                  3  sre                   2\n"
                              "                                      go                    1\n"));
    CHECK_THAT(text, !Contains("figma"));
  }
}

TEST_CASE("coachbot report participation prints JSON, CSV and a table through the real binary") {
  testing::TempDir dir;
  const std::string db = dir.file("coachbot.db");
  const auto before = bot::report_period(bot::SystemClock{}.now());
  {
    storage::SqliteStore store{{db}};
    seed(store, bot::SystemClock{}.now());
  }
  auto json_child = coachbot({"report", "participation", "--db", db, "--format", "json"});
  const std::string text = json_child.read_until("\n}\n");
  CHECK(json_child.wait() == 0);
  auto csv_child = coachbot({"report", "participation", "--db", db, "--format", "csv"});
  const std::string csv = all_stdout(csv_child);
  CHECK(csv_child.wait() == 0);
  auto table_child = coachbot({"report", "participation", "--db", db, "--format", "table"});
  const std::string table = all_stdout(table_child);
  CHECK(table_child.wait() == 0);
  // The week may turn (Monday 00:00 UTC) between seeding and running; then the
  // check-in figures moved with it and only the shape can be checked.
  const bool same_period = bot::report_period(bot::SystemClock{}.now()).weeks == before.weeks;

  INFO(text);
  const auto j = nlohmann::json::parse(text);
  CHECK(j["schema_version"] == 1);
  CHECK(j["report"] == "participation");
  CHECK(j["weeks"].size() == 4);
  CHECK(j["left_out_people"] == 4);
  REQUIRE(j["groups"].size() == 2);
  const auto& platform = j["groups"][1];
  CHECK(platform["name"] == "Platform");
  CHECK(platform["people"] == 6);
  CHECK(platform["people_with_plan"] == 4);
  CHECK(platform["plans_approved"] == 3);

  INFO(csv);
  CHECK_THAT(csv, StartsWith("group,people,people_with_plan,plans_approved,checkins,checkin_completion_percent,"
                             "learning_hours\r\n"));
  CHECK_THAT(csv, Contains("\r\n(left out: fewer than 5 people),4,,,,,\r\n"));
  INFO(table);
  CHECK_THAT(table, StartsWith("Participation by team on "));
  CHECK_THAT(table, Contains("group     people  with a plan  plans approved  check-ins  completion  hours\n"));
  for (const auto& text_out : {text, csv, table}) CHECK_THAT(text_out, !Contains("Design") && !Contains("Legal"));

  if (same_period) {
    CHECK(j["weeks"] == nlohmann::json(before.weeks));
    CHECK(j["today"] == before.today);
    CHECK(platform["checkins"] == 5);
    CHECK(platform["checkin_completion_percent"].get<double>() == Approx(20.8));
    CHECK(platform["learning_minutes"] == 225);
    CHECK(platform["learning_hours"].get<double>() == Approx(3.8));
    CHECK_THAT(csv, Contains("\r\nData,5,1,1,4,20.0,4.0\r\nPlatform,6,4,3,5,20.8,3.8\r\n"));
    CHECK_THAT(table, Contains("\nData           5            1               1          4       20.0%    4.0\n"
                               "Platform       6            4               3          5       20.8%    3.8\n"));
  } else {
    WARN("the ISO week turned while the test ran; check-in figures not compared");
  }
}

TEST_CASE("coachbot report refuses bad arguments, a missing database and an unwritable file") {
  testing::TempDir dir;
  const std::string db = dir.file("coachbot.db");
  {
    storage::SqliteStore store{{db}};
    seed(store, kMonday);
  }
  // Every usage mistake exits 2, with CLI11's message.
  {
    auto child = coachbot({"report", "--db", db});
    CHECK(child.wait() == 2);
    CHECK_THAT(child.read_stderr(), Contains("kind is required"));
  }
  {
    auto child = coachbot({"report", "teams", "--db", db});
    CHECK(child.wait() == 2);
    CHECK_THAT(child.read_stderr(), Contains("teams") && Contains("skills") && Contains("participation"));
  }
  {
    auto child = coachbot({"report", "skills", "--db", db, "--format", "xml"});
    CHECK(child.wait() == 2);
    CHECK_THAT(child.read_stderr(), Contains("--format") && Contains("xml"));
  }
  {
    auto child = coachbot({"report", "skills", "--db", db, "--top", "0"});
    CHECK(child.wait() == 2);
    CHECK_THAT(child.read_stderr(), Contains("--top"));
  }
  {
    auto child = coachbot({"report", "participation", "--db", db, "--top", "3"});
    CHECK(child.wait() == 2);
    CHECK_THAT(child.read_stderr(), Contains("--top") && Contains("report skills"));
    CHECK(all_stdout(child).empty());
  }
  {
    auto child = coachbot({"report", "skills", "--db", dir.file("other.db")});
    CHECK(child.wait() == 2);
    CHECK_THAT(child.read_stderr(), Contains("no database at") && Contains("other.db"));
  }
  CHECK_FALSE(std::filesystem::exists(dir.file("other.db")));  // not created by asking
  {
    auto child =
        coachbot({"report", "participation", "--db", db, "--format", "csv", "--out", dir.file("missing-dir/r.csv")});
    CHECK(child.wait() == 2);
    CHECK_THAT(child.read_stderr(), Contains("cannot write") && Contains("missing-dir/r.csv"));
  }
}
