// `coachbot export` on a real SQLite file: the export repository reads every table of
// one person, and the real binary writes Markdown or JSON to stdout or a file.
#include <catch2/catch.hpp>

#include <cctype>
#include <fstream>
#include <iterator>

#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include "storage/export_repository.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

// 2026-09-14T08:00:00Z plus whole minutes.
bot::Instant at(int minutes) { return bot::from_unix_ms(1'789'372'800'000 + minutes * 60'000LL); }
constexpr int kDay = 24 * 60;

bot::Person person(const std::string& name, std::optional<bot::PersonId> manager = std::nullopt) {
  bot::Person p;
  p.display_name = name;
  std::string email = name;
  for (char& c : email) c = c == ' ' ? '.' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  p.email = email + "@example.com";
  p.prefs.time_zone = "Europe/Berlin";
  p.manager = manager;
  p.team = "Platform";
  p.created_at = at(-kDay);
  return p;
}

struct Seeded {
  bot::PersonId alice;
  bot::PersonId bob;
  bot::GoalId goal;
};

// Alice (console handle "alice", Slack user U0ALICE) with a plan, a goal with an
// activity, two weeks of check-ins (one revised), a review by her manager Bob, and one
// reflection, piece of evidence and achievement.
Seeded seed(storage::SqliteStore& store) {
  Seeded s;
  s.bob = store.people().create(person("Bob Boss"), {bot::Platform::console, "local", "bob"}).id;
  bot::Person alice = person("Alice Example", s.bob);
  alice.prefs.checkin_weekday = 3;
  alice.prefs.checkin_minute = 8 * 60 + 15;
  alice.prefs.weekly_budget_minutes = 120;
  alice.prefs.visibility.evidence = bot::Visibility::manager;
  s.alice = store.people().create(alice, {bot::Platform::console, "local", "alice"}).id;
  SQLite::Statement link{store.database(),
                         "INSERT INTO identities (platform, tenant, user_id, person_id, created_at) "
                         "VALUES ('slack', 'T01', 'U0ALICE', ?1, 0)"};
  link.bind(1, s.alice.value);
  link.exec();

  bot::Plan plan;
  plan.person = s.alice;
  plan.period_start = "2026-07-01";
  plan.period_end = "2027-01-01";
  plan.aspiration_short = "Lead incident reviews";
  plan.aspiration_long = "Become a staff engineer";
  plan.objective = "Reliable platform";
  plan = store.plans().save(plan, at(-60));
  plan.status = bot::PlanStatus::submitted;
  store.plans().save(plan, at(0));
  plan.status = bot::PlanStatus::approved;
  store.plans().save(plan, at(60));
  store.reviews().add({plan.id, s.bob, bot::PlanStatus::approved, "Looks good", at(60)});

  bot::Goal goal;
  goal.person = s.alice;
  goal.plan = plan.id;
  goal.statement = "Run the team's incident reviews";
  goal.measure = "Reviews facilitated";
  goal.target = "Four reviews";
  goal.support = "Shadow Carol first";
  goal.relevance = "Fewer repeat incidents";
  goal.target_date = "2026-12-01";
  goal.kind = bot::GoalKind::leadership;
  goal.skill_tags = {"facilitation", "sre"};
  bot::Activity course;
  course.kind = bot::ActivityKind::course;
  course.resource = "https://example.com/ic";
  course.planned_minutes = 120;
  goal.activities.push_back(course);
  s.goal = store.goals().add(goal, at(30)).id;

  bot::CheckIn first;
  first.person = s.alice;
  first.iso_week = "2026-W38";
  first.goals = {{s.goal, 40}};
  first.learned = "A first draft";
  first.created_at = at(kDay);
  store.checkins().add(first);
  bot::CheckIn revised = first;
  revised.goals = {{s.goal, 60}};
  revised.minutes_spent = 90;
  revised.learned = "Timelines first, blame never";
  revised.need_help = true;
  revised.confidence = 4;
  revised.created_at = at(kDay + 30);
  const auto stored = store.checkins().add(revised);
  bot::CheckIn later;
  later.person = s.alice;
  later.iso_week = "2026-W39";
  later.goals = {{s.goal, 70}};
  later.learned = "Running the review myself";
  later.created_at = at(8 * kDay);
  store.checkins().add(later);

  auto& db = store.database();
  SQLite::Statement reflection{db,
                               "INSERT INTO reflections (person_id, checkin_id, learned, apply, differently, "
                               "created_at) VALUES (?1, ?2, 'Asking beats guessing', 'Ask earlier', '', ?3)"};
  reflection.bind(1, s.alice.value);
  reflection.bind(2, stored.id.value);
  reflection.bind(3, bot::to_unix_ms(at(kDay + 40)));
  reflection.exec();
  SQLite::Statement evidence{db,
                             "INSERT INTO evidence (person_id, goal_id, content, url, visibility, created_at) "
                             "VALUES (?1, ?2, 'Facilitated the outage review', 'https://wiki.example.com/pm/42', "
                             "'manager', ?3)"};
  evidence.bind(1, s.alice.value);
  evidence.bind(2, s.goal.value);
  evidence.bind(3, bot::to_unix_ms(at(2 * kDay)));
  evidence.exec();
  SQLite::Statement achievement{db,
                                "INSERT INTO achievements (person_id, goal_id, text, shared, channel, shared_at, "
                                "created_at) VALUES (?1, ?2, 'First review run', 1, '#platform', ?3, ?3)"};
  achievement.bind(1, s.alice.value);
  achievement.bind(2, s.goal.value);
  achievement.bind(3, bot::to_unix_ms(at(8 * kDay)));
  achievement.exec();
  return s;
}

std::string slurp(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, {}};
}

testing::ChildProcess coachbot(std::vector<std::string> args) {
  args.insert(args.begin(), COACHBOT_BINARY);
  return testing::ChildProcess{std::move(args)};
}

}  // namespace

