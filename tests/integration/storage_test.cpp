// Storage on real SQLite files: migrations, refusals, constraints, versions, dedupe.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "storage/migrations.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/temp_dir.hpp"

using Catch::Matchers::Contains;

namespace {

bot::Instant at(int minutes) { return bot::from_unix_ms(1'790'000'000'000 + minutes * 60'000LL); }

bot::Person sample(const std::string& name) {
  bot::Person p;
  p.display_name = name;
  p.prefs.time_zone = "Europe/Berlin";
  p.created_at = at(0);
  return p;
}

bot::Identity console(const std::string& user) { return {bot::Platform::console, "local", user}; }

}  // namespace

TEST_CASE("A new file gets every table, WAL and foreign keys") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("a.db")}};
  auto& db = store.database();
  CHECK(storage::schema_version(db) == storage::latest_schema_version());
  CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK(db.execAndGet("PRAGMA foreign_keys").getInt() == 1);
  for (const char* table : {"people", "identities", "plans", "goals", "activities", "checkins", "checkin_goals",
                            "reflections", "evidence", "achievements", "reviews", "nudges", "dialog_sessions",
                            "schedule", "outbox", "processed_events", "kudos", "erasures"}) {
    INFO(table);
    CHECK(db.tableExists(table));
  }
}

