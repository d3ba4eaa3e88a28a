// The real `coachbot` binary driven through stdin/stdout, on a real SQLite file.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include <SQLiteCpp/Database.h>

#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

using Catch::Matchers::Contains;

namespace {

// Messages to others (bob's note that alice named him) wait for their sending window;
// these tests run at any hour, so the window is always open.
testing::ChildProcess chat_as(const std::string& who, const std::string& db) {
  const std::string config = db + ".json";
  std::ofstream{config} << R"({"schedule": {"working_days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                           "Saturday", "Sunday"], "send_from": "00:00", "send_until": "00:00"}})";
  return testing::ChildProcess{{COACHBOT_BINARY, "--config", config, "chat", "--as", who, "--db", db}};
}

std::string slurp(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, {}};
}

}  // namespace

TEST_CASE("A check-in interrupted by a crash resumes at the same question after a restart") {
  testing::TempDir dir;
  const std::string db = dir.file("coachbot.db");
  {
    auto chat = chat_as("alice", db);
    CHECK_THAT(chat.read_until("Which time zone"), Contains("Database: " + db));
    chat.write_line("keep");
    chat.read_until("Which day");
    chat.write_line("2");  // the second numbered choice: Tuesday
    chat.read_until("At what local time");
    chat.write_line("16:00");
    chat.read_until("Who is your manager");
    chat.write_line("bob");
    CHECK_THAT(chat.read_until("Type help"), Contains("every Tuesday at 16:00"));
    chat.write_line("checkin");
    chat.read_until("Overall, how far along");
    chat.write_line("sixty");
    CHECK_THAT(chat.read_until("Overall, how far along"), Contains("I need a whole number"));
    chat.write_line("60");
    chat.read_until("What did you learn this week?");
    chat.kill_hard();
    CHECK(chat.wait() == 128 + 9);
  }
  {
    auto chat = chat_as("alice", db);
    CHECK_THAT(chat.read_until("What did you learn this week?"),
               Contains("Welcome back! We were in the middle of your check-in"));
    chat.write_line("Writing integration tests without sleeps");
    chat.read_until("blocking");
    chat.write_line("none");
    chat.read_until("next step");
    chat.write_line("Review the outbox design");
    CHECK_THAT(chat.read_until("Next step: Review the outbox design"), Contains("Saved your check-in") && Contains("Progress: 60%"));
    chat.read_until("[2] Not now");
    chat.write_line("2");
    chat.read_until("whenever you like");
    // The manager's note waited in the outbox until someone became bob.
    chat.write_line("/as @Bob");
    CHECK_THAT(chat.read_until("named you as their manager"), Contains("you are now bob"));
    chat.write_line("/quit");
    chat.read_until("Bye.");
    CHECK(chat.wait() == 0);
  }
  SQLite::Database check{db};
  SQLite::Statement q{check, "SELECT count(*), max(overall_progress), max(learned) FROM checkins"};
  REQUIRE(q.executeStep());
  CHECK(q.getColumn(0).getInt() == 1);
  CHECK(q.getColumn(1).getInt() == 60);
  CHECK(q.getColumn(2).getString() == "Writing integration tests without sleeps");
  CHECK(check.execAndGet("SELECT count(*) FROM dialog_sessions").getInt() == 1);  // bob's welcome is open
  CHECK(check.execAndGet("SELECT count(*) FROM outbox WHERE status = 'pending'").getInt() == 0);
}

TEST_CASE("Every line typed gets exactly one reply") {
  testing::TempDir dir;
  auto chat = chat_as("carol", dir.file("c.db"));
  chat.read_until("Which time zone");
  chat.write_line("cancel");
  chat.read_until("kept your settings");
  for (const char* line : {"help", "frobnicate", "hi", "checkin", "abc"}) chat.write_line(line);
  chat.write_line("/quit");
  chat.read_until("Bye.");
  REQUIRE(chat.wait() == 0);
  const std::string out = chat.all_stdout();
  std::size_t replies = 0;
  for (std::size_t at = out.find("coach > "); at != std::string::npos; at = out.find("coach > ", at + 1)) ++replies;
  CHECK(replies == 2 + 5);  // welcome, cancel, then one per line
}

