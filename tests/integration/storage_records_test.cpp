// Reflections, evidence, achievements and kudos, erasure ("delete my data"), the v1 to
// v2 migration and the portfolio read, on real SQLite files.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <stdexcept>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include "storage/migrations.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/temp_dir.hpp"

using Catch::Matchers::Contains;

namespace {

// 2026-09-14T08:00:00Z plus whole minutes.
bot::Instant at(int minutes) { return bot::from_unix_ms(1'789'372'800'000 + minutes * 60'000LL); }
constexpr int kDay = 24 * 60;

bot::Person sample(const std::string& name, std::optional<bot::PersonId> manager = std::nullopt) {
  bot::Person p;
  p.display_name = name;
  p.prefs.time_zone = "Europe/Berlin";
  p.manager = manager;
  p.created_at = at(0);
  return p;
}

bot::Identity console(const std::string& user) { return {bot::Platform::console, "local", user}; }

bot::Goal goal_of(bot::PersonId person, const std::string& statement) {
  bot::Goal g;
  g.person = person;
  g.statement = statement;
  bot::Activity a;
  a.kind = bot::ActivityKind::reading;
  a.resource = "https://example.com/book";
  a.planned_minutes = 60;
  g.activities.push_back(a);
  return g;
}

// A check-in of week 2026-W38 with the given progress per goal.
bot::CheckIn checkin_of(bot::PersonId person, std::vector<bot::CheckInGoalProgress> goals, bot::Instant created) {
  bot::CheckIn c;
  c.person = person;
  c.iso_week = "2026-W38";
  c.goals = std::move(goals);
  c.created_at = created;
  return c;
}

bot::Reflection reflection_of(bot::PersonId person, const std::string& learned, bot::Instant created,
                              std::optional<bot::Instant> due) {
  bot::Reflection r;
  r.person = person;
  r.learned = learned;
  r.created_at = created;
  r.follow_up_due_at = due;
  return r;
}

bot::Evidence evidence_of(bot::PersonId person, std::optional<bot::GoalId> goal, const std::string& content,
                          bot::Instant created) {
  bot::Evidence e;
  e.person = person;
  e.goal = goal;
  e.content = content;
  e.created_at = created;
  return e;
}

bot::Achievement achievement_of(bot::PersonId person, std::optional<bot::GoalId> goal, const std::string& text,
                                bot::Instant created) {
  bot::Achievement a;
  a.person = person;
  a.goal = goal;
  a.text = text;
  a.created_at = created;
  return a;
}

bot::Message to_channel(const std::string& channel, const std::string& text) {
  bot::Recipient r;
  r.kind = bot::RecipientKind::channel;
  r.channel = channel;
  return bot::Message::text(r, text);
}

int count(SQLite::Database& db, const std::string& sql) { return db.execAndGet(sql).getInt(); }

std::set<std::string> rows(SQLite::Database& db, const std::string& sql, std::int64_t person = 0) {
  std::set<std::string> out;
  SQLite::Statement s{db, sql};
  if (s.getBindParameterCount() > 0) s.bind(1, person);
  while (s.executeStep()) out.insert(s.getColumn(0).getString());
  return out;
}

// Every table, the key of a row and which rows belong to person ?1: the test below
// fails when a migration adds a table that is not listed here.
struct TableRows {
  const char* table;
  const char* key;
  const char* theirs;
};

constexpr TableRows kTables[] = {
    {"people", "id", "id = ?1"},
    {"identities", "platform || '/' || tenant || '/' || user_id", "person_id = ?1"},
    {"plans", "id", "person_id = ?1"},
    {"goals", "id", "person_id = ?1"},
    {"activities", "id", "goal_id IN (SELECT id FROM goals WHERE person_id = ?1)"},
    {"checkins", "id", "person_id = ?1"},
    {"checkin_goals", "checkin_id || '/' || goal_id", "checkin_id IN (SELECT id FROM checkins WHERE person_id = ?1)"},
    {"reflections", "id", "person_id = ?1"},
    {"evidence", "id", "person_id = ?1"},
    {"achievements", "id", "person_id = ?1"},
    {"kudos", "achievement_id || '/' || giver_id",
     "giver_id = ?1 OR achievement_id IN (SELECT id FROM achievements WHERE person_id = ?1)"},
    {"reviews", "id", "plan_id IN (SELECT id FROM plans WHERE person_id = ?1)"},
    {"nudges", "id", "recipient_id = ?1 OR about_person_id = ?1"},
    {"dialog_sessions", "person_id", "person_id = ?1"},
    {"schedule", "id", "person_id = ?1"},
    {"outbox", "id", "person_id = ?1 OR origin_person_id = ?1"},
    {"processed_events", "platform || '/' || event_id", "0"},
    {"conversations", "platform || '/' || conversation_id", "person_id = ?1"},
};

std::set<std::string> all_rows(SQLite::Database& db, const TableRows& t) {
  return rows(db, std::string{"SELECT "} + t.key + " FROM " + t.table);
}

std::set<std::string> their_rows(SQLite::Database& db, const TableRows& t, bot::PersonId person) {
  return rows(db, std::string{"SELECT "} + t.key + " FROM " + t.table + " WHERE " + t.theirs, person.value);
}

}  // namespace

TEST_CASE("A reflection is stored whole and its follow-up is due once, oldest first") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("a.db")}};
  const auto alice = store.people().create(sample("alice"), console("alice")).id;
  const auto bob = store.people().create(sample("bob"), console("bob")).id;
  const auto checkin = store.checkins().add(checkin_of(alice, {}, at(0))).id;

  auto& reflections = store.reflections();
  bot::Reflection full = reflection_of(alice, "Asking beats guessing", at(0), at(14 * kDay));
  full.checkin = checkin;
  full.apply = "Ask earlier";
  full.differently = "Start sooner";
  full.visibility = bot::Visibility::manager;
  const auto older = reflections.add(full);
  CHECK(older.id);
  const auto newer = reflections.add(reflection_of(alice, "Pairing helps", at(60), at(14 * kDay + 60)));
  reflections.add(reflection_of(alice, "No follow-up wanted", at(30), std::nullopt));
  reflections.add(reflection_of(alice, "Much later", at(90), at(60 * kDay)));
  reflections.add(reflection_of(bob, "Bob's own", at(-kDay), at(kDay)));

  const auto found = reflections.find(older.id);
  REQUIRE(found);
  CHECK(found->person == alice);
  CHECK(found->checkin == checkin);
  CHECK(found->learned == "Asking beats guessing");
  CHECK(found->apply == "Ask earlier");
  CHECK(found->differently == "Start sooner");
  CHECK(found->visibility == bot::Visibility::manager);
  CHECK(found->follow_up_due_at == at(14 * kDay));
  CHECK_FALSE(found->followed_up_at);
  CHECK_FALSE(found->applied);
  CHECK(found->follow_up_note.empty());
  CHECK(found->created_at == at(0));
  CHECK(store.database().execAndGet("SELECT visibility FROM reflections WHERE id = " +
                                    std::to_string(older.id.value)).getString() == "manager");
  CHECK_FALSE(reflections.find(bot::ReflectionId{424242}));

  CHECK_FALSE(reflections.follow_up_due(alice, at(14 * kDay - 1)));
  REQUIRE(reflections.follow_up_due(alice, at(14 * kDay)));  // due exactly now counts
  CHECK(reflections.follow_up_due(alice, at(14 * kDay))->id == older.id);
  CHECK(reflections.follow_up_due(alice, at(20 * kDay))->id == older.id);  // both due: the oldest

  reflections.mark_followed_up(older.id, at(20 * kDay));
  REQUIRE(reflections.follow_up_due(alice, at(20 * kDay)));
  CHECK(reflections.follow_up_due(alice, at(20 * kDay))->id == newer.id);
  reflections.mark_followed_up(newer.id, at(20 * kDay));
  CHECK_FALSE(reflections.follow_up_due(alice, at(20 * kDay)));  // the rest is not due or never asks
  CHECK(reflections.follow_up_due(alice, at(60 * kDay))->learned == "Much later");
  CHECK(reflections.follow_up_due(bob, at(20 * kDay))->learned == "Bob's own");

  reflections.record_follow_up(older.id, "partly", "Used it in two reviews");
  reflections.mark_followed_up(older.id, at(30 * kDay));  // asked once: the first date stays
  const auto answered = reflections.find(older.id);
  REQUIRE(answered);
  CHECK(answered->applied == "partly");
  CHECK(answered->follow_up_note == "Used it in two reviews");
  CHECK(answered->followed_up_at == at(20 * kDay));
}