TEST_CASE("A new file is built aside and moved into place whole, with the schema the migrations give") {
  testing::TempDir dir;
  { storage::SqliteStore store{{dir.file("a.db")}}; }
  CHECK(dir.names() == std::vector<std::string>{"a.db"});  // no draft, and the WAL checkpointed on close

  // The same migrations applied one by one, as an existing file of schema 1 gets them.
  {
    SQLite::Database stepwise{dir.file("b.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
    for (const auto& m : storage::migrations()) stepwise.exec(std::string{m.sql});
  }
  auto schema = [](const std::string& file) {
    SQLite::Database db{file, SQLite::OPEN_READONLY};
    SQLite::Statement q{db, "SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master ORDER BY name"};
    std::vector<std::string> rows;
    while (q.executeStep()) rows.push_back(q.getColumn(0).getString());
    return rows;
  };
  CHECK(schema(dir.file("a.db")) == schema(dir.file("b.db")));
  SQLite::Database made{dir.file("a.db"), SQLite::OPEN_READONLY};
  CHECK(made.execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK(made.execAndGet("PRAGMA integrity_check").getString() == "ok");
}

TEST_CASE("A draft left by a process that died while building a new file is cleared") {
  testing::TempDir dir;
  // Above any pid the kernel hands out: that process is certainly gone.
  for (const char* suffix : {"", "-wal"}) std::ofstream{dir.file("a.db.new-2147483647") + suffix} << "half";
  std::ofstream{dir.file("a.db.new-notapid")} << "not ours";
  { storage::SqliteStore store{{dir.file("a.db")}}; }
  CHECK(dir.names() == std::vector<std::string>{"a.db", "a.db.new-notapid"});
}

TEST_CASE("A new file in a folder that does not exist is refused with its name, leaving nothing") {
  testing::TempDir dir;
  const std::string path = dir.file("missing/a.db");
  CHECK_THROWS_WITH(storage::SqliteStore({path}), Contains(path));
  CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE("Reopening a file keeps its data and applies no migration twice") {
  testing::TempDir dir;
  bot::PersonId id;
  {
    storage::SqliteStore store{{dir.file("a.db")}};
    id = store.people().create(sample("alice"), console("alice")).id;
  }
  storage::SqliteStore again{{dir.file("a.db")}};
  auto found = again.people().find_by_identity(console("alice"));
  REQUIRE(found);
  CHECK(found->id == id);
  CHECK(found->display_name == "alice");
}

TEST_CASE("A file from a newer schema or not a database is refused with its name") {
  testing::TempDir dir;
  SECTION("newer") {
    {
      SQLite::Database f{dir.file("new.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
      f.exec("PRAGMA user_version = " + std::to_string(storage::latest_schema_version() + 1));
    }
    CHECK_THROWS_WITH(storage::SqliteStore({dir.file("new.db")}), Contains(dir.file("new.db")) && Contains("newer"));
  }
  SECTION("garbage") {
    {
      std::ofstream f{dir.file("junk.db")};
      f << std::string(4096, 'j');
    }
    CHECK_THROWS_AS(storage::SqliteStore({dir.file("junk.db")}), storage::DatabaseError);
  }
  SECTION("damaged pages behind a valid header") {
    {
      SQLite::Database f{dir.file("hurt.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
      f.exec("CREATE TABLE t (x TEXT); CREATE INDEX tx ON t(x); PRAGMA user_version = 1");
      for (int i = 0; i < 200; ++i) f.exec("INSERT INTO t VALUES (hex(randomblob(64)))");
    }
    {
      std::fstream f{dir.file("hurt.db"), std::ios::in | std::ios::out | std::ios::binary};
      f.seekp(4096 * 2);  // the b-tree page header of page 3
      f << std::string(64, '\x5a');
    }
    CHECK_THROWS_WITH(storage::SqliteStore({dir.file("hurt.db")}), Contains(dir.file("hurt.db")) &&
                                                                       (Contains("damaged") || Contains("malformed")));
  }
  SECTION("a directory") {
    std::filesystem::create_directory(dir.file("d.db"));
    CHECK_THROWS_WITH(storage::SqliteStore({dir.file("d.db")}), Contains("directory"));
  }
}

TEST_CASE("Constraints refuse impossible data") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("a.db")}};
  const auto alice = store.people().create(sample("alice"), console("alice"));
  bot::CheckIn c;
  c.person = alice.id;
  c.iso_week = "2026-W48";
  c.created_at = at(1);
  SECTION("progress over 100") {
    c.overall_progress = 101;
    CHECK_THROWS_AS(store.checkins().add(c), SQLite::Exception);
  }
  SECTION("a malformed week") {
    c.iso_week = "last week";
    CHECK_THROWS_AS(store.checkins().add(c), SQLite::Exception);
  }
  SECTION("a person as their own manager") {
    bot::Person p = alice;
    p.manager = alice.id;
    CHECK_THROWS_AS(store.people().update(p), SQLite::Exception);
  }
  SECTION("a manager who does not exist") {
    bot::Person p = alice;
    p.manager = bot::PersonId{424242};
    CHECK_THROWS_AS(store.people().update(p), SQLite::Exception);
  }
  SECTION("the same identity twice") {
    CHECK_THROWS_AS(store.people().create(sample("other"), console("alice")), SQLite::Exception);
  }
  SECTION("an outbox message for an unknown platform, or in an unknown state") {
    auto& db = store.database();
    const std::string row = "(person_id, recipient_key, message, next_attempt_at, created_at, platform, status) "
                            "VALUES (" + std::to_string(alice.id.value) + ", 'person:1', '{}', 0, 0, ";
    CHECK_THROWS_AS(db.exec("INSERT INTO outbox " + row + "'irc', 'pending')"), SQLite::Exception);
    CHECK_THROWS_AS(db.exec("INSERT INTO outbox " + row + "'slack', 'lost')"), SQLite::Exception);
    CHECK_THROWS_AS(db.exec("INSERT INTO outbox " + row + "NULL, 'pending')"), SQLite::Exception);
    db.exec("INSERT INTO outbox " + row + "'slack', 'pending')");
    CHECK_THROWS_AS(db.exec("UPDATE outbox SET status = 'sent'"), SQLite::Exception);
  }
}

TEST_CASE("Dialog sessions are compare-and-set on their version") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("a.db")}};
  const auto alice = store.people().create(sample("alice"), console("alice"));
  auto& sessions = store.sessions();
  const bot::DialogState s1{"checkin", 1, {{"at", 1}}};
  REQUIRE(sessions.save(alice.id, s1, 0, at(1)));
  CHECK_FALSE(sessions.save(alice.id, s1, 0, at(2)));  // someone else created it first
  auto loaded = sessions.load(alice.id);
  REQUIRE(loaded);
  CHECK(loaded->state == s1);
  CHECK(loaded->version == 1);
  CHECK(loaded->updated_at == at(1));

  const bot::DialogState s2{"checkin", 1, {{"at", 2}}};
  REQUIRE(sessions.save(alice.id, s2, 1, at(3)));
  CHECK_FALSE(sessions.save(alice.id, s1, 1, at(4)));  // stale: would overwrite s2
  CHECK(sessions.load(alice.id)->state == s2);
  CHECK_FALSE(sessions.remove(alice.id, 1));
  CHECK(sessions.remove(alice.id, 2));
  CHECK_FALSE(sessions.load(alice.id));
}

TEST_CASE("A platform event id is recorded once") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("a.db")}};
  CHECK(store.processed_events().mark(bot::Platform::slack, "Ev123", at(0)));
  CHECK_FALSE(store.processed_events().mark(bot::Platform::slack, "Ev123", at(1)));
  CHECK(store.processed_events().mark(bot::Platform::teams, "Ev123", at(1)));  // ids are per platform
  SECTION("and forgotten once old") {
    CHECK(store.processed_events().mark(bot::Platform::slack, "Ev456", at(60)));
    CHECK(store.processed_events().forget_before(at(30)) == 2);
    CHECK(store.processed_events().mark(bot::Platform::slack, "Ev123", at(61)));  // new again
    CHECK_FALSE(store.processed_events().mark(bot::Platform::slack, "Ev456", at(61)));
  }
}

