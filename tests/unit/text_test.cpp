// Small text helpers: trimming, ASCII lower-casing, UTF-8 validation, edit distance, join.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "bot/text.hpp"

TEST_CASE("trim_right, is_blank and strip_bom", "[text]") {
  CHECK(bot::trim_right("  two words \t\r\n") == "  two words");
  CHECK(bot::is_blank(""));
  CHECK(bot::is_blank(" \n\t\r\f\v"));
  CHECK_FALSE(bot::is_blank("  x "));
  // A spreadsheet's CSV export starts with a byte order mark; only a leading one goes.
  CHECK(bot::strip_bom("\xEF\xBB\xBFname,email") == "name,email");
  CHECK(bot::strip_bom("name\xEF\xBB\xBF") == "name\xEF\xBB\xBF");
  CHECK(bot::strip_bom("\xEF\xBB") == "\xEF\xBB");
}

TEST_CASE("trim removes surrounding whitespace and keeps inner spaces", "[text]") {
  CHECK(bot::trim("  hello world \t\r\n") == "hello world");
  CHECK(bot::trim("\n\v\fx\f\v\n") == "x");
  CHECK(bot::trim("no-space") == "no-space");
  CHECK(bot::trim("   ").empty());
  CHECK(bot::trim("").empty());
}

TEST_CASE("lower changes ASCII letters only and leaves other bytes alone", "[text]") {
  CHECK(bot::lower("CheckIn HELP") == "checkin help");
  CHECK(bot::lower("already lower 123 !?") == "already lower 123 !?");
  CHECK(bot::lower("GRÜSSE") == "grÜsse");
  CHECK(bot::lower("").empty());
}

TEST_CASE("is_valid_utf8 accepts well-formed text and rejects malformed byte sequences", "[text][utf8]") {
  SECTION("plain ASCII and the empty string are valid") {
    CHECK(bot::is_valid_utf8(""));
    CHECK(bot::is_valid_utf8("hello, world"));
  }
  SECTION("multi-byte characters of two, three and four bytes are valid") {
    CHECK(bot::is_valid_utf8("Grüße 🎉"));
    CHECK(bot::is_valid_utf8("\xE2\x82\xAC"));      // euro sign
    CHECK(bot::is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
  }
  SECTION("an overlong encoding of '/' is invalid") {
    CHECK_FALSE(bot::is_valid_utf8("\xC0\xAF"));
    CHECK_FALSE(bot::is_valid_utf8("\xE0\x80\xAF"));
  }
  SECTION("an encoded UTF-16 surrogate is invalid") {
    CHECK_FALSE(bot::is_valid_utf8("\xED\xA0\x80"));
    CHECK_FALSE(bot::is_valid_utf8("\xED\xBF\xBF"));
  }
  SECTION("a sequence cut short at the end of the text is invalid") {
    CHECK_FALSE(bot::is_valid_utf8("ok \xF0\x9F\x8E"));
    CHECK_FALSE(bot::is_valid_utf8("\xC3"));
  }
  SECTION("a lead byte followed by a non-continuation byte is invalid") {
    CHECK_FALSE(bot::is_valid_utf8("\xC3("));
  }
  SECTION("a stray continuation byte and bytes that never appear in UTF-8 are invalid") {
    CHECK_FALSE(bot::is_valid_utf8("\x80"));
    CHECK_FALSE(bot::is_valid_utf8("\xFF"));
  }
  SECTION("code points past U+10FFFF are invalid") {
    CHECK_FALSE(bot::is_valid_utf8("\xF4\x90\x80\x80"));
  }
}

TEST_CASE("edit_distance counts single-character insertions, deletions and substitutions", "[text]") {
  CHECK(bot::edit_distance("", "") == 0);
  CHECK(bot::edit_distance("help", "help") == 0);
  CHECK(bot::edit_distance("", "abc") == 3);
  CHECK(bot::edit_distance("abc", "") == 3);
  CHECK(bot::edit_distance("chekin", "checkin") == 1);
  CHECK(bot::edit_distance("checkin", "chekin") == 1);
  CHECK(bot::edit_distance("setup", "setyp") == 1);
  CHECK(bot::edit_distance("kitten", "sitting") == 3);
  CHECK(bot::edit_distance("flaw", "lawn") == 2);
}

TEST_CASE("join puts the separator between parts only", "[text]") {
  CHECK(bot::join({}, ", ").empty());
  CHECK(bot::join({"one"}, ", ") == "one");
  CHECK(bot::join({"one", "two", "three"}, ", ") == "one, two, three");
  CHECK(bot::join({"a", "", "c"}, "-") == "a--c");
  CHECK(bot::join({"x", "y"}, "") == "xy");
}

TEST_CASE("Truncation never cuts a character in half") {
  std::string word = "a";
  for (int i = 0; i < 40; ++i) word += "\xD1\x8F";  // я
  const std::string cut = bot::truncate_utf8(word, 60);
  CHECK(cut.size() <= 60);
  CHECK(bot::is_valid_utf8(cut));
  CHECK(bot::truncate_utf8("short", 60) == "short");
}

TEST_CASE("Handles are normalised the same way everywhere") {
  CHECK(bot::normalise_handle("@Bob.Smith") == "bob.smith");
  CHECK(bot::normalise_handle("  carol_1 ") == "carol_1");
  CHECK(bot::normalise_handle("bob smith").empty());
  CHECK(bot::normalise_handle("").empty());
  CHECK(bot::normalise_handle(std::string(65, 'a')).empty());
}

TEST_CASE("A Slack mention typed alone gives the user id, case kept") {
  CHECK(bot::mentioned_user("<@U0BOB>") == "U0BOB");
  CHECK(bot::mentioned_user(" <@W012A3CDE|bob> ") == "W012A3CDE");
  CHECK(bot::mentioned_user("bob").empty());
  CHECK(bot::mentioned_user("<@U0BOB> and <@U0CAROL>").empty());
  CHECK(bot::mentioned_user("<#C123>").empty());
  CHECK(bot::mentioned_user("<@>").empty());
}

TEST_CASE("A Content-Type names its media type whatever the case and parameters") {
  CHECK(bot::media_type_is("application/json", "application/json"));
  CHECK(bot::media_type_is("APPLICATION/JSON; charset=UTF-8", "application/json"));
  CHECK(bot::media_type_is(" application/x-www-form-urlencoded ;", "application/x-www-form-urlencoded"));
  CHECK_FALSE(bot::media_type_is("application/jsonx", "application/json"));
  CHECK_FALSE(bot::media_type_is("application/json, text/plain", "application/json"));
  CHECK_FALSE(bot::media_type_is("", "application/json"));
}

TEST_CASE("strip_controls keeps what a chat shows and drops the controls it does not", "[text]") {
  using namespace std::string_literals;
  CHECK(bot::strip_controls("a\0b"s) == "ab");
  CHECK(bot::strip_controls("tab\there\x7f\x1b[31m") == "tab\there[31m");
  CHECK(bot::strip_controls("one\r\ntwo\rthree\nfour") == "one\ntwo\nthree\nfour");
  CHECK(bot::strip_controls("Grüße, 学习 🎯") == "Grüße, 学习 🎯");
}