TEST_CASE("Evidence for a goal comes oldest first and only for that goal") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("a.db")}};
  const auto alice = store.people().create(sample("alice"), console("alice")).id;
  const auto g1 = store.goals().add(goal_of(alice, "Run incident reviews"), at(0)).id;
  const auto g2 = store.goals().add(goal_of(alice, "Read one SRE book"), at(0)).id;

  bot::Evidence linked = evidence_of(alice, g1, "Notes: https://wiki.example.com/pm/42", at(20));
  linked.url = "https://wiki.example.com/pm/42";
  linked.visibility = bot::Visibility::team;
  const auto later = store.evidence().add(linked);
  const auto earlier = store.evidence().add(evidence_of(alice, g1, "Shadowed Carol", at(10)));
  store.evidence().add(evidence_of(alice, g2, "Chapter 3", at(5)));
  store.evidence().add(evidence_of(alice, std::nullopt, "A certificate", at(1)));
  CHECK(later.id != earlier.id);

  const auto found = store.evidence().for_goal(g1);
  REQUIRE(found.size() == 2);
  CHECK(found[0].id == earlier.id);
  CHECK(found[0].content == "Shadowed Carol");
  CHECK_FALSE(found[0].url);
  CHECK(found[0].visibility == bot::Visibility::owner);
  CHECK(found[1].id == later.id);
  CHECK(found[1].person == alice);
  CHECK(found[1].goal == g1);
  CHECK(found[1].url == "https://wiki.example.com/pm/42");
  CHECK(found[1].visibility == bot::Visibility::team);
  CHECK(found[1].created_at == at(20));
  CHECK(store.evidence().for_goal(g2).size() == 1);
  CHECK(store.evidence().for_goal(bot::GoalId{424242}).empty());
}

