// The RFC 4180 reader behind `coachbot import-directory`: quoting, line breaks inside
// fields, byte order marks, CRLF, and records that break the rules reported by line.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "bot/csv_reader.hpp"

using Catch::Matchers::Contains;
using Fields = std::vector<std::string>;

TEST_CASE("CSV: plain records, each with the line it starts on", "[csv]") {
  const auto t = bot::parse_csv("email,name\nalice@example.com,Alice\nbob@example.com,Bob\n");
  CHECK(t.problems.empty());
  REQUIRE(t.records.size() == 3);
  CHECK(t.records[0].fields == Fields{"email", "name"});
  CHECK(t.records[0].line == 1);
  CHECK(t.records[1].fields == Fields{"alice@example.com", "Alice"});
  CHECK(t.records[2].line == 3);
}

TEST_CASE("CSV: quoted fields hold commas, doubled quotes and line breaks", "[csv]") {
  const auto t = bot::parse_csv(
      "name,team\n"
      "\"Smith, Jane\",\"say \"\"hi\"\"\"\n"
      "\"two\nlines\",x\n"
      "\"\",\"\"\"\"\n"
      "after,z\n");
  CHECK(t.problems.empty());
  REQUIRE(t.records.size() == 5);
  CHECK(t.records[1].fields == Fields{"Smith, Jane", "say \"hi\""});
  CHECK(t.records[2].fields == Fields{"two\nlines", "x"});
  CHECK(t.records[2].line == 3);
  CHECK(t.records[3].fields == Fields{"", "\""});
  // The line break inside quotes still counts as a line.
  CHECK(t.records[3].line == 5);
  CHECK(t.records[4].line == 6);
  CHECK(t.records[4].fields == Fields{"after", "z"});
}

TEST_CASE("CSV: CRLF, a lone CR, no final line break and a byte order mark", "[csv]") {
  SECTION("CRLF, as Excel writes it, with CRLF kept inside quotes") {
    const auto t = bot::parse_csv("a,b\r\n1,\"x\r\ny\"\r\n3,4");
    CHECK(t.problems.empty());
    REQUIRE(t.records.size() == 3);
    CHECK(t.records[1].fields == Fields{"1", "x\r\ny"});
    CHECK(t.records[2].fields == Fields{"3", "4"});
    CHECK(t.records[2].line == 4);
  }
  SECTION("a lone CR ends a line too") {
    const auto t = bot::parse_csv("a,b\r1,2\r");
    REQUIRE(t.records.size() == 2);
    CHECK(t.records[1].line == 2);
  }
  SECTION("the byte order mark is not part of the first column's name") {
    const auto t = bot::parse_csv("\xEF\xBB\xBF" "email,name\n");
    REQUIRE(t.records.size() == 1);
    CHECK(t.records[0].fields == Fields{"email", "name"});
  }
}

TEST_CASE("CSV: empty lines are left out, empty fields are kept", "[csv]") {
  const auto t = bot::parse_csv("a,b,c\n\n1,,3\n\r\n,,\n\n");
  CHECK(t.problems.empty());
  REQUIRE(t.records.size() == 3);
  CHECK(t.records[1].fields == Fields{"1", "", "3"});
  CHECK(t.records[1].line == 3);
  CHECK(t.records[2].fields == Fields{"", "", ""});
  CHECK(t.records[2].line == 5);
}

TEST_CASE("CSV: a record with more or fewer fields than the header is reported by line and left out", "[csv]") {
  const auto t = bot::parse_csv("a,b,c\n1,2,3\n1,2\n1,2,3,4\n\"x\ny\",2,3\n7,8,9\n");
  REQUIRE(t.problems.size() == 2);
  CHECK(t.problems[0].line == 3);
  CHECK(t.problems[0].message == "2 fields where the header has 3");
  CHECK(t.problems[1].line == 4);
  CHECK(t.problems[1].message == "4 fields where the header has 3");
  REQUIRE(t.records.size() == 4);
  CHECK(t.records[2].line == 5);
  CHECK(t.records[3].line == 7);
  CHECK(t.records[3].fields == Fields{"7", "8", "9"});
}

TEST_CASE("CSV: broken quoting is reported by line and reading goes on with the next line", "[csv]") {
  SECTION("a quote inside an unquoted field") {
    const auto t = bot::parse_csv("a,b\n5'10\" tall,x\nok,y\n");
    REQUIRE(t.problems.size() == 1);
    CHECK(t.problems[0].line == 2);
    CHECK_THAT(t.problems[0].message, Contains("quote inside a field"));
    REQUIRE(t.records.size() == 2);
    CHECK(t.records[1].fields == Fields{"ok", "y"});
  }
  SECTION("text after a closing quote") {
    const auto t = bot::parse_csv("a,b\n\"abc\"def,x\nok,y\n");
    REQUIRE(t.problems.size() == 1);
    CHECK(t.problems[0].line == 2);
    CHECK_THAT(t.problems[0].message, Contains("after the closing quote"));
    REQUIRE(t.records.size() == 2);
  }
  SECTION("a quote never closed swallows the rest of the file, reported where it opened") {
    const auto t = bot::parse_csv("a,b\nok,y\n\"open,x\nmore,z\n");
    REQUIRE(t.problems.size() == 1);
    CHECK(t.problems[0].line == 3);
    CHECK_THAT(t.problems[0].message, Contains("never closed"));
    REQUIRE(t.records.size() == 2);
  }
}

TEST_CASE("CSV: nothing at all is no records", "[csv]") {
  CHECK(bot::parse_csv("").records.empty());
  CHECK(bot::parse_csv("\xEF\xBB\xBF").records.empty());
  CHECK(bot::parse_csv("\n\n").records.empty());
}