TEST_CASE("A newcomer whose first message is checkin gets the check-in at once and setup afterwards") {
  testing::TempDir dir;
  auto chat = chat_as("dave", dir.file("d.db"));
  chat.read_until("Which time zone");
  chat.write_line("checkin");
  chat.read_until("Overall, how far along");
  chat.write_line("20");
  chat.read_until("What did you learn");
  chat.write_line("Как работает WAL в SQLite");
  chat.read_until("blocking");
  chat.write_line("none");
  chat.read_until("next step");
  chat.write_line("Read the docs");
  CHECK_THAT(chat.read_until("[2] Not now"), Contains("Saved your check-in") && Contains("reflect on this week"));
  chat.write_line("2");
  chat.read_until("Type setup");
  chat.write_line("/quit");
  CHECK(chat.wait() == 0);
}

TEST_CASE("Long non-English text the bot does not understand gets a reply and the chat goes on") {
  testing::TempDir dir;
  auto chat = chat_as("erin", dir.file("e.db"));
  chat.read_until("Which time zone");
  chat.write_line("cancel");
  chat.read_until("kept your settings");
  std::string words = "a";
  for (int i = 0; i < 40; ++i) words += "я";
  chat.write_line(words);
  CHECK_THAT(chat.read_until("Here is what I can do"), Contains("Sorry, I don't know"));
  chat.write_line("/as \xff\xfe");
  CHECK_THAT(chat.read_until("usage: /as NAME"), Contains("usage"));
  chat.write_line("/quit");
  CHECK(chat.wait() == 0);
}

TEST_CASE("Another application's SQLite file is refused and left untouched") {
  testing::TempDir dir;
  const std::string db = dir.file("other.db");
  {
    SQLite::Database f{db, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
    f.exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5)");
  }
  const std::string before = slurp(db);
  testing::ChildProcess chat{{COACHBOT_BINARY, "chat", "--as", "alice", "--db", db}};
  chat.close_stdin();
  CHECK(chat.wait() == 2);
  CHECK_THAT(chat.read_stderr(), Contains(db) && Contains("not Coachbot's"));
  CHECK(slurp(db) == before);
}

TEST_CASE("A file that is not a database is refused by name and left untouched") {
  testing::TempDir dir;
  const std::string db = dir.file("notes.db");
  {
    std::ofstream f{db, std::ios::binary};
    f << "These are my notes, not a database. " << std::string(5000, 'x');
  }
  const std::string before = slurp(db);
  testing::ChildProcess chat{{COACHBOT_BINARY, "chat", "--as", "alice", "--db", db}};
  chat.close_stdin();
  CHECK(chat.wait() == 2);
  CHECK_THAT(chat.read_stderr(), Contains(db) && Contains("not a database"));
  CHECK(slurp(db) == before);
  CHECK_FALSE(std::filesystem::exists(db + "-wal"));
}