TEST_CASE("The export repository reads a person's whole record with names joined in") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("coachbot.db")}};
  const Seeded s = seed(store);
  storage::SqliteExportRepository repo{store.database()};

  CHECK_FALSE(repo.load(bot::PersonId{999}));
  CHECK(repo.exists(s.alice));
  CHECK_FALSE(repo.exists(bot::PersonId{999}));

  const auto p = repo.load(s.alice);
  REQUIRE(p);
  CHECK(p->person.id == s.alice);
  CHECK(p->person.display_name == "Alice Example");
  CHECK(p->person.email == "alice.example@example.com");
  CHECK(p->person.time_zone == "Europe/Berlin");
  CHECK(p->person.manager_name == "Bob Boss");
  CHECK(p->person.team == "Platform");
  CHECK(p->person.checkin_weekday == 3);
  CHECK(p->person.checkin_minute == 8 * 60 + 15);
  CHECK_FALSE(p->person.paused_until);
  CHECK(p->person.weekly_budget_minutes == 120);
  CHECK(p->person.visibility.evidence == bot::Visibility::manager);
  CHECK(p->person.visibility.checkins == bot::Visibility::owner);

  REQUIRE(p->plans.size() == 1);
  CHECK(p->plans[0].status == bot::PlanStatus::approved);
  CHECK(p->plans[0].submitted_at == at(0));
  CHECK(p->plans[0].decided_at == at(60));
  CHECK(p->plans[0].objective == "Reliable platform");

  REQUIRE(p->goals.size() == 1);
  const auto& g = p->goals[0];
  CHECK(g.plan == p->plans[0].id);
  CHECK(g.kind == bot::GoalKind::leadership);
  CHECK(g.skill_tags == std::vector<std::string>{"facilitation", "sre"});
  CHECK(g.progress == 70);  // follows the latest check-in
  CHECK(g.target_date == "2026-12-01");
  REQUIRE(g.activities.size() == 1);
  CHECK(g.activities[0].kind == bot::ActivityKind::course);
  CHECK(g.activities[0].resource == "https://example.com/ic");
  CHECK(g.activities[0].planned_minutes == 120);
  CHECK(g.activities[0].status == "planned");

  REQUIRE(p->checkins.size() == 3);
  CHECK(p->checkins[0].revision == 1);
  CHECK(p->checkins[1].revision == 2);
  CHECK(p->checkins[1].minutes_spent == 90);
  CHECK(p->checkins[1].need_help);
  CHECK(p->checkins[1].confidence == 4);
  REQUIRE(p->checkins[1].goals.size() == 1);
  CHECK(p->checkins[1].goals[0].goal_statement == "Run the team's incident reviews");
  CHECK(p->checkins[1].goals[0].progress == 60);
  CHECK(p->checkins[2].iso_week == "2026-W39");
  CHECK(p->checkins[2].created_at == at(8 * kDay));

  REQUIRE(p->reflections.size() == 1);
  CHECK(p->reflections[0].iso_week == "2026-W38");
  CHECK(p->reflections[0].visibility == "private");
  CHECK_FALSE(p->reflections[0].applied);
  REQUIRE(p->evidence.size() == 1);
  CHECK(p->evidence[0].goal_statement == "Run the team's incident reviews");
  CHECK(p->evidence[0].url == "https://wiki.example.com/pm/42");
  REQUIRE(p->achievements.size() == 1);
  CHECK(p->achievements[0].shared);
  CHECK(p->achievements[0].channel == "#platform");
  REQUIRE(p->reviews.size() == 1);
  CHECK(p->reviews[0].reviewer_name == "Bob Boss");
  CHECK(p->reviews[0].decision == bot::PlanStatus::approved);
  CHECK(p->reviews[0].comment == "Looks good");

  // Bob has nothing but himself: the empty tables are no problem.
  const auto bob = repo.load(s.bob);
  REQUIRE(bob);
  CHECK_FALSE(bob->person.manager_name);
  CHECK(bob->plans.empty());
  CHECK(bob->goals.empty());
  CHECK(bob->checkins.empty());
  CHECK(bob->reflections.empty());
  CHECK(bob->evidence.empty());
  CHECK(bob->achievements.empty());
  CHECK(bob->reviews.empty());

  CHECK(repo.find_by_user("@ALICE").size() == 1);
  CHECK(repo.find_by_user("u0alice").at(0).id == s.alice);
  CHECK(repo.find_by_user("carol").empty());
}

