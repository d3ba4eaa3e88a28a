// `coachbot import-directory` on real SQLite files: people created and updated, managers
// resolved in a second pass, bad rows skipped whole, loops refused, idempotence, JSON,
// the v2 -> v3 upgrade, and the real binary's report and exit codes.
#include <catch2/catch.hpp>

#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "bot/directory.hpp"
#include "bot/timers.hpp"
#include "storage/directory_import.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

using Catch::Matchers::Contains;

namespace {

// 2026-09-14T08:00:00Z plus whole minutes.
bot::Instant at(int minutes) { return bot::from_unix_ms(1'789'372'800'000 + minutes * 60'000LL); }

bot::Defaults defaults() {
  bot::Defaults d;
  d.time_zone = "Europe/London";
  d.checkin_weekday = 2;
  d.checkin_minute = 10 * 60;
  return d;
}

bot::DirectoryImportResult import(storage::SqliteStore& store, std::string_view text,
                                  bot::DirectoryFormat format = bot::DirectoryFormat::csv, bool commit = true,
                                  const storage::SqliteDirectoryImport::Progress& progress = {}) {
  const auto read = bot::read_directory(text, format);
  if (!read.directory) FAIL("file refused: " << read.error);
  storage::SqliteDirectoryImport importer{store.database()};
  return importer.run(*read.directory, defaults(), at(0), commit, progress);
}

std::string report(const bot::DirectoryImportResult& r) { return bot::format_import_report(r, "people.csv", false); }

// A person's row as the import leaves it, by email.
struct Row {
  std::int64_t id = 0;
  std::string name;
  std::string time_zone;
  std::optional<std::string> team;
  std::optional<std::string> region;
  std::optional<std::string> manager_email;
  int checkin_weekday = 0;
  std::int64_t updated_at = 0;
};

std::optional<Row> person(storage::SqliteStore& store, const std::string& email) {
  SQLite::Statement s{store.database(),
                      "SELECT p.id, p.display_name, p.time_zone, p.team, p.region, m.email, p.checkin_weekday, "
                      "p.updated_at FROM people p LEFT JOIN people m ON m.id = p.manager_id WHERE p.email = ?1"};
  s.bind(1, email);
  if (!s.executeStep()) return std::nullopt;
  Row r;
  r.id = s.getColumn(0).getInt64();
  r.name = s.getColumn(1).getString();
  r.time_zone = s.getColumn(2).getString();
  if (!s.getColumn(3).isNull()) r.team = s.getColumn(3).getString();
  if (!s.getColumn(4).isNull()) r.region = s.getColumn(4).getString();
  if (!s.getColumn(5).isNull()) r.manager_email = s.getColumn(5).getString();
  r.checkin_weekday = s.getColumn(6).getInt();
  r.updated_at = s.getColumn(7).getInt64();
  return r;
}

int count(storage::SqliteStore& store, const std::string& table) {
  return store.database().execAndGet("SELECT count(*) FROM " + table).getInt();
}

bot::Person stored(const std::string& name, const std::optional<std::string>& email) {
  bot::Person p;
  p.display_name = name;
  p.email = email;
  p.prefs.time_zone = "Europe/Berlin";
  p.team = "platform";
  p.created_at = at(-60);
  return p;
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream f{path, std::ios::binary};
  f << text;
}

testing::ChildProcess coachbot(std::vector<std::string> args) {
  args.insert(args.begin(), COACHBOT_BINARY);
  return testing::ChildProcess{std::move(args)};
}

const std::string kOrg =
    "email,name,manager_email,team,time_zone,region,slack_id,slack_team\n"
    "alice@example.com,Alice Example,carol@example.com,platform,Europe/Berlin,EMEA,U0ALICE,T01\n"
    "bob@example.com,\"Bob, the Builder\",alice@example.com,platform,,EMEA,,\n"
    "carol@example.com,Carol Chief,,,America/New_York,AMER,,\n";

}  // namespace

TEST_CASE("A directory creates people, their Slack ids and managers, a manager coming later in the file") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("coachbot.db")}};
  std::vector<std::pair<std::size_t, std::size_t>> ticks;
  const auto r = import(store, kOrg, bot::DirectoryFormat::csv, true,
                        [&](std::size_t done, std::size_t total) { ticks.emplace_back(done, total); });
  INFO(report(r));
  CHECK(r.created == 3);
  CHECK(r.updated == 0);
  CHECK(r.skipped.empty());
  // Carol was written before the two below her, but the report follows the file.
  REQUIRE(r.changes.size() == 3);
  CHECK(r.changes[0].who == "alice@example.com");
  CHECK(r.changes[2].who == "carol@example.com");
  REQUIRE(ticks.size() == 6);  // each row once while matching, once while writing
  CHECK(ticks.back() == std::pair<std::size_t, std::size_t>{6, 6});

  const auto alice = person(store, "alice@example.com");
  const auto bob = person(store, "bob@example.com");
  const auto carol = person(store, "carol@example.com");
  REQUIRE(alice);
  REQUIRE(bob);
  REQUIRE(carol);
  CHECK(alice->name == "Alice Example");
  CHECK(alice->manager_email == "carol@example.com");
  CHECK(alice->region == "EMEA");
  CHECK(alice->time_zone == "Europe/Berlin");
  CHECK(alice->checkin_weekday == 2);  // new people get the configured defaults
  CHECK(bob->name == "Bob, the Builder");
  CHECK(bob->manager_email == "alice@example.com");
  CHECK(bob->time_zone == "Europe/London");  // no zone in the row: the default
  CHECK_FALSE(carol->manager_email);
  CHECK_FALSE(carol->team);
  const auto found = store.people().find_by_identity({bot::Platform::slack, "T01", "U0ALICE"});
  REQUIRE(found);
  CHECK(found->id.value == alice->id);
  CHECK_THAT(report(r), Contains("created alice@example.com: name Alice Example, time zone Europe/Berlin, team "
                                 "platform, region EMEA, manager carol@example.com, slack T01/U0ALICE\n") &&
                            Contains("people.csv: 3 created, 0 updated, 0 unchanged, 0 skipped\n"));
}

