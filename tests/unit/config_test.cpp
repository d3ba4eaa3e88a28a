// Configuration: the JSON file plus secrets from the environment, with every problem
// reported by the dotted key it concerns.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "bot/config.hpp"
#include "tests/support/temp_dir.hpp"

using nlohmann::json;

namespace {

bot::EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> std::optional<std::string> {
    if (auto it = vars.find(name); it != vars.end()) return it->second;
    return std::nullopt;
  };
}

const bot::EnvLookup kNoEnv = env_of({});

const bot::ConfigProblem* problem_for(const bot::ConfigResult& r, const std::string& key) {
  auto it = std::find_if(r.problems.begin(), r.problems.end(), [&](const auto& p) { return p.key == key; });
  return it == r.problems.end() ? nullptr : &*it;
}

std::string describe(const bot::ConfigResult& r) {
  std::string out;
  for (const auto& p : r.problems) out += "[" + p.key + "] " + p.message + "\n";
  return out;
}

}  // namespace

TEST_CASE("an empty document gives the defaults without problems", "[config]") {
  const auto r = bot::parse_config(json::object(), kNoEnv);
  INFO(describe(r));
  CHECK(r.ok());
  CHECK(r.config.database_path == "coachbot.db");
  CHECK(r.config.synchronous == "NORMAL");
  CHECK_FALSE(r.config.defaults.time_zone.empty());
  CHECK(r.config.defaults.checkin_weekday == 1);
  CHECK(r.config.defaults.checkin_minute == 9 * 60);
  CHECK_FALSE(r.config.slack.enabled);
  CHECK_FALSE(r.config.teams.enabled);
}

TEST_CASE("a valid full document has no problems and its values are applied", "[config]") {
  const json doc = json::parse(R"({
    "database": {"path": "/var/lib/coachbot/coach.db", "synchronous": "FULL"},
    "defaults": {"time_zone": "America/New_York", "checkin_day": "Thursday", "checkin_time": "14:30"},
    "dialogs": {"expire_after_hours": 48},
    "outbox": {"max_attempts": 5},
    "log": {"level": "debug", "json": true},
    "slack": {"enabled": true, "socket_mode": false, "api_url": "http://localhost:9999/api/", "connections": 2},
    "teams": {"enabled": true}
  })");
  const auto env = env_of({{"SLACK_BOT_TOKEN", "xoxb-1"},
                           {"SLACK_SIGNING_SECRET", "sig"},
                           {"MICROSOFT_APP_ID", "app-id"},
                           {"MICROSOFT_APP_PASSWORD", "pw"},
                           {"MICROSOFT_APP_TENANT_ID", "tenant"}});
  const auto r = bot::parse_config(doc, env);
  INFO(describe(r));
  REQUIRE(r.ok());
  const bot::Config& c = r.config;
  CHECK(c.database_path == "/var/lib/coachbot/coach.db");
  CHECK(c.synchronous == "FULL");
  CHECK(c.defaults.time_zone == "America/New_York");
  CHECK(c.defaults.checkin_weekday == 4);
  CHECK(c.defaults.checkin_minute == 14 * 60 + 30);
  CHECK(c.session_expiry == std::chrono::hours{48});
  CHECK(c.outbox_max_attempts == 5);
  CHECK(c.log_level == "debug");
  CHECK(c.log_json);
  CHECK(c.slack.enabled);
  CHECK_FALSE(c.slack.socket_mode);
  CHECK(c.slack.api_url == "http://localhost:9999/api/");
  CHECK(c.slack.connections == 2);
  CHECK(c.teams.enabled);
  CHECK(c.secrets.slack_bot_token == std::optional<std::string>{"xoxb-1"});
  CHECK(c.secrets.slack_signing_secret == std::optional<std::string>{"sig"});
  CHECK(c.secrets.microsoft_app_id == std::optional<std::string>{"app-id"});
  CHECK(c.secrets.microsoft_app_password == std::optional<std::string>{"pw"});
  CHECK(c.secrets.microsoft_app_tenant_id == std::optional<std::string>{"tenant"});
  CHECK_FALSE(c.secrets.slack_app_token.has_value());
}