TEST_CASE("A plan's achieved goals are listed for its Home page, and only they") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("a.db")}};
  const auto alice = store.people().create(sample("alice"), console("alice")).id;
  bot::Plan plan;
  plan.person = alice;
  plan.period_start = "2026-07-01";
  plan.period_end = "2027-01-01";
  plan = store.plans().save(plan, at(0));
  bot::Goal reached = goal_of(alice, "Read one SRE book");
  reached.plan = plan.id;
  reached = store.goals().add(reached, at(1));
  bot::Goal going = goal_of(alice, "Run three incident reviews");
  going.plan = plan.id;
  store.goals().add(going, at(2));
  store.goals().add(goal_of(alice, "Unplanned and reached"), at(3));
  store.checkins().add(checkin_of(alice, {{reached.id, 100}}, at(10)));
  const auto achieved = store.goals().achieved_in(alice, plan.id);
  REQUIRE(achieved.size() == 1);
  CHECK(achieved[0].statement == "Read one SRE book");
  CHECK(store.goals().active_for(alice).size() == 2);
}

TEST_CASE("A goal is found by id whatever its status, with its activities") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("a.db")}};
  const auto alice = store.people().create(sample("alice"), console("alice")).id;
  bot::Goal g = goal_of(alice, "Read one SRE book");
  g.skill_tags = {"sre"};
  g.kind = bot::GoalKind::career;
  g.target_date = "2026-12-01";
  const auto stored = store.goals().add(g, at(0));
  store.checkins().add(checkin_of(alice, {{stored.id, 100}}, at(10)));
  CHECK(store.goals().active_for(alice).empty());  // achieved now

  const auto found = store.goals().find(stored.id);
  REQUIRE(found);
  CHECK(found->person == alice);
  CHECK(found->statement == "Read one SRE book");
  CHECK(found->status == bot::GoalStatus::achieved);
  CHECK(found->progress == 100);
  CHECK(found->kind == bot::GoalKind::career);
  CHECK(found->skill_tags == std::vector<std::string>{"sre"});
  CHECK(found->target_date == "2026-12-01");
  REQUIRE(found->activities.size() == 1);
  CHECK(found->activities[0].kind == bot::ActivityKind::reading);
  CHECK(found->activities[0].planned_minutes == 60);
  CHECK_FALSE(store.goals().find(bot::GoalId{424242}));
}