TEST_CASE("Importing the same directory again changes nothing") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("coachbot.db")}};
  import(store, kOrg);
  const auto before = person(store, "bob@example.com");
  const auto again = import(store, kOrg);
  INFO(report(again));
  CHECK(again.created == 0);
  CHECK(again.updated == 0);
  CHECK(again.unchanged == 3);
  CHECK(again.changes.empty());
  CHECK_THAT(report(again), Contains("0 created, 0 updated, 3 unchanged"));
  CHECK(person(store, "bob@example.com")->updated_at == before->updated_at);
  CHECK(count(store, "people") == 3);
  CHECK(count(store, "identities") == 1);
}

TEST_CASE("An update reports each field before and after, and a missing column keeps the stored value") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("coachbot.db")}};
  store.people().create(stored("Bob", "Bob@Example.com"), {bot::Platform::console, "local", "bob"});
  store.people().create(stored("Carol", "carol@example.com"), {bot::Platform::console, "local", "carol"});
  // No region or time_zone column: those stay as they are. Bob's email differs only in
  // letter case, which is not a change.
  const auto r = import(store,
                        "email,name,team,manager_email\n"
                        "bob@example.com,Bob,data,carol@example.com\n"
                        "carol@example.com,Carol,platform,\n");
  INFO(report(r));
  CHECK(r.updated == 1);
  CHECK(r.unchanged == 1);
  REQUIRE(r.changes.size() == 1);
  CHECK(report(r) ==
        "updated bob@example.com: team platform \u2192 data, manager (none) \u2192 carol@example.com\n"
        "people.csv: 0 created, 1 updated, 1 unchanged, 0 skipped\n");
  const auto bob = person(store, "Bob@Example.com");
  REQUIRE(bob);
  CHECK(bob->team == "data");
  CHECK(bob->time_zone == "Europe/Berlin");
  CHECK(bob->manager_email == "carol@example.com");

  // An empty cell clears: Bob has no manager and no team any more.
  const auto cleared = import(store, "email,team,manager_email\nbob@example.com,,\n");
  CHECK_THAT(report(cleared), Contains("updated bob@example.com: team data \u2192 (none), manager carol@example.com "
                                       "\u2192 (none)\n"));
  CHECK_FALSE(person(store, "Bob@Example.com")->manager_email);
}