TEST_CASE("Answering a week again adds a revision and keeps the first") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("a.db")}};
  const auto alice = store.people().create(sample("alice"), console("alice"));
  bot::CheckIn c;
  c.person = alice.id;
  c.iso_week = "2026-W48";
  c.overall_progress = 40;
  c.learned = "first";
  c.created_at = at(1);
  CHECK(store.checkins().add(c).revision == 1);
  c.overall_progress = 45;
  c.learned = "second";
  CHECK(store.checkins().add(c).revision == 2);
  CHECK(store.checkins().latest(alice.id, "2026-W48")->learned == "second");
  CHECK_FALSE(store.checkins().latest(alice.id, "2026-W47"));
  const auto history = store.checkins().history(alice.id);
  REQUIRE(history.size() == 2);
  CHECK(history[0].learned == "first");
}

TEST_CASE("A transaction that is not committed leaves nothing behind") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("a.db")}};
  {
    auto tx = store.begin();
    store.people().create(sample("alice"), console("alice"));
    store.processed_events().mark(bot::Platform::console, "e1", at(0));
  }
  CHECK_FALSE(store.people().find_by_identity(console("alice")));
  CHECK(store.processed_events().mark(bot::Platform::console, "e1", at(0)));
}

TEST_CASE("Within a batch, an event that is not committed leaves the others' changes, and each kind of transaction can run again") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("a.db"), "FULL"}};
  for (int round = 0; round < 2; ++round) {  // the same prepared statements, used twice
    INFO("round " << round);
    const std::string n = std::to_string(round);
    {
      auto batch = store.begin();
      {
        auto kept = store.begin();
        store.processed_events().mark(bot::Platform::console, "kept" + n, at(0));
        kept->commit();
      }
      {
        auto failed = store.begin();
        store.processed_events().mark(bot::Platform::console, "failed" + n, at(0));
      }
      batch->commit();
    }
    CHECK_FALSE(store.processed_events().mark(bot::Platform::console, "kept" + n, at(0)));
    CHECK(store.processed_events().mark(bot::Platform::console, "failed" + n, at(0)));
    {
      auto relaxed = store.begin_relaxed();
      CHECK(store.database().execAndGet("PRAGMA synchronous").getInt() == 1);  // NORMAL inside
      store.processed_events().mark(bot::Platform::console, "relaxed" + n, at(0));
      relaxed->commit();
    }
    CHECK_FALSE(store.processed_events().mark(bot::Platform::console, "relaxed" + n, at(0)));
    // Answers after a relaxed commit are durable again: FULL is back.
    CHECK(store.database().execAndGet("PRAGMA synchronous").getInt() == 2);
    {
      auto read = store.begin_read();
      // kept, failed (marked after its rollback) and relaxed, for each round so far
      CHECK(store.database().execAndGet("SELECT count(*) FROM processed_events").getInt() == 3 * (round + 1));
    }
  }
}

TEST_CASE("A store keeps the synchronous setting it was opened with") {
  testing::TempDir dir;
  storage::SqliteStore normal{{dir.file("n.db"), "NORMAL"}};
  CHECK(normal.database().execAndGet("PRAGMA synchronous").getInt() == 1);
  storage::SqliteStore full{{dir.file("f.db"), "FULL"}};
  CHECK(full.database().execAndGet("PRAGMA synchronous").getInt() == 2);
  { auto tx = normal.begin_relaxed(); }
  CHECK(normal.database().execAndGet("PRAGMA synchronous").getInt() == 1);
}

TEST_CASE("Deleting a person removes everything that belongs to them") {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("a.db")}};
  const auto alice = store.people().create(sample("alice"), console("alice"));
  store.sessions().save(alice.id, {"checkin", 1, {}}, 0, at(0));
  bot::CheckIn c;
  c.person = alice.id;
  c.iso_week = "2026-W48";
  c.created_at = at(0);
  store.checkins().add(c);
  store.outbox().add(bot::Platform::console, bot::Message::text(bot::Recipient::dm(alice.id), "hi"), at(0));
  SQLite::Statement del{store.database(), "DELETE FROM people WHERE id = ?1"};
  del.bind(1, alice.id.value);
  del.exec();
  for (const char* table : {"identities", "dialog_sessions", "checkins", "outbox"}) {
    INFO(table);
    CHECK(store.database().execAndGet(std::string{"SELECT count(*) FROM "} + table).getInt() == 0);
  }
}