TEST_CASE("One achievement per goal: a second add replaces its text and sharing") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("a.db")}};
  const auto alice = store.people().create(sample("alice"), console("alice")).id;
  const auto goal = store.goals().add(goal_of(alice, "Read one SRE book"), at(0)).id;
  auto& achievements = store.achievements();

  CHECK_FALSE(achievements.for_goal(goal));
  const auto first = achievements.add(achievement_of(alice, goal, "Finished the book", at(10)));
  CHECK(first.id);
  CHECK_FALSE(first.shared);
  CHECK(first.created_at == at(10));

  bot::Achievement shared = achievement_of(alice, goal, "Finished the SRE book!", at(20));
  shared.shared = true;
  shared.channel = "C0PLATFORM";
  shared.shared_at = at(21);
  const auto second = achievements.add(shared);
  CHECK(second.id == first.id);
  CHECK(second.person == alice);
  CHECK(second.goal == goal);
  CHECK(second.text == "Finished the SRE book!");
  CHECK(second.shared);
  CHECK(second.channel == "C0PLATFORM");
  CHECK(second.shared_at == at(21));
  CHECK(second.created_at == at(10));  // when it was first reached
  CHECK(count(store.database(), "SELECT count(*) FROM achievements") == 1);

  const auto found = achievements.for_goal(goal);
  REQUIRE(found);
  CHECK(found->id == first.id);
  CHECK(found->text == "Finished the SRE book!");
  CHECK(found->channel == "C0PLATFORM");

  // Without a goal nothing is replaced.
  const auto a = achievements.add(achievement_of(alice, std::nullopt, "Gave a talk", at(30)));
  const auto b = achievements.add(achievement_of(alice, std::nullopt, "Gave a talk", at(31)));
  CHECK(a.id != b.id);
  CHECK(count(store.database(), "SELECT count(*) FROM achievements") == 3);
}

TEST_CASE("Kudos are counted once per giver, in the order they were given") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("a.db")}};
  const auto alice = store.people().create(sample("alice"), console("alice")).id;
  const auto bob = store.people().create(sample("bob"), console("bob")).id;
  const auto carol = store.people().create(sample("carol"), console("carol")).id;
  const auto goal = store.goals().add(goal_of(alice, "Read one SRE book"), at(0)).id;
  auto& achievements = store.achievements();
  const auto achievement = achievements.add(achievement_of(alice, goal, "Finished the book", at(10))).id;

  CHECK(achievements.kudos(achievement).empty());
  CHECK(achievements.add_kudos(achievement, carol, at(11)));
  CHECK(achievements.add_kudos(achievement, bob, at(12)));
  CHECK_FALSE(achievements.add_kudos(achievement, carol, at(13)));
  CHECK(achievements.kudos(achievement) == std::vector<bot::PersonId>{carol, bob});  // not by id
  CHECK(count(store.database(), "SELECT count(*) FROM kudos") == 2);
  // The refused second kudos wrote nothing, not even a new time.
  CHECK(store.database()
            .execAndGet("SELECT created_at FROM kudos WHERE giver_id = " + std::to_string(carol.value))
            .getInt64() == bot::to_unix_ms(at(11)));

  // Replacing the achievement's text keeps its kudos.
  achievements.add(achievement_of(alice, goal, "Finished the SRE book!", at(20)));
  CHECK(achievements.kudos(achievement).size() == 2);
  CHECK_THROWS_AS(achievements.add_kudos(bot::AchievementId{424242}, bob, at(14)), SQLite::Exception);
}