TEST_CASE("People are found by platform id when the email is new, and gain the email and new ids") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("coachbot.db")}};
  const auto dana = store.people().create(stored("dana", std::nullopt), {bot::Platform::slack, "T01", "U0DANA"});
  store.people().create(stored("Erin", "erin@example.com"), {bot::Platform::console, "local", "erin"});
  const auto r = import(store,
                        "email,name,slack_id,slack_team,teams_aad_id,teams_tenant\n"
                        "dana@example.com,Dana Doe,U0DANA,,,\n"        // slack id in any workspace
                        "erin@example.com,Erin,U0ERIN,T01,aad-erin,tenant-1\n"
                        "frank@example.com,Frank,U0FRANK,,,\n");     // a new id needs its workspace
  INFO(report(r));
  CHECK(r.updated == 2);
  CHECK_THAT(report(r), Contains("updated dana@example.com: name dana \u2192 Dana Doe, email (none) \u2192 "
                                 "dana@example.com\n") &&
                            Contains("updated erin@example.com: slack (none) \u2192 T01/U0ERIN, teams (none) \u2192 "
                                     "tenant-1/aad-erin\n") &&
                            Contains("line 4: slack id U0FRANK is new; add slack_team so it can be linked\n"));
  CHECK(person(store, "dana@example.com")->id == dana.id.value);
  CHECK(store.people().find_by_identity({bot::Platform::teams, "tenant-1", "aad-erin"}));
  CHECK_FALSE(person(store, "frank@example.com"));
}

TEST_CASE("Bad rows are skipped with their line numbers and nothing of them is written") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("coachbot.db")}};
  store.people().create(stored("Gail", "gail@example.com"), {bot::Platform::slack, "T01", "U0GAIL"});
  store.people().create(stored("Hank", "hank@example.com"), {bot::Platform::slack, "T01", "U0HANK"});
  const auto r = import(store,
                        "email,name,team,time_zone,manager_email,slack_id,slack_team\n"
                        "ivy@example.com,Ivy,data,Europe/Paris,,,\n"                          // 2: fine
                        "gail@example.com,Gail,data,,nobody@example.com,,\n"                  // 3: unknown manager
                        "jack@example.com,Jack,data,Berlin,,,\n"                              // 4: bad zone
                        "hank@example.com,Hank,data,,,U0GAIL,T01\n"                           // 5: two people
                        "\"kim@example.com\",Kim,\"data\n"
                        "science\",,,,\n"                                                     // 6-7: line break
                        "ivy@example.com,Ivy Again,ops,,,,\n"                                 // 8: repeated
                        "lee@example.com,Lee,data,,kim@example.com,,\n"                       // 9: manager skipped
                        "mo@example.com,Mo,data,,ivy@example.com,,\n"                         // 10: fine
                        "ned@example.com,Ned,data,,,,,extra\n");                              // 11: ragged
  INFO(report(r));
  CHECK(r.created == 2);
  CHECK(r.updated == 0);
  const std::string text = report(r);
  CHECK_THAT(text, Contains("line 3: manager nobody@example.com is neither in this file nor in the database\n"));
  CHECK_THAT(text, Contains("line 4: time_zone 'Berlin' is not an IANA time zone name (did you mean "
                            "Europe/Berlin?)\n"));
  CHECK_THAT(text, Contains("line 5: email hank@example.com is person ") &&
                       Contains("(Hank) but slack id U0GAIL is person "));
  CHECK_THAT(text, Contains("line 6: team contains a line break or another control character\n"));
  CHECK_THAT(text, Contains("line 8: email ivy@example.com is also on line 2\n"));
  CHECK_THAT(text, Contains("line 9: manager kim@example.com is on line 6, which is skipped\n"));
  CHECK_THAT(text, Contains("line 11: 8 fields where the header has 7\n"));
  CHECK_THAT(text, Contains("people.csv: 2 created, 0 updated, 0 unchanged, 7 skipped\n"));
  REQUIRE(r.skipped.size() == 7);
  CHECK(r.skipped.front().where.number == 3);  // in file order
  CHECK(r.skipped.back().where.number == 11);

  // Skipped rows left everything as it was: Gail's and Hank's teams did not change.
  CHECK(person(store, "gail@example.com")->team == "platform");
  CHECK_FALSE(person(store, "gail@example.com")->manager_email);
  CHECK(person(store, "hank@example.com")->team == "platform");
  for (const char* email : {"jack@example.com", "kim@example.com", "lee@example.com", "ned@example.com"}) {
    INFO(email);
    CHECK_FALSE(person(store, email));
  }
  CHECK(person(store, "ivy@example.com")->name == "Ivy");
  CHECK(person(store, "mo@example.com")->manager_email == "ivy@example.com");
}