TEST_CASE("http.ca_file names a CA bundle that must be readable", "[config]") {
  const auto ok = bot::parse_config(json{{"http", {{"ca_file", COACHBOT_SOURCE_DIR "/config.example.json"}}}}, kNoEnv);
  CHECK(ok.ok());
  CHECK(ok.config.http.ca_file == COACHBOT_SOURCE_DIR "/config.example.json");
  CHECK(bot::parse_config(json::object(), kNoEnv).config.http.ca_file.empty());
  const auto missing = bot::parse_config(json{{"http", {{"ca_file", "/nonexistent/ca.pem"}}}}, kNoEnv);
  REQUIRE(problem_for(missing, "http.ca_file") != nullptr);
  CHECK_THAT(problem_for(missing, "http.ca_file")->message, Catch::Contains("/nonexistent/ca.pem"));
}

TEST_CASE("unknown keys are reported by their dotted path", "[config]") {
  SECTION("at the top level") {
    const auto r = bot::parse_config(json{{"databse", json::object()}}, kNoEnv);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].key == "databse");
    CHECK_THAT(r.problems[0].message, Catch::Contains("unknown"));
  }
  SECTION("inside a section") {
    const auto r = bot::parse_config(json{{"database", {{"pathh", "x.db"}}}}, kNoEnv);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].key == "database.pathh");
    CHECK_THAT(r.problems[0].message, Catch::Contains("unknown"));
  }
}

TEST_CASE("a value of the wrong type is reported with its key", "[config]") {
  SECTION("a string where true or false is expected") {
    const auto r = bot::parse_config(json{{"log", {{"json", "yes"}}}}, kNoEnv);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].key == "log.json");
    CHECK_THAT(r.problems[0].message, Catch::Contains("string"));
    CHECK_FALSE(r.config.log_json);
  }
  SECTION("a number where a string is expected") {
    const auto r = bot::parse_config(json{{"database", {{"path", 5}}}}, kNoEnv);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].key == "database.path");
    CHECK(r.config.database_path == "coachbot.db");
  }
  SECTION("a string where a whole number is expected") {
    const auto r = bot::parse_config(json{{"outbox", {{"max_attempts", "8"}}}}, kNoEnv);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].key == "outbox.max_attempts");
  }
  SECTION("a value where a section is expected") {
    const auto r = bot::parse_config(json{{"slack", true}}, kNoEnv);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].key == "slack");
  }
}

TEST_CASE("values outside their allowed set are reported with their key", "[config]") {
  SECTION("a time zone that does not exist") {
    const auto r = bot::parse_config(json{{"defaults", {{"time_zone", "Mars/Olympus"}}}}, kNoEnv);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].key == "defaults.time_zone");
    CHECK_THAT(r.problems[0].message, Catch::Contains("Mars/Olympus"));
  }
  SECTION("a weekday that does not exist") {
    const auto r = bot::parse_config(json{{"defaults", {{"checkin_day", "Caturday"}}}}, kNoEnv);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].key == "defaults.checkin_day");
    CHECK(r.config.defaults.checkin_weekday == 1);
  }
  SECTION("a time of day that does not exist") {
    const auto r = bot::parse_config(json{{"defaults", {{"checkin_time", "25:00"}}}}, kNoEnv);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].key == "defaults.checkin_time");
    CHECK_THAT(r.problems[0].message, Catch::Contains("25:00"));
    CHECK(r.config.defaults.checkin_minute == 9 * 60);
  }
  SECTION("a number out of range") {
    const auto r = bot::parse_config(json{{"outbox", {{"max_attempts", 0}}}}, kNoEnv);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].key == "outbox.max_attempts");
  }
  SECTION("more Socket Mode connections than Slack allows") {
    const auto r = bot::parse_config(json{{"slack", {{"connections", 6}}}}, kNoEnv);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].key == "slack.connections");
    CHECK_THAT(r.problems[0].message, Catch::Contains("between 1 and 5"));
    CHECK(r.config.slack.connections == 1);
  }
  SECTION("an unknown log level") {
    const auto r = bot::parse_config(json{{"log", {{"level", "loud"}}}}, kNoEnv);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].key == "log.level");
  }
  SECTION("an unknown synchronous mode") {
    const auto r = bot::parse_config(json{{"database", {{"synchronous", "OFF"}}}}, kNoEnv);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].key == "database.synchronous");
  }
}