TEST_CASE("Erasing a person removes every row of theirs and keeps everyone else's") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("a.db")}};
  auto& db = store.database();
  REQUIRE(count(db, "PRAGMA foreign_keys") == 1);

  // Bob manages Alice, Alice manages Carol.
  const auto bob = store.people().create(sample("bob"), console("bob")).id;
  const auto alice = store.people().create(sample("alice", bob), console("alice")).id;
  const auto carol = store.people().create(sample("carol", alice), console("carol")).id;

  // Every kind of record, for Alice and for the others.
  for (const auto who : {alice, bob, carol}) {
    bot::Plan plan;
    plan.person = who;
    plan.period_start = "2026-07-01";
    plan.period_end = "2027-01-01";
    plan = store.plans().save(plan, at(0));
    bot::Goal g = goal_of(who, "Goal of " + std::to_string(who.value));
    g.plan = plan.id;
    const auto goal = store.goals().add(g, at(0)).id;
    const auto checkin = store.checkins().add(checkin_of(who, {{goal, 40}}, at(1))).id;
    bot::Reflection r = reflection_of(who, "learned", at(2), at(14 * kDay));
    r.checkin = checkin;
    store.reflections().add(r);
    store.evidence().add(evidence_of(who, goal, "evidence", at(3)));
    store.achievements().add(achievement_of(who, goal, "done", at(4)));
    store.sessions().save(who, {"checkin", 1, {}}, 0, at(5));
    store.outbox().add(bot::Platform::console, bot::Message::text(bot::Recipient::dm(who), "hi"), at(5), who);
    SQLite::Statement schedule{db,
                               "INSERT INTO schedule (kind, person_id, rule, next_run_at, created_at) "
                               "VALUES ('checkin', ?1, 'weekly', 0, 0)"};
    schedule.bind(1, who.value);
    schedule.exec();
    bot::ConversationRef chat;
    chat.tenant = "T1";
    chat.conversation = "a:chat-" + std::to_string(who.value);
    chat.kind = "personal";
    chat.service_url = "https://smba.trafficmanager.net/emea/";
    chat.person = who;
    chat.user_id = "29:" + std::to_string(who.value);
    chat.updated_at = at(5);
    store.conversations().save(chat);
  }
  // A team channel is nobody's: it stays.
  bot::ConversationRef channel;
  channel.tenant = "T1";
  channel.conversation = "19:general@thread.tacv2";
  channel.kind = "channel";
  channel.service_url = "https://smba.trafficmanager.net/emea/";
  channel.updated_at = at(5);
  store.conversations().save(channel);
  const auto achievement_of_person = [&](bot::PersonId who) {
    return bot::AchievementId{
        db.execAndGet("SELECT id FROM achievements WHERE person_id = " + std::to_string(who.value)).getInt64()};
  };
  // Kudos both ways, and Carol's kudos to Bob stays.
  store.achievements().add_kudos(achievement_of_person(bob), alice, at(6));
  store.achievements().add_kudos(achievement_of_person(alice), bob, at(6));
  store.achievements().add_kudos(achievement_of_person(bob), carol, at(6));
  // Bob reviewed Alice's plan (goes with her plan); Alice reviewed Carol's (stays, reviewer unknown).
  const auto plan_of = [&](bot::PersonId who) {
    return bot::PlanId{db.execAndGet("SELECT id FROM plans WHERE person_id = " + std::to_string(who.value)).getInt64()};
  };
  store.reviews().add({plan_of(alice), bob, bot::PlanStatus::approved, "ok", at(7)});
  store.reviews().add({plan_of(carol), alice, bot::PlanStatus::approved, "fine", at(7)});
  // Messages Alice caused that went to others: her manager, a channel, delivered or not.
  const auto to_bob = store.outbox().add(bot::Platform::console,
                                         bot::Message::text(bot::Recipient::dm(bob), "Alice submitted"), at(8), alice);
  store.outbox().mark_delivered(to_bob, at(9));
  store.outbox().add(bot::Platform::slack, to_channel("C1", "Alice reached a goal"), at(8), alice);
  const auto bobs_own = store.outbox().add(bot::Platform::slack, to_channel("C1", "Bob reached a goal"), at(8), bob);
  const auto no_origin = store.outbox().add(bot::Platform::slack, to_channel("C1", "Weekly digest"), at(8));
  // Nudges to Alice, and to Bob about Alice.
  db.exec("INSERT INTO nudges (recipient_id, subject_kind, created_at) VALUES (" + std::to_string(alice.value) +
          ", 'checkin', 0)");
  db.exec("INSERT INTO nudges (recipient_id, about_person_id, subject_kind, created_at) VALUES (" +
          std::to_string(bob.value) + ", " + std::to_string(alice.value) + ", 'plan_review', 0)");
  db.exec("INSERT INTO nudges (recipient_id, about_person_id, subject_kind, created_at) VALUES (" +
          std::to_string(bob.value) + ", " + std::to_string(carol.value) + ", 'plan_review', 0)");
  store.processed_events().mark(bot::Platform::console, "e1", at(9));

  // Every table is listed above: a new one has to say which of its rows are a person's.
  // sqlite_sequence holds the outbox's highest id ever given, nobody's data.
  std::set<std::string> listed{"erasures", "sqlite_sequence"};
  for (const auto& t : kTables) listed.insert(t.table);
  CHECK(rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'") == listed);

  std::map<std::string, std::set<std::string>> before;
  std::map<std::string, std::set<std::string>> theirs;
  for (const auto& t : kTables) {
    before[t.table] = all_rows(db, t);
    theirs[t.table] = their_rows(db, t, alice);
    INFO(t.table);
    if (std::string_view{t.table} != "processed_events") CHECK_FALSE(theirs[t.table].empty());  // the seed covers it
    CHECK(theirs[t.table].size() < before[t.table].size());                                     // and others have rows
  }

  {
    auto tx = store.begin();
    store.people().erase(alice, at(10));
    tx->commit();
  }

  for (const auto& t : kTables) {
    INFO(t.table);
    std::set<std::string> expected;
    for (const auto& key : before[t.table])
      if (!theirs[t.table].count(key)) expected.insert(key);
    CHECK(all_rows(db, t) == expected);
  }
  CHECK_FALSE(store.people().find(alice));
  CHECK_FALSE(store.people().find_by_identity(console("alice")));
  const auto carol_now = store.people().find(carol);
  REQUIRE(carol_now);
  CHECK_FALSE(carol_now->manager);
  CHECK(store.people().find(bob)->manager == std::nullopt);
  const auto carols_reviews = store.reviews().for_plan(plan_of(carol));
  REQUIRE(carols_reviews.size() == 1);
  CHECK_FALSE(carols_reviews[0].reviewer);
  CHECK(carols_reviews[0].comment == "fine");
  CHECK(store.achievements().kudos(achievement_of_person(bob)) == std::vector<bot::PersonId>{carol});
  CHECK(store.outbox().find(bobs_own));
  CHECK(store.outbox().find(no_origin));
  CHECK_FALSE(store.outbox().find(to_bob));
  CHECK(rows(db, "PRAGMA foreign_key_check").empty());

  // Only the count is left, per UTC month of the erasure.
  CHECK(rows(db, "SELECT month || '=' || count FROM erasures") == std::set<std::string>{"2026-09=1"});
}

