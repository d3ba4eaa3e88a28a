// Commands typed outside a dialog: names, aliases, forgiving input, typo suggestions, help.
#include <catch2/catch.hpp>

#include <string>

#include "dialogs/commands.hpp"

using dialogs::Command;
using dialogs::parse_command;
using dialogs::suggest_command;

TEST_CASE("parse_command recognises each command by its name", "[commands]") {
  CHECK(parse_command("checkin") == Command::checkin);
  CHECK(parse_command("setup") == Command::setup);
  CHECK(parse_command("help") == Command::help);
  CHECK(parse_command("hi") == Command::greeting);
}

TEST_CASE("parse_command recognises the aliases of a command", "[commands]") {
  CHECK(parse_command("check-in") == Command::checkin);
  CHECK(parse_command("check in") == Command::checkin);
  CHECK(parse_command("check") == Command::checkin);
  CHECK(parse_command("onboarding") == Command::setup);
  CHECK(parse_command("settings") == Command::settings);
  CHECK(parse_command("privacy") == Command::settings);
  CHECK(parse_command("start") == Command::setup);
  CHECK(parse_command("?") == Command::help);
  CHECK(parse_command("commands") == Command::help);
  CHECK(parse_command("menu") == Command::help);
  CHECK(parse_command("hello") == Command::greeting);
  CHECK(parse_command("good morning") == Command::greeting);
}

TEST_CASE("parse_command ignores letter case, surrounding spaces, a leading slash and trailing punctuation",
          "[commands]") {
  SECTION("letter case") {
    CHECK(parse_command("CHECKIN") == Command::checkin);
    CHECK(parse_command("Help") == Command::help);
    CHECK(parse_command("Check-In") == Command::checkin);
  }
  SECTION("surrounding whitespace") {
    CHECK(parse_command("  setup \n") == Command::setup);
    CHECK(parse_command("\thelp\t") == Command::help);
  }
  SECTION("a leading slash, as in chat apps") {
    CHECK(parse_command("/checkin") == Command::checkin);
    CHECK(parse_command(" /Setup ") == Command::setup);
  }
  SECTION("a trailing question or exclamation mark") {
    CHECK(parse_command("help?") == Command::help);
    CHECK(parse_command("checkin!") == Command::checkin);
    CHECK(parse_command("Hello!!") == Command::greeting);
    CHECK(parse_command("/help?") == Command::help);
  }
}

TEST_CASE("parse_command does not treat ordinary sentences as commands", "[commands]") {
  CHECK_FALSE(parse_command("").has_value());
  CHECK_FALSE(parse_command("   ").has_value());
  CHECK_FALSE(parse_command("I want to check in later").has_value());
  CHECK_FALSE(parse_command("chekin").has_value());
  CHECK_FALSE(parse_command("helpme").has_value());
  CHECK_FALSE(parse_command("/").has_value());
}

TEST_CASE("suggest_command offers the nearest command for a typo", "[commands]") {
  CHECK(suggest_command("chekin") == std::optional<std::string_view>{"checkin"});
  CHECK(suggest_command("checkni") == std::optional<std::string_view>{"checkin"});
  CHECK(suggest_command("setpu") == std::optional<std::string_view>{"setup"});
  CHECK(suggest_command("hlep") == std::optional<std::string_view>{"help"});
  CHECK(suggest_command("/Chekin?") == std::optional<std::string_view>{"checkin"});
}

TEST_CASE("suggest_command stays quiet for words that are nowhere near a command", "[commands]") {
  CHECK_FALSE(suggest_command("banana").has_value());
  CHECK_FALSE(suggest_command("what should I do this week").has_value());
  CHECK_FALSE(suggest_command("").has_value());
  CHECK_FALSE(suggest_command("   ").has_value());
}

TEST_CASE("help_text lists the commands a person can use", "[commands]") {
  const std::string help = dialogs::help_text();
  CHECK_THAT(help, Catch::Contains("checkin"));
  CHECK_THAT(help, Catch::Contains("setup"));
  CHECK_THAT(help, Catch::Contains("help"));
  SECTION("each listed command has a description") {
    for (const auto& c : dialogs::commands()) {
      if (c.summary.empty()) continue;
      CHECK_THAT(help, Catch::Contains(std::string{c.summary}));
    }
  }
  SECTION("the greeting is not advertised as a command") {
    CHECK_THAT(help, !Catch::Contains("*hi*"));
  }
}