TEST_CASE("A chain of managers that would loop is refused for the rows that make it") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("coachbot.db")}};
  SECTION("within the file") {
    const auto r = import(store,
                          "email,name,manager_email\n"
                          "a@example.com,A,b@example.com\n"
                          "b@example.com,B,c@example.com\n"
                          "c@example.com,C,a@example.com\n"
                          "d@example.com,D,a@example.com\n");
    INFO(report(r));
    REQUIRE(r.skipped.size() == 4);
    for (std::size_t i = 0; i < 3; ++i)
      CHECK_THAT(r.skipped[i].message, Contains("managers would form a loop: ") && Contains("a@example.com"));
    CHECK(r.skipped[0].message ==
          "managers would form a loop: a@example.com \u2192 b@example.com \u2192 c@example.com \u2192 a@example.com");
    // D's manager was to be A, who is not added now.
    CHECK(r.skipped[3].message == "manager a@example.com is on line 2, which is skipped");
    CHECK(count(store, "people") == 0);
  }
  SECTION("with a manager link already stored") {
    // Olga manages Pat in the database; the file makes Pat manage Olga.
    const auto olga = store.people().create(stored("Olga", "olga@example.com"), {bot::Platform::console, "local", "o"});
    auto pat = stored("Pat", "pat@example.com");
    pat.manager = olga.id;
    store.people().create(pat, {bot::Platform::console, "local", "p"});
    const auto r = import(store,
                          "email,name,manager_email,team\n"
                          "olga@example.com,Olga,pat@example.com,data\n"
                          "quinn@example.com,Quinn,olga@example.com,data\n");
    INFO(report(r));
    REQUIRE(r.skipped.size() == 1);
    CHECK(r.skipped[0].message ==
          "managers would form a loop: olga@example.com \u2192 pat@example.com \u2192 olga@example.com");
    CHECK(person(store, "olga@example.com")->team == "platform");  // not half-applied
    CHECK_FALSE(person(store, "olga@example.com")->manager_email);
    // Olga is still there, so she can still manage someone new.
    CHECK(person(store, "quinn@example.com")->manager_email == "olga@example.com");
  }
  SECTION("a person who is their own manager through another id") {
    store.people().create(stored("Rae", "rae@example.com"), {bot::Platform::slack, "T01", "U0RAE"});
    const auto r = import(store, "slack_id,manager_email\nU0RAE,rae@example.com\n");
    REQUIRE(r.skipped.size() == 1);
    CHECK(r.skipped[0].message == "manager_email rae@example.com is this same person");
  }
}

TEST_CASE("A long chain listed reports first is applied, or skipped whole when its top is missing") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("coachbot.db")}};
  constexpr int kPeople = 300;
  const auto chain = [&](const std::string& prefix, const std::string& top) {
    std::string csv = "email,name,manager_email\n";
    for (int i = 0; i < kPeople; ++i) {
      const std::string manager = i + 1 < kPeople ? prefix + std::to_string(i + 1) + "@example.com" : top;
      csv += prefix + std::to_string(i) + "@example.com,Person " + std::to_string(i) + "," + manager + "\n";
    }
    return csv;
  };
  const auto ok = import(store, chain("p", ""));
  CHECK(ok.created == kPeople);
  CHECK(ok.skipped.empty());
  CHECK(person(store, "p0@example.com")->manager_email == "p1@example.com");
  CHECK(person(store, "p298@example.com")->manager_email == "p299@example.com");

  const auto bad = import(store, chain("q", "nobody@example.com"));
  CHECK(bad.created == 0);
  REQUIRE(bad.skipped.size() == kPeople);
  CHECK(bad.skipped.front().message == "manager q1@example.com is on line 3, which is skipped");
  CHECK(bad.skipped.back().message == "manager nobody@example.com is neither in this file nor in the database");
  CHECK(count(store, "people") == kPeople);
}