TEST_CASE("a secret put in the config file is refused with a pointer to the environment variable", "[config]") {
  const auto r = bot::parse_config(json{{"slack", {{"bot_token", "xoxb-secret"}}}}, kNoEnv);
  const auto* p = problem_for(r, "slack.bot_token");
  REQUIRE(p != nullptr);
  CHECK_THAT(p->message, Catch::Contains("SLACK_BOT_TOKEN"));
  CHECK_THAT(p->message, Catch::Contains("environment"));
  SECTION("the value from the file is never used as the secret") {
    CHECK_FALSE(r.config.secrets.slack_bot_token.has_value());
  }
  SECTION("the same holds for a Teams password") {
    const auto t = bot::parse_config(json{{"teams", {{"app_password", "hunter2"}}}}, kNoEnv);
    const auto* tp = problem_for(t, "teams.app_password");
    REQUIRE(tp != nullptr);
    CHECK_THAT(tp->message, Catch::Contains("MICROSOFT_APP_PASSWORD"));
    CHECK_FALSE(t.config.secrets.microsoft_app_password.has_value());
  }
}

TEST_CASE("an enabled platform without its secret in the environment is a problem", "[config]") {
  SECTION("Slack without SLACK_BOT_TOKEN") {
    const auto r = bot::parse_config(json{{"slack", {{"enabled", true}}}}, env_of({{"SLACK_APP_TOKEN", "xapp-1"}}));
    INFO(describe(r));
    const auto* p = problem_for(r, "slack.enabled");
    REQUIRE(p != nullptr);
    CHECK_THAT(p->message, Catch::Contains("SLACK_BOT_TOKEN"));
  }
  SECTION("Slack with an empty SLACK_BOT_TOKEN") {
    const auto r = bot::parse_config(json{{"slack", {{"enabled", true}}}},
                                     env_of({{"SLACK_BOT_TOKEN", ""}, {"SLACK_APP_TOKEN", "xapp-1"}}));
    CHECK(problem_for(r, "slack.enabled") != nullptr);
  }
  SECTION("Slack with its tokens is fine") {
    const auto r = bot::parse_config(json{{"slack", {{"enabled", true}}}},
                                     env_of({{"SLACK_BOT_TOKEN", "xoxb-1"}, {"SLACK_APP_TOKEN", "xapp-1"}}));
    INFO(describe(r));
    CHECK(r.ok());
  }
  SECTION("Teams without MICROSOFT_APP_ID") {
    const auto r =
        bot::parse_config(json{{"teams", {{"enabled", true}}}}, env_of({{"MICROSOFT_APP_PASSWORD", "pw"}}));
    INFO(describe(r));
    const auto* p = problem_for(r, "teams.enabled");
    REQUIRE(p != nullptr);
    CHECK_THAT(p->message, Catch::Contains("MICROSOFT_APP_ID"));
  }
  SECTION("a disabled platform needs no secrets") {
    const auto r = bot::parse_config(json{{"slack", {{"enabled", false}}}, {"teams", {{"enabled", false}}}}, kNoEnv);
    CHECK(r.ok());
  }
}

TEST_CASE("all problems in a document are reported at once", "[config]") {
  const json doc = json::parse(R"({
    "database": {"pathh": "x.db"},
    "defaults": {"time_zone": "Mars/Olympus", "checkin_day": "someday", "checkin_time": "25:00"},
    "log": {"json": "yes"},
    "slack": {"enabled": true, "bot_token": "xoxb-in-file"},
    "extra": 1
  })");
  const auto r = bot::parse_config(doc, kNoEnv);
  INFO(describe(r));
  for (const char* key : {"database.pathh", "defaults.time_zone", "defaults.checkin_day", "defaults.checkin_time",
                          "log.json", "slack.bot_token", "slack.enabled", "extra"}) {
    INFO("key " << key);
    CHECK(problem_for(r, key) != nullptr);
  }
  CHECK(r.problems.size() >= 8);
  CHECK_FALSE(r.ok());
}

