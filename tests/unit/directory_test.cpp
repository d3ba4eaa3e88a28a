// The org directory file: columns, row checks, CSV and JSON reading with line and item
// numbers, the import report and the terminal progress line.
#include <catch2/catch.hpp>

#include <sstream>
#include <variant>

#include "bot/directory.hpp"
#include "bot/progress_line.hpp"

using Catch::Matchers::Contains;

namespace {

bot::RowRef line(std::size_t n) { return {bot::DirectoryFormat::csv, n}; }

bot::DirectoryEntry entry(const bot::DirectoryCells& cells) {
  auto r = bot::check_directory_row(line(2), cells);
  if (auto* p = std::get_if<bot::RowProblem>(&r)) FAIL("unexpected problem: " << p->message);
  return std::get<bot::DirectoryEntry>(r);
}

std::string problem(const bot::DirectoryCells& cells) {
  auto r = bot::check_directory_row(line(2), cells);
  if (std::holds_alternative<bot::DirectoryEntry>(r)) FAIL("row was accepted");
  return std::get<bot::RowProblem>(r).message;
}

}  // namespace

TEST_CASE("Directory row: text is trimmed, emails lower-cased, empty cells kept apart from missing columns",
          "[directory]") {
  const auto e = entry({{"email", " Alice@Example.COM "},
                        {"name", " Alice Example "},
                        {"time_zone", "Europe/Berlin"},
                        {"team", ""},
                        {"manager_email", "Carol@example.com"}});
  CHECK(e.where == line(2));
  CHECK(e.email == "alice@example.com");
  CHECK(e.name == "Alice Example");
  CHECK(e.time_zone == "Europe/Berlin");
  CHECK(e.team == "");             // present and empty: clear it
  CHECK_FALSE(e.region);           // no such column: keep it
  CHECK(e.manager_email == "carol@example.com");
  CHECK_FALSE(e.slack);
}

TEST_CASE("Directory row: platform ids with and without their tenant", "[directory]") {
  const auto e = entry({{"slack_id", "U024BE7LH"}, {"slack_team", "T01"}, {"teams_aad_id", "9e2b-41"}});
  REQUIRE(e.slack);
  CHECK(*e.slack == bot::Identity{bot::Platform::slack, "T01", "U024BE7LH"});
  REQUIRE(e.teams);
  CHECK(*e.teams == bot::Identity{bot::Platform::teams, "", "9e2b-41"});
  CHECK_FALSE(e.email);
}

TEST_CASE("Directory row: what makes a row unusable, all reasons at once", "[directory]") {
  CHECK_THAT(problem({{"name", "Nobody"}, {"email", ""}}), Contains("nothing says who this is"));
  CHECK_THAT(problem({{"email", "alice"}}), Contains("email 'alice' is not an email address"));
  CHECK_THAT(problem({{"email", "a@b.c"}, {"manager_email", "carol at example"}}),
             Contains("manager_email 'carol at example' is not an email address"));
  CHECK_THAT(problem({{"email", "a@example.com"}, {"manager_email", "A@example.com"}}), Contains("own email"));
  CHECK_THAT(problem({{"email", "a@example.com"}, {"time_zone", "europe/berlin"}}),
             Contains("not an IANA time zone name (did you mean Europe/Berlin?)"));
  CHECK_THAT(problem({{"email", "a@example.com"}, {"time_zone", "Mars/Olympus"}}), Contains("such as Europe/Berlin"));
  CHECK_THAT(problem({{"email", "a@example.com"}, {"slack_team", "T01"}}), Contains("slack_team without slack_id"));
  CHECK_THAT(problem({{"slack_id", "U 01"}}), Contains("slack_id 'U 01' is not an id"));
  CHECK_THAT(problem({{"email", "a@example.com"}, {"name", "Al\nice"}}), Contains("name contains a line break"));
  CHECK_THAT(problem({{"email", "a@example.com"}, {"team", "\xC3\x28"}}), Contains("team is not valid UTF-8"));
  CHECK_THAT(problem({{"email", "a@example.com"}, {"region", std::string(201, 'x')}}),
             Contains("region is longer than 200 characters"));
  const auto both = problem({{"email", "nope"}, {"time_zone", "Nowhere"}});
  CHECK_THAT(both, Contains("email 'nope'") && Contains("time_zone 'Nowhere'"));
}