TEST_CASE("A database written by a newer Coachbot is refused") {
  testing::TempDir dir;
  const std::string db = dir.file("future.db");
  {
    SQLite::Database f{db, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
    f.exec("CREATE TABLE t (x); PRAGMA user_version = 999");
  }
  const std::string before = slurp(db);
  testing::ChildProcess chat{{COACHBOT_BINARY, "chat", "--as", "alice", "--db", db}};
  chat.close_stdin();
  CHECK(chat.wait() == 2);
  CHECK_THAT(chat.read_stderr(), Contains(db) && Contains("newer Coachbot") && Contains("999"));
  CHECK(slurp(db) == before);
}

TEST_CASE("check-config reports every problem by key and exits non-zero") {
  testing::TempDir dir;
  const std::string path = dir.file("config.json");
  {
    std::ofstream f{path};
    f << R"({"database": {"path": 5}, "defaults": {"time_zone": "Mars/Olympus", "checkin_day": "Funday"},
            "slack": {"enabled": true, "bot_token": "xoxb-should-not-be-here"}, "colour": "blue"})";
  }
  testing::ChildProcess check{{COACHBOT_BINARY, "check-config", path}};
  check.close_stdin();
  const std::string out = check.read_until("problems found");
  CHECK(check.wait() == 1);
  CHECK_THAT(out, Contains("database.path: must be a string"));
  CHECK_THAT(out, Contains("defaults.time_zone: \"Mars/Olympus\" is not an IANA time zone"));
  CHECK_THAT(out, Contains("defaults.checkin_day"));
  CHECK_THAT(out, Contains("slack.bot_token: unknown key; secrets are never read from the config file"));
  CHECK_THAT(out, Contains("colour: unknown key"));
  CHECK_THAT(out, Contains("slack.enabled: Slack is enabled but SLACK_BOT_TOKEN is not set"));
  CHECK_THAT(out, !Contains("xoxb-should-not-be-here"));
}

TEST_CASE("The shipped example config passes check-config") {
  testing::ChildProcess check{{COACHBOT_BINARY, "check-config", COACHBOT_SOURCE_DIR "/config.example.json"}};
  check.close_stdin();
  CHECK_THAT(check.read_until("OK"), Contains("config.example.json: OK"));
  CHECK(check.wait() == 0);
}

TEST_CASE("Help exists for the program and each command") {
  for (const char* cmd : {"", "chat", "run", "check-config"}) {
    std::vector<std::string> args{COACHBOT_BINARY};
    if (*cmd) args.emplace_back(cmd);
    args.emplace_back("--help");
    testing::ChildProcess p{args};
    p.close_stdin();
    CHECK_THAT(p.read_until("Usage:"), Contains("Usage:"));
    CHECK(p.wait() == 0);
  }
}

TEST_CASE("An unknown sub-command is an error with a message, not a crash") {
  testing::ChildProcess p{{COACHBOT_BINARY, "frobnicate"}};
  p.close_stdin();
  CHECK(p.wait() == 2);
  CHECK_FALSE(p.read_stderr().empty());
}

TEST_CASE("run refuses to start Teams without its client secret, with no config file too") {
  testing::TempDir dir;
  // env -i: whatever the machine running the tests has set must not count.
  testing::ChildProcess p{{"/usr/bin/env", "-i", "MICROSOFT_APP_ID=00000000-0000-0000-0000-000000000001",
                           COACHBOT_BINARY, "run", "--db", dir.file("t.db")}};
  p.close_stdin();
  CHECK(p.wait() == 2);
  CHECK_THAT(p.read_stderr(), Contains("MICROSOFT_APP_PASSWORD"));
}

TEST_CASE("delete my data in the terminal says goodbye in the chat and the person starts fresh") {
  testing::TempDir dir;
  const std::string db = dir.file("f.db");
  auto chat = chat_as("frank", db);
  chat.read_until("Which time zone");
  chat.write_line("cancel");
  chat.read_until("kept your settings");
  chat.write_line("reflect");
  chat.read_until("What did you learn recently?");
  chat.write_line("cancel");
  chat.read_until("no reflection this time");
  chat.write_line("delete my data");
  chat.read_until("[2] Keep my data");
  chat.write_line("delete");
  const std::string goodbye = chat.read_until("start fresh.");
  CHECK_THAT(goodbye, Contains("coach > Done: I deleted your record") && !Contains("#"));
  chat.write_line("/quit");
  CHECK(chat.wait() == 0);
  SQLite::Database check{db};
  CHECK(check.execAndGet("SELECT count(*) FROM people").getInt() == 0);
  CHECK(check.execAndGet("SELECT count(*) FROM outbox WHERE status = 'pending'").getInt() == 0);
}