TEST_CASE("Erasures are counted per UTC month, once per person") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("a.db")}};
  auto& db = store.database();
  const auto a = store.people().create(sample("a"), console("a")).id;
  const auto b = store.people().create(sample("b"), console("b")).id;
  const auto c = store.people().create(sample("c"), console("c")).id;
  using namespace std::chrono;
  // 23:30 UTC on 30 September is already October in Berlin; the count uses UTC.
  const bot::Instant end_of_september = bot::Instant{sys_days{year{2026} / 9 / 30}} + hours{23} + minutes{30};
  store.people().erase(a, end_of_september);
  store.people().erase(b, end_of_september + hours{1});
  store.people().erase(a, end_of_september + hours{2});       // already gone: not counted again
  store.people().erase(bot::PersonId{424242}, end_of_september);  // nobody: not counted
  CHECK(rows(db, "SELECT month || '=' || count FROM erasures") == std::set<std::string>{"2026-09=1", "2026-10=1"});
  store.people().erase(c, end_of_september + hours{3});
  CHECK(rows(db, "SELECT month || '=' || count FROM erasures") == std::set<std::string>{"2026-09=1", "2026-10=2"});
  CHECK(count(db, "SELECT count(*) FROM people") == 0);
}

TEST_CASE("Erasing refuses to run without foreign keys rather than leave records behind") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("a.db")}};
  const auto alice = store.people().create(sample("alice"), console("alice")).id;
  store.database().exec("PRAGMA foreign_keys = OFF");
  CHECK_THROWS_AS(store.people().erase(alice, at(0)), std::logic_error);
  CHECK(store.people().find(alice));
  CHECK(count(store.database(), "SELECT count(*) FROM identities") == 1);
  CHECK(count(store.database(), "SELECT count(*) FROM erasures") == 0);
}

