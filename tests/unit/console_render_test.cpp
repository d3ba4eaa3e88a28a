// What the terminal chat shows for a message: paragraphs with a speaker lead, numbered
// buttons, and markdown emphasis as ANSI bold or plain text.
#include <catch2/catch.hpp>

#include <string>

#include "adapters/console/console_renderer.hpp"

using adapters::console::render;
using adapters::console::render_inline;
using adapters::console::RenderOptions;

namespace {

const std::string kBold = "\x1b[1m";
const std::string kReset = "\x1b[0m";

bot::Message message(std::vector<std::string> sections) {
  bot::Message m;
  m.to = bot::Recipient::dm(bot::PersonId{1});
  for (auto& s : sections) m.sections.push_back({std::move(s)});
  return m;
}

}  // namespace

TEST_CASE("a single-line message is shown after the coach lead", "[console][render]") {
  CHECK(render(message({"Hello there"}), RenderOptions{}) == "coach > Hello there\n");
}

TEST_CASE("sections become paragraphs and continuation lines are indented under the text", "[console][render]") {
  const std::string out = render(message({"First line\nsecond line", "Next paragraph"}), RenderOptions{});
  CHECK(out ==
        "coach > First line\n"
        "        second line\n"
        "\n"
        "        Next paragraph\n");
  SECTION("the lead appears once, on the first line") {
    std::size_t count = 0;
    for (std::size_t p = out.find("coach > "); p != std::string::npos; p = out.find("coach > ", p + 1)) ++count;
    CHECK(count == 1);
  }
}

TEST_CASE("the speaker name in the options changes the lead and the indent", "[console][render]") {
  RenderOptions o;
  o.speaker = "bot";
  CHECK(render(message({"a\nb"}), o) == "bot > a\n      b\n");
}

TEST_CASE("empty sections are left out", "[console][render]") {
  CHECK(render(message({"", "Only this", ""}), RenderOptions{}) == "coach > Only this\n");
}

TEST_CASE("buttons are listed as numbered choices below the text", "[console][render]") {
  bot::Message m = message({"Ready for your check-in?"});
  m.buttons = {{"start", "Start now", "start", bot::ButtonStyle::primary},
               {"later", "Later", "later", bot::ButtonStyle::normal},
               {"skip", "*Skip* this week", "skip", bot::ButtonStyle::danger}};
  CHECK(render(m, RenderOptions{}) ==
        "coach > Ready for your check-in?\n"
        "        [1] Start now\n"
        "        [2] Later\n"
        "        [3] Skip this week\n");
}

TEST_CASE("number buttons are typed as their value, a Keep among them as keep", "[console][render]") {
  bot::Message m = message({"Progress?"});
  m.buttons = {{"q.p", "25%", "25", bot::ButtonStyle::normal},
               {"q.p", "100%", "100", bot::ButtonStyle::normal},
               {"q.p", "Keep \"40\"", "keep", bot::ButtonStyle::normal}};
  CHECK(adapters::console::keyed_by_value(m.buttons));
  CHECK(render(m, RenderOptions{}) ==
        "coach > Progress?\n"
        "        [25] 25%\n"
        "        [100] 100%\n"
        "        [keep] Keep \"40\"\n");
  m.buttons.erase(m.buttons.begin(), m.buttons.begin() + 2);
  CHECK_FALSE(adapters::console::keyed_by_value(m.buttons));  // a Keep alone is [1]
}

TEST_CASE("a form is announced by its title", "[console][render]") {
  bot::Message m = message({"Please fill this in"});
  m.form = bot::Form{"f", "Weekly check-in", "Send", {}, {}, false};
  const std::string out = render(m, RenderOptions{});
  CHECK_THAT(out, Catch::StartsWith("coach > Please fill this in\n"));
  CHECK_THAT(out, Catch::Contains("Weekly check-in"));
}

TEST_CASE("bold markers are removed in plain output and become ANSI bold on a terminal", "[console][render]") {
  SECTION("without ANSI") {
    CHECK(render_inline("This is *important* now", false) == "This is important now");
    CHECK(render_inline("*All bold*", false) == "All bold");
  }
  SECTION("with ANSI") {
    CHECK(render_inline("This is *important* now", true) == "This is " + kBold + "important" + kReset + " now");
    CHECK(render_inline("*All bold*", true) == kBold + "All bold" + kReset);
  }
  SECTION("inside a whole message") {
    RenderOptions o;
    o.ansi = true;
    CHECK(render(message({"Your week: *2026-W48*"}), o) == "coach > Your week: " + kBold + "2026-W48" + kReset + "\n");
    o.ansi = false;
    CHECK(render(message({"Your week: *2026-W48*"}), o) == "coach > Your week: 2026-W48\n");
  }
  SECTION("plain output never contains escape codes") {
    CHECK(render_inline("*a* _b_ `c`", false).find('\x1b') == std::string::npos);
  }
}

TEST_CASE("code backticks are dropped and the code text is kept", "[console][render]") {
  CHECK(render_inline("type `help` for a list", false) == "type help for a list");
}

TEST_CASE("asterisks and underscores that are not emphasis are shown as typed", "[console][render]") {
  SECTION("arithmetic") {
    CHECK(render_inline("5 * 3 = 15", false) == "5 * 3 = 15");
    CHECK(render_inline("5 * 3 = 15", true) == "5 * 3 = 15");
  }
  SECTION("underscores inside a time zone name") {
    CHECK(render_inline("Your zone is America/New_York", false) == "Your zone is America/New_York");
    CHECK(render_inline("Your zone is America/New_York", true) == "Your zone is America/New_York");
  }
  SECTION("a lone opening marker without a partner") {
    CHECK(render_inline("rated *5 stars", false) == "rated *5 stars");
  }
}

TEST_CASE("a bold time zone name keeps its underscore and loses only the bold markers", "[console][render]") {
  // The onboarding dialog says "I have *America/New_York*."; the underscore must not end the bold span.
  CHECK(render_inline("I have *America/New_York*.", false) == "I have America/New_York.");
  CHECK(render_inline("I have *America/New_York*.", true) == "I have " + kBold + "America/New_York" + kReset + ".");
}