TEST_CASE("coachbot export writes the JSON portfolio to stdout, found by handle, Slack id or person id") {
  testing::TempDir dir;
  const std::string db = dir.file("coachbot.db");
  Seeded s;
  {
    storage::SqliteStore store{{db}};
    s = seed(store);
  }
  for (const std::string& who : std::vector<std::string>{"alice", "U0ALICE", std::to_string(s.alice.value)}) {
    INFO(who);
    auto child = coachbot({"export", "--db", db, "--person", who, "--format", "json"});
    const std::string text = child.read_until("\n}\n");
    CHECK(child.wait() == 0);
    CHECK(child.read_stderr().empty());
    const auto j = nlohmann::json::parse(text);
    CHECK(j["schema_version"] == 1);
    CHECK_THAT(j["exported_at"].get<std::string>(), Contains("T") && Contains("Z"));
    CHECK(j["person"]["id"] == s.alice.value);
    CHECK(j["person"]["manager_name"] == "Bob Boss");
    REQUIRE(j["checkins"].size() == 3);
    CHECK(j["checkins"][1]["learned"] == "Timelines first, blame never");
    CHECK(j["checkins"][1]["revision"] == 2);
    CHECK(j["checkins"][1]["goals"][0]["goal_statement"] == "Run the team's incident reviews");
    CHECK(j["checkins"][2]["iso_week"] == "2026-W39");
    CHECK(j["checkins"][2]["created_at"] == "2026-09-22T08:00:00Z");
    CHECK(j["goals"][0]["activities"][0]["planned_minutes"] == 120);
    CHECK(j["reviews"][0]["reviewer_name"] == "Bob Boss");
    CHECK(j["achievements"][0]["text"] == "First review run");
  }
}

TEST_CASE("coachbot export --format md --out writes the Markdown portfolio to a file") {
  testing::TempDir dir;
  const std::string db = dir.file("coachbot.db");
  {
    storage::SqliteStore store{{db}};
    seed(store);
  }
  const std::string out = dir.file("alice.md");
  {
    std::ofstream old{out};
    old << std::string(100'000, 'x');  // replaced, not appended to
  }
  auto child = coachbot({"export", "--db", db, "--person", "alice", "--format", "md", "--out", out});
  CHECK(child.wait() == 0);
  CHECK_THROWS(child.read_until("#"));  // nothing on stdout
  const std::string md = slurp(out);
  INFO(md);
  CHECK_THAT(md, StartsWith("# Learning portfolio — Alice Example\n"));
  CHECK_THAT(md, !Contains("xxx"));
  CHECK_THAT(md, Contains("## Plan 2026-07-01 – 2026-12-31 (approved)") &&
                     Contains("### Goal: Run the team's incident reviews\n\n[#######---] 70%"));
  CHECK_THAT(md, Contains("## Check-ins") && Contains("  - Learned: Timelines first, blame never"));
  const auto w39 = md.find("- **2026-W39**");
  const auto w38 = md.find("- **2026-W38**");
  REQUIRE(w39 != std::string::npos);
  REQUIRE(w38 != std::string::npos);
  CHECK(w39 < w38);  // newest first
}

TEST_CASE("coachbot export refuses an unknown or ambiguous person and an unwritable file with exit 2") {
  testing::TempDir dir;
  const std::string db = dir.file("coachbot.db");
  {
    storage::SqliteStore store{{db}};
    seed(store);
    // "sam" on both Slack and Teams, two different people.
    store.people().create(person("Sam Slack"), {bot::Platform::slack, "T01", "sam"});
    store.people().create(person("Sam Teams"), {bot::Platform::teams, "tenant-1", "sam"});
  }
  {
    auto child = coachbot({"export", "--db", db, "--person", "nobody", "--format", "json"});
    CHECK(child.wait() == 2);
    CHECK_THAT(child.read_stderr(), Contains("no person") && Contains("'nobody'"));
  }
  {
    auto child = coachbot({"export", "--db", db, "--person", "424242", "--format", "md"});
    CHECK(child.wait() == 2);
    CHECK_THAT(child.read_stderr(), Contains("424242"));
  }
  {
    auto child = coachbot({"export", "--db", db, "--person", "sam", "--format", "md"});
    CHECK(child.wait() == 2);
    const std::string err = child.read_stderr();
    CHECK_THAT(err, Contains("matches 2 people") && Contains("Sam Slack (slack T01/sam)") &&
                        Contains("Sam Teams (teams tenant-1/sam)"));
  }
  {
    auto child = coachbot({"export", "--db", db, "--person", "alice", "--format", "md", "--out",
                           dir.file("missing-dir/alice.md")});
    CHECK(child.wait() == 2);
    CHECK_THAT(child.read_stderr(), Contains("cannot write") && Contains("missing-dir/alice.md"));
  }
  {
    auto child = coachbot({"export", "--db", dir.file("other.db"), "--person", "alice"});
    CHECK(child.wait() == 2);
    CHECK_THAT(child.read_stderr(), Contains("no database at"));
  }
}