TEST_CASE("A version 1 file is migrated to the latest version and keeps its data") {
  testing::TempDir dir;
  const std::string path = dir.file("v1.db");
  {
    SQLite::Database f{path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
    f.exec("PRAGMA foreign_keys = ON");
    f.exec(std::string{storage::migrations()[0].sql});
    f.exec("PRAGMA user_version = 1");
    f.exec("INSERT INTO people (id, display_name, time_zone, checkin_weekday, checkin_minute, created_at, "
           "updated_at) VALUES (1, 'alice', 'UTC', 1, 540, 0, 0)");
    f.exec("INSERT INTO identities (platform, tenant, user_id, person_id, created_at) "
           "VALUES ('console', 'local', 'alice', 1, 0)");
    f.exec("INSERT INTO goals (id, person_id, statement, created_at, updated_at) VALUES (7, 1, 'Read', 0, 0)");
    f.exec("INSERT INTO reflections (id, person_id, learned, follow_up_due_at, created_at) "
           "VALUES (3, 1, 'Asking beats guessing', 1000, 0)");
    f.exec("INSERT INTO achievements (id, person_id, goal_id, text, created_at) VALUES (5, 1, 7, 'Done', 0)");
    f.exec("INSERT INTO outbox (platform, person_id, recipient_key, message, next_attempt_at, created_at) "
           "VALUES ('console', 1, 'person:1', '{}', 0, 0)");
    f.exec("INSERT INTO outbox (id, platform, person_id, recipient_key, message, status, next_attempt_at, "
           "platform_ref, created_at, delivered_at) VALUES (40, 'slack', 1, 'person:1', '{}', 'delivered', 0, "
           "'1790000000.1', 0, 1)");
  }
  storage::SqliteStore store{{path}};
  auto& db = store.database();
  CHECK(storage::schema_version(db) == storage::latest_schema_version());

  const auto alice = store.people().find_by_identity(console("alice"));
  REQUIRE(alice);
  CHECK(alice->display_name == "alice");
  const auto r = store.reflections().find(bot::ReflectionId{3});
  REQUIRE(r);
  CHECK(r->learned == "Asking beats guessing");
  CHECK(r->follow_up_note.empty());
  CHECK(store.reflections().follow_up_due(alice->id, bot::from_unix_ms(1000))->id == r->id);
  const auto a = store.achievements().for_goal(bot::GoalId{7});
  REQUIRE(a);
  CHECK(a->text == "Done");
  CHECK(store.achievements().add(achievement_of(alice->id, bot::GoalId{7}, "Done!", at(0))).id == a->id);
  CHECK(count(db, "SELECT count(*) FROM outbox WHERE origin_person_id IS NULL") == 2);
  CHECK(count(db, "SELECT count(*) FROM outbox WHERE id = 40 AND status = 'delivered' AND "
                  "platform_ref = '1790000000.1' AND delivered_at = 1") == 1);
  // Ids are never given twice, not even the newest one's after it was deleted.
  db.exec("DELETE FROM outbox WHERE id = 40");
  CHECK(store.outbox().add(bot::Platform::slack, bot::Message::text(bot::Recipient::dm(alice->id), "hi"), at(0)).value ==
        41);
  for (const char* index : {"reflections_follow_up", "evidence_goal", "achievements_one_per_goal", "kudos_giver",
                            "outbox_origin", "outbox_person", "outbox_recipient", "outbox_update_key",
                            "outbox_platform_ref", "outbox_pending"}) {
    INFO(index);
    CHECK(count(db, std::string{"SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '"} + index +
                        "'") == 1);
  }
  CHECK(rows(db, "PRAGMA foreign_key_check").empty());

  // The migrated file erases like a new one.
  store.people().erase(alice->id, at(0));
  CHECK(count(db, "SELECT count(*) FROM outbox") == 0);
  CHECK(count(db, "SELECT count(*) FROM reflections") == 0);
}

TEST_CASE("The portfolio is read inside the caller's transaction, or in its own") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("a.db")}};
  CHECK_FALSE(store.portfolio(bot::PersonId{424242}));
  {
    auto tx = store.begin();
    const auto alice = store.people().create(sample("alice"), console("alice")).id;
    store.reflections().add(reflection_of(alice, "Uncommitted", at(1), std::nullopt));
    const auto p = store.portfolio(alice);  // no "transaction within a transaction"
    REQUIRE(p);
    REQUIRE(p->reflections.size() == 1);
    CHECK(p->reflections[0].learned == "Uncommitted");  // sees this transaction's writes
    // Not committed: the read must not have ended the caller's transaction.
  }
  CHECK_FALSE(store.people().find_by_identity(console("alice")));

  const auto bob = store.people().create(sample("bob"), console("bob")).id;
  const auto p = store.portfolio(bob);
  REQUIRE(p);
  CHECK(p->person.display_name == "bob");
  CHECK(store.begin() != nullptr);  // its own read transaction is over
}