TEST_CASE("Directory format: the extension decides, else the content", "[directory]") {
  using F = bot::DirectoryFormat;
  CHECK(bot::detect_directory_format("people.CSV", "[") == F::csv);
  CHECK(bot::detect_directory_format("people.json", "email") == F::json);
  CHECK(bot::detect_directory_format("people.txt", "\xEF\xBB\xBF  [{}]") == F::json);
  CHECK(bot::detect_directory_format("-", "email,name") == F::csv);
}

TEST_CASE("Directory CSV: header names are forgiving, rows keep their line numbers", "[directory]") {
  const auto read = bot::read_directory(
      "\xEF\xBB\xBF" "Email, Name ,Manager Email,time-zone\r\n"
      "alice@example.com,Alice,,Europe/Berlin\r\n"
      ",,,\r\n"
      "\"bob@example.com\",\"Bob \"\"the builder\"\"\",alice@example.com,\r\n"
      "carol@example.com,Carol,,Berlin\r\n"
      "dave@example.com,Dave\r\n",
      bot::DirectoryFormat::csv);
  REQUIRE(read.directory);
  const auto& d = *read.directory;
  CHECK(d.columns == std::vector<std::string>{"email", "name", "manager_email", "time_zone"});
  CHECK(d.rows == 4);  // the row of empty cells is not a row
  REQUIRE(d.entries.size() == 2);
  CHECK(d.entries[0].where == line(2));
  CHECK(d.entries[0].manager_email == "");
  CHECK(d.entries[1].where == line(4));
  CHECK(d.entries[1].name == "Bob \"the builder\"");
  CHECK_FALSE(d.entries[1].time_zone);
  REQUIRE(d.problems.size() == 2);
  CHECK(d.problems[0].where == line(5));
  CHECK_THAT(d.problems[0].message, Contains("time_zone 'Berlin'"));
  CHECK(d.problems[1].where == line(6));
  CHECK(d.problems[1].message == "2 fields where the header has 4");
}

TEST_CASE("Directory CSV: problems with the file as a whole are errors", "[directory]") {
  const auto error = [](std::string_view text) {
    auto r = bot::read_directory(text, bot::DirectoryFormat::csv);
    CHECK_FALSE(r.directory);
    return r.error;
  };
  CHECK_THAT(error("email,mgr_email,timezone,shoe size\n"),
             Contains("unknown columns 'mgr_email' (did you mean manager_email?), 'timezone' (did you mean "
                      "time_zone?), 'shoe_size'") &&
                 Contains("Known: email, name, manager_email"));
  CHECK_THAT(error("email;name;team\n"), Contains("separate fields with ';'"));
  CHECK_THAT(error("email,name,Email\n"), Contains("column 'email' appears twice"));
  CHECK_THAT(error("email,,name\n"), Contains("column 2 has no name"));
  CHECK_THAT(error("name,team\nAlice,x\n"), Contains("give email, slack_id or teams_aad_id"));
  CHECK_THAT(error(""), Contains("the file is empty"));
  CHECK_THAT(error("\"email,name\n"), Contains("line 1 (the header row)") && Contains("never closed"));
}