TEST_CASE("A JSON directory is applied like a CSV one, its problems named by item") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("coachbot.db")}};
  const auto r = import(store, R"([
    {"email": "bob@example.com", "name": "Bob", "manager_email": "carol@example.com", "team": "data"},
    {"email": "carol@example.com", "name": "Carol", "manager_email": null, "region": "EMEA",
     "teams_aad_id": "aad-carol", "teams_tenant": "tenant-1"},
    {"email": "dave@example.com", "time_zone": "Europe/Berlin"},
    {"email": "erin@example.com", "name": "Erin", "team": ["a"]}
  ])",
                        bot::DirectoryFormat::json);
  const std::string text = bot::format_import_report(r, "people.json", false);
  INFO(text);
  CHECK(r.created == 2);
  CHECK_THAT(text, Contains("item 3: name is needed to add a new person\n") &&
                       Contains("item 4: team must be text or null, not a list\n") &&
                       Contains("people.json: 2 created, 0 updated, 0 unchanged, 2 skipped\n"));
  CHECK(person(store, "bob@example.com")->manager_email == "carol@example.com");
  CHECK(person(store, "carol@example.com")->region == "EMEA");
  CHECK(store.people().find_by_identity({bot::Platform::teams, "tenant-1", "aad-carol"}));
}

TEST_CASE("A dry run reports the changes and writes nothing") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("coachbot.db")}};
  const auto r = import(store, kOrg, bot::DirectoryFormat::csv, false);
  CHECK(r.created == 3);
  CHECK(count(store, "people") == 0);
  CHECK(count(store, "identities") == 0);
}

TEST_CASE("A schema v2 file is upgraded to v3: people gain a region, nothing is lost") {
  testing::TempDir dir;
  const std::string path = dir.file("v2.db");
  {
    SQLite::Database db{path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
    for (const auto& m : storage::migrations()) {
      if (m.version > 2) break;
      db.exec(std::string{m.sql});
      db.exec("PRAGMA user_version = " + std::to_string(m.version));
    }
    db.exec("INSERT INTO people (display_name, email, time_zone, checkin_weekday, checkin_minute, created_at, "
            "updated_at) VALUES ('Old Timer', 'old@example.com', 'Europe/Berlin', 1, 540, 0, 0)");
  }
  storage::SqliteStore store{{path}};
  auto& db = store.database();
  CHECK(storage::schema_version(db) == storage::latest_schema_version());  // v3 and any later ones
  CHECK(db.execAndGet("SELECT count(*) FROM pragma_table_info('people') WHERE name = 'region'").getInt() == 1);
  CHECK(db.execAndGet("SELECT count(*) FROM sqlite_master WHERE name IN ('people_email_nocase', 'identities_user')")
            .getInt() == 2);
  const auto old = person(store, "old@example.com");
  REQUIRE(old);
  CHECK(old->name == "Old Timer");
  CHECK_FALSE(old->region);
  const auto r = import(store, "Email,Region\nOLD@example.com,EMEA\n");
  CHECK_THAT(report(r), Contains("updated old@example.com: region (none) \u2192 EMEA\n"));
}

TEST_CASE("coachbot import-directory prints the report, and exits 0, 3 or 2") {
  testing::TempDir dir;
  const std::string db = dir.file("coachbot.db");
  const std::string csv = dir.file("people.csv");
  write_file(csv, "\xEF\xBB\xBF" + kOrg);
  {
    auto child = coachbot({"--db", db, "import-directory", csv});
    const std::string out = child.read_until("skipped\n");
    CHECK(child.wait() == 0);
    CHECK_THAT(out, Contains("created carol@example.com: name Carol Chief, time zone America/New_York, "
                             "region AMER\n") &&
                        Contains(csv + ": 3 created, 0 updated, 0 unchanged, 0 skipped\n"));
    const std::string err = child.read_stderr();
    CHECK_THAT(err, Contains("creating it"));
    CHECK_THAT(err, !Contains("\r") && !Contains("importing"));  // no progress line off a terminal
  }
  {
    auto child = coachbot({"--db", db, "import-directory", csv});
    CHECK_THAT(child.read_until("skipped\n"), Contains(": 0 created, 0 updated, 3 unchanged, 0 skipped\n"));
    CHECK(child.wait() == 0);
    CHECK(child.read_stderr().empty());
  }
  const std::string json = dir.file("more.json");
  write_file(json, R"([{"email": "bob@example.com", "team": "data"},
                       {"email": "zed@example.com", "name": "Zed", "time_zone": "Mars/Base"}])");
  {
    auto child = coachbot({"--db", db, "import-directory", json, "--dry-run"});
    const std::string out = child.read_until("(dry run: nothing was written)\n");
    CHECK(child.wait() == 3);
    CHECK_THAT(out, Contains("updated bob@example.com: team platform \u2192 data\n") &&
                        Contains("item 2: time_zone 'Mars/Base' is not an IANA time zone name") &&
                        Contains(": 0 created, 1 updated, 0 unchanged, 1 skipped"));
  }
  {
    storage::SqliteStore store{{db}};
    CHECK(person(store, "bob@example.com")->team == "platform");
  }
  {
    auto child = coachbot({"--db", db, "import-directory", json});
    CHECK_THAT(child.read_until("skipped\n"), Contains(": 0 created, 1 updated, 0 unchanged, 1 skipped\n"));
    CHECK(child.wait() == 3);
  }
  {
    storage::SqliteStore store{{db}};
    CHECK(person(store, "bob@example.com")->team == "data");
    CHECK_FALSE(person(store, "zed@example.com"));
  }
  {
    const std::string bad = dir.file("bad.csv");
    write_file(bad, "email,boss\nbob@example.com,carol@example.com\n");
    auto child = coachbot({"--db", db, "import-directory", bad});
    CHECK(child.wait() == 2);
    CHECK_THAT(child.read_stderr(), Contains("bad.csv: unknown column 'boss'") && Contains("nothing was imported"));
  }
  {
    auto child = coachbot({"--db", db, "import-directory", dir.file("missing.csv")});
    CHECK(child.wait() == 2);
    CHECK_THAT(child.read_stderr(), Contains("cannot read") && Contains("missing.csv"));
  }
  {
    auto child = coachbot({"--db", dir.file("none.db"), "import-directory", csv, "--dry-run"});
    CHECK(child.wait() == 2);
    CHECK_THAT(child.read_stderr(), Contains("no database at"));
  }
  {
    auto child = coachbot({"--db", db, "import-directory"});
    CHECK(child.wait() == 2);  // a required argument is missing
  }
}