TEST_CASE("The exported portfolio has follow-up notes and kudos by name") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("a.db")}};
  const auto alice = store.people().create(sample("Alice Example"), console("alice")).id;
  const auto bob = store.people().create(sample("Bob Boss"), console("bob")).id;
  const auto carol = store.people().create(sample("Carol Coach"), console("carol")).id;
  const auto goal = store.goals().add(goal_of(alice, "Read one SRE book"), at(0)).id;
  const auto reflection = store.reflections().add(reflection_of(alice, "Asking beats guessing", at(1), at(2))).id;
  store.reflections().mark_followed_up(reflection, at(3));
  store.reflections().record_follow_up(reflection, "yes", "Asked on day one");
  const auto achievement = store.achievements().add(achievement_of(alice, goal, "Finished the book", at(4))).id;
  store.achievements().add_kudos(achievement, carol, at(5));
  store.achievements().add_kudos(achievement, bob, at(6));
  store.achievements().add(achievement_of(alice, std::nullopt, "Gave a talk", at(7)));

  auto p = store.portfolio(alice);
  REQUIRE(p);
  REQUIRE(p->reflections.size() == 1);
  CHECK(p->reflections[0].applied == "yes");
  CHECK(p->reflections[0].follow_up_note == "Asked on day one");
  REQUIRE(p->achievements.size() == 2);
  CHECK(p->achievements[0].kudos_from == std::vector<std::string>{"Carol Coach", "Bob Boss"});
  CHECK(p->achievements[1].kudos_from.empty());

  p->exported_at = at(10);
  const auto j = bot::to_json(*p);
  CHECK(j["reflections"][0]["follow_up_note"] == "Asked on day one");
  CHECK(j["achievements"][0]["kudos"] == 2);
  CHECK(j["achievements"][0]["kudos_from"] == nlohmann::json::array({"Carol Coach", "Bob Boss"}));
  CHECK(j["achievements"][1]["kudos"] == 0);
  CHECK(j["achievements"][1]["kudos_from"] == nlohmann::json::array());

  const std::string md = bot::to_markdown(*p);
  INFO(md);
  CHECK_THAT(md, Contains("  - Applied it: Yes\n  - Follow-up note: Asked on day one\n"));
  CHECK_THAT(md, Contains(": Finished the book\n  - Goal: Read one SRE book\n  - Not shared\n"
                          "  - Kudos from Carol Coach, Bob Boss\n"));

  // A giver who is erased leaves no name behind.
  store.people().erase(carol, at(20));
  CHECK(store.portfolio(alice)->achievements[0].kudos_from == std::vector<std::string>{"Bob Boss"});
}