TEST_CASE("secrets are read from the environment only", "[config]") {
  const auto r = bot::parse_config(json::object(), env_of({{"SLACK_BOT_TOKEN", "xoxb-env"},
                                                           {"SLACK_APP_TOKEN", "xapp-env"},
                                                           {"MICROSOFT_APP_ID", "id-env"},
                                                           {"MICROSOFT_APP_PASSWORD", "pw-env"}}));
  CHECK(r.ok());
  CHECK(r.config.secrets.slack_bot_token == std::optional<std::string>{"xoxb-env"});
  CHECK(r.config.secrets.slack_app_token == std::optional<std::string>{"xapp-env"});
  CHECK(r.config.secrets.microsoft_app_id == std::optional<std::string>{"id-env"});
  CHECK_FALSE(r.config.secrets.slack_signing_secret.has_value());
  SECTION("the defaults without a file read them the same way") {
    const auto d = bot::default_config(env_of({{"SLACK_BOT_TOKEN", "xoxb-env"}}));
    CHECK(d.ok());
    CHECK(d.config.secrets.slack_bot_token == std::optional<std::string>{"xoxb-env"});
  }
}

TEST_CASE("Teams turns on with an app id, and dev mode only without one and on loopback", "[config]") {
  const auto on = bot::parse_config(json::object(), env_of({{"MICROSOFT_APP_ID", "id"}, {"MICROSOFT_APP_PASSWORD", "pw"}}));
  CHECK(on.ok());
  CHECK(on.config.teams.enabled);
  const auto off = bot::parse_config(json{{"teams", {{"enabled", false}}}}, env_of({{"MICROSOFT_APP_ID", "id"}}));
  CHECK(off.ok());
  CHECK_FALSE(off.config.teams.enabled);
  const auto no_password = bot::parse_config(json::object(), env_of({{"MICROSOFT_APP_ID", "id"}}));
  CHECK(problem_for(no_password, "teams.enabled") != nullptr);

  const auto dev = bot::parse_config(json{{"teams", {{"dev_mode", true}}}}, kNoEnv);
  CHECK(dev.ok());
  CHECK(dev.config.teams.enabled);
  const auto dev_with_id =
      bot::parse_config(json{{"teams", {{"dev_mode", true}}}}, env_of({{"MICROSOFT_APP_ID", "id"}, {"MICROSOFT_APP_PASSWORD", "pw"}}));
  CHECK(problem_for(dev_with_id, "teams.dev_mode") != nullptr);
  const auto dev_public = bot::parse_config(json{{"teams", {{"dev_mode", true}}}, {"http", {{"address", "0.0.0.0"}}}}, kNoEnv);
  CHECK(problem_for(dev_public, "teams.dev_mode") != nullptr);
  const auto bad_url = bot::parse_config(json{{"teams", {{"token_url", "ftp://x"}}}}, kNoEnv);
  CHECK(problem_for(bad_url, "teams.token_url") != nullptr);
  // Keys and the client secret travel over these URLs: plain http only to this machine.
  const auto clear_remote = bot::parse_config(json{{"teams", {{"openid_url", "http://login.example.com/x"}}}}, kNoEnv);
  CHECK(problem_for(clear_remote, "teams.openid_url") != nullptr);
  for (const char* disguised : {"http://127.0.0.1@login.example.com/x", "http://127.0.0.1.example.com/x",
                                "http://localhost.example.com/x", "http://127.0.0.1000/x", "http://[::1].example/x"})
    CHECK(problem_for(bot::parse_config(json{{"teams", {{"openid_url", disguised}}}}, kNoEnv), "teams.openid_url") !=
          nullptr);
  const auto clear_local =
      bot::parse_config(json{{"teams", {{"openid_url", "http://127.0.0.1:3978/x"}, {"token_url", "http://localhost/t"}}}}, kNoEnv);
  CHECK(clear_local.ok());
  const auto dev_with_password = bot::parse_config(json{{"teams", {{"dev_mode", true}}}}, env_of({{"MICROSOFT_APP_PASSWORD", "pw"}}));
  CHECK(problem_for(dev_with_password, "teams.dev_mode") != nullptr);
}

TEST_CASE("a document that is not a JSON object is one problem about the whole file", "[config]") {
  const auto r = bot::parse_config(json::array({1, 2}), kNoEnv);
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].key.empty());
}

TEST_CASE("load_config_file reports a file that is not valid JSON", "[config]") {
  testing::TempDir dir;
  const std::string path = dir.file("config.json");
  {
    std::ofstream out{path};
    out << "{ \"database\": { \"path\": \"x.db\", } oops";
  }
  const auto r = bot::load_config_file(path, kNoEnv);
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].key.empty());
  CHECK_THAT(r.problems[0].message, Catch::Contains("not valid JSON"));
}