TEST_CASE("Directory JSON: an array of objects, problems by item number", "[directory]") {
  const auto read = bot::read_directory(R"([
    {"email": "alice@example.com", "name": "Alice", "manager_email": null, "Time Zone": "Europe/Berlin"},
    "bob@example.com",
    {"email": "carol@example.com", "team": 7},
    {"slack_id": "U02", "slack_team": "T01", "name": "Dan"}
  ])",
                                        bot::DirectoryFormat::json);
  REQUIRE(read.directory);
  const auto& d = *read.directory;
  CHECK(d.rows == 4);
  REQUIRE(d.entries.size() == 2);
  CHECK(d.entries[0].where.str() == "item 1");
  CHECK(d.entries[0].manager_email == "");  // null clears
  CHECK(d.entries[0].time_zone == "Europe/Berlin");
  CHECK_FALSE(d.entries[0].team);           // key absent: kept
  CHECK(d.entries[1].where.str() == "item 4");
  REQUIRE(d.problems.size() == 2);
  CHECK(d.problems[0].where.str() == "item 2");
  CHECK_THAT(d.problems[0].message, Contains("not an object"));
  CHECK(d.problems[1].where.str() == "item 3");
  CHECK_THAT(d.problems[1].message, Contains("team must be text or null, not a number"));
}

TEST_CASE("Directory JSON: broken JSON, a non-array or unknown keys are errors", "[directory]") {
  const auto error = [](std::string_view text) {
    auto r = bot::read_directory(text, bot::DirectoryFormat::json);
    CHECK_FALSE(r.directory);
    return r.error;
  };
  CHECK_THAT(error("[{\"email\": \"a@example.com\",}]"), Contains("not valid JSON") && Contains("line 1"));
  CHECK_THAT(error("{\"email\": \"a@example.com\"}"), Contains("expected a JSON array"));
  CHECK_THAT(error("[{\"email\": \"a@example.com\", \"boss\": \"b@example.com\"}]"), Contains("unknown key 'boss'"));
  auto empty = bot::read_directory("[]", bot::DirectoryFormat::json);
  REQUIRE(empty.directory);
  CHECK(empty.directory->rows == 0);
}

TEST_CASE("Import report: a line per change and per skipped row, then the counts", "[directory]") {
  bot::DirectoryImportResult r;
  r.created = 1;
  r.updated = 1;
  r.unchanged = 3;
  bot::PersonChange created;
  created.where = line(2);
  created.kind = bot::PersonChangeKind::created;
  created.who = "alice@example.com";
  created.fields = {{"name", std::nullopt, "Alice"}, {"manager", std::nullopt, "carol@example.com"}};
  bot::PersonChange updated;
  updated.where = line(3);
  updated.who = "bob@example.com";
  updated.fields = {{"team", "platform", "data"}, {"manager", std::nullopt, "carol@example.com"}};
  r.changes = {created, updated};
  r.skipped = {{line(7), "time_zone 'Berlin' is not an IANA time zone name", std::nullopt}};
  CHECK(bot::format_import_report(r, "people.csv", false) ==
        "created alice@example.com: name Alice, manager carol@example.com\n"
        "updated bob@example.com: team platform \u2192 data, manager (none) \u2192 carol@example.com\n"
        "line 7: time_zone 'Berlin' is not an IANA time zone name\n"
        "people.csv: 1 created, 1 updated, 3 unchanged, 1 skipped\n");
  CHECK_THAT(bot::format_import_report({}, "people.json", true),
             Contains("people.json: 0 created, 0 updated, 0 unchanged, 0 skipped (dry run: nothing was written)"));
}

TEST_CASE("Progress line: redrawn in place when the percentage changes, erased at the end", "[directory]") {
  std::ostringstream out;
  {
    bot::ProgressLine bar{out, "importing x.csv"};
    bar.update(0, 400);
    bar.update(1, 400);  // still 0%: not redrawn
    bar.update(200, 400);
    bar.update(400, 400);
  }
  CHECK(out.str() ==
        "\rimporting x.csv [----------] 0%"
        "\rimporting x.csv [#####-----] 50%"
        "\rimporting x.csv [##########] 100%"
        "\r\x1b[K");
  std::ostringstream never;
  { bot::ProgressLine unused{never, "x"}; }
  CHECK(never.str().empty());
}