TEST_CASE("coachbot import-directory moves the weekly prompt of someone whose zone changed, and gives a new manager "
          "a digest") {
  testing::TempDir dir;
  const std::string db = dir.file("coachbot.db");
  bot::PersonId alice;
  {
    storage::SqliteStore store{{db}};
    bot::Person p = stored("Alice", "alice@example.com");
    p.onboarded = true;
    alice = store.people().create(p, {bot::Platform::slack, "T01", "U0ALICE"}).id;
    p.id = alice;
    store.schedule().put(bot::checkin_entry(p, {}, at(0)), at(0));
  }
  const auto timer = [&](std::string_view kind, const std::string& email) -> std::optional<std::string> {
    storage::SqliteStore store{{db}};
    const auto row = person(store, email);
    if (!row) return std::nullopt;
    const auto entry = store.schedule().find(std::string{kind}, bot::PersonId{row->id});
    return entry ? std::optional{entry->rule} : std::nullopt;
  };
  const std::string csv = dir.file("people.csv");
  write_file(csv,
             "email,name,manager_email,time_zone\n"
             "alice@example.com,Alice,carol@example.com,America/New_York\n"
             "carol@example.com,Carol Chief,,America/Chicago\n");
  {
    auto child = coachbot({"--db", db, "import-directory", csv, "--dry-run"});
    child.read_until("(dry run: nothing was written)\n");
    CHECK(child.wait() == 0);
    CHECK_THAT(timer(bot::kTimerCheckIn, "alice@example.com").value_or(""), Contains("Europe/Berlin"));
  }
  {
    auto child = coachbot({"--db", db, "import-directory", csv});
    CHECK_THAT(child.read_until("skipped\n"), Contains(": 1 created, 1 updated, 0 unchanged, 0 skipped\n"));
    CHECK(child.wait() == 0);
  }
  CHECK(timer(bot::kTimerCheckIn, "alice@example.com") == "weekly Monday 09:00 America/New_York");
  CHECK(timer(bot::kTimerDigest, "carol@example.com") == "digest Monday 09:00 America/Chicago");
  // Carol was only named: she has not asked for a weekly prompt.
  CHECK_FALSE(timer(bot::kTimerCheckIn, "carol@example.com"));
  CHECK_FALSE(timer(bot::kTimerDigest, "alice@example.com"));
}