TEST_CASE("load_config_file reads a valid file", "[config]") {
  testing::TempDir dir;
  const std::string path = dir.file("config.json");
  {
    std::ofstream out{path};
    out << R"({"database": {"path": "from-file.db"}, "defaults": {"checkin_day": "fri"}})";
  }
  const auto r = bot::load_config_file(path, kNoEnv);
  INFO(describe(r));
  CHECK(r.ok());
  CHECK(r.config.database_path == "from-file.db");
  CHECK(r.config.defaults.checkin_weekday == 5);
  SECTION("a missing file is a problem, not a crash") {
    const auto missing = bot::load_config_file(dir.file("nope.json"), kNoEnv);
    REQUIRE(missing.problems.size() == 1);
    CHECK(missing.problems[0].key.empty());
  }
}

TEST_CASE("config.example.json at the repository root is a valid configuration", "[config]") {
  const std::string path = std::string(COACHBOT_SOURCE_DIR) + "/config.example.json";
  // Platforms the example enables must find their secrets, as they would in production.
  const auto env = env_of({{"SLACK_BOT_TOKEN", "xoxb-test"},
                           {"SLACK_APP_TOKEN", "xapp-test"},
                           {"SLACK_SIGNING_SECRET", "signing"},
                           {"MICROSOFT_APP_ID", "app-id"},
                           {"MICROSOFT_APP_PASSWORD", "password"},
                           {"MICROSOFT_APP_TENANT_ID", "tenant"}});
  const auto r = bot::load_config_file(path, env);
  INFO(describe(r));
  CHECK(r.ok());
}

TEST_CASE("the default check-in time must be inside the sending window", "[config]") {
  // The default 09:00 against a window set later in the day: both keys are named.
  const auto late = bot::parse_config(json::parse(R"({"schedule": {"send_from": "10:00", "send_until": "18:00"}})"), kNoEnv);
  REQUIRE(late.problems.size() == 1);
  CHECK(late.problems[0].key == "defaults.checkin_time");
  CHECK_THAT(late.problems[0].message, Catch::Contains("09:00 is outside the sending window") &&
                                           Catch::Contains("send_from") && Catch::Contains("between 10:00 and 17:59"));
  // A window past midnight holds 23:00; no window at all holds every time.
  CHECK(bot::parse_config(json::parse(R"({"defaults": {"checkin_time": "23:00"},
                                          "schedule": {"send_from": "22:00", "send_until": "06:00"}})"),
                          kNoEnv)
            .ok());
  CHECK(bot::parse_config(json::parse(R"({"defaults": {"checkin_time": "03:00"},
                                          "schedule": {"send_from": "00:00", "send_until": "00:00"}})"),
                          kNoEnv)
            .ok());
}

TEST_CASE("the schedule section: working days, holidays for everyone or per region, window, digest", "[config]") {
  const auto r = bot::parse_config(
      json::parse(R"({"schedule": {"working_days": ["Monday", "Tuesday", "Wednesday", "Thursday"],
                                   "holidays": {"*": ["2026-12-25"], "DE": ["2026-10-03"]},
                                   "send_from": "07:30", "send_until": "18:00", "reminder_after_hours": 48,
                                   "max_reminders": 1, "skip_if_late_hours": 6, "digest_day": "Friday",
                                   "digest_time": "15:00", "escalate_reviews": true}})"),
      kNoEnv);
  REQUIRE(r.ok());
  const auto& c = r.config;
  CHECK(c.calendar.base.working_days == std::set<int>{1, 2, 3, 4});
  CHECK(c.calendar.of(std::nullopt).holidays == std::set<std::string>{"2026-12-25"});
  CHECK(c.calendar.of(std::string{"DE"}).holidays == std::set<std::string>{"2026-10-03", "2026-12-25"});
  CHECK(c.calendar.base.window_start_minute == 7 * 60 + 30);
  CHECK(c.reminder_delay == std::chrono::hours{48});
  CHECK(c.max_reminders == 1);
  CHECK(c.digest.weekday == 5);
  CHECK(c.digest.minute == 15 * 60);
  CHECK(c.escalate_reviews);

  const auto bad = bot::parse_config(
      json::parse(R"({"schedule": {"working_days": ["Caturday"], "holidays": ["2026-02-30"], "send_from": "25:00"}})"),
      kNoEnv);
  CHECK(bad.problems.size() == 4);
}
