// Filling a form in the terminal: one field at a time, each answer checked against its field.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <utility>

#include "adapters/console/form_filler.hpp"
#include "tests/support/form_fields.hpp"

using adapters::console::FormFiller;

namespace {

using testing::field;

bot::Field optional_field(std::string id, bot::FieldKind kind) {
  bot::Field f = field(std::move(id), kind);
  f.required = false;
  return f;
}

FormFiller filler_for(bot::Field f) { return FormFiller{bot::Form{"form", "A form", "Submit", {std::move(f)}, {}, false}}; }

}  // namespace

TEST_CASE("the form's fields are asked one by one in order", "[console][form]") {
  bot::Field name = field("name", bot::FieldKind::text);
  name.label = "Your name";
  bot::Field goal = field("goal", bot::FieldKind::long_text);
  goal.label = "Your goal";
  FormFiller f{bot::Form{"form", "About you", "Send", {name, goal}, {}, false}};

  REQUIRE_FALSE(f.done());
  CHECK_THAT(f.prompt(), Catch::StartsWith("Your name"));
  CHECK_FALSE(f.answer("Ada").has_value());
  REQUIRE_FALSE(f.done());
  CHECK_THAT(f.prompt(), Catch::StartsWith("Your goal"));
  CHECK_FALSE(f.answer("  Ship the parser  ").has_value());
  CHECK(f.done());
  CHECK(f.prompt().empty());
  CHECK(f.values() == std::map<std::string, std::string>{{"name", "Ada"}, {"goal", "Ship the parser"}});
}

TEST_CASE("a required field refuses an empty answer and asks again", "[console][form]") {
  FormFiller f = filler_for(field("name", bot::FieldKind::text));
  const auto refusal = f.answer("");
  REQUIRE(refusal.has_value());
  CHECK_THAT(*refusal, Catch::Contains("required"));
  CHECK(f.answer("   ").has_value());
  CHECK(f.answer("skip").has_value());
  CHECK_FALSE(f.done());
  CHECK_THAT(f.prompt(), Catch::StartsWith("Label of name"));
  CHECK_FALSE(f.answer("Ada").has_value());
  CHECK(f.done());
  CHECK(f.values().at("name") == "Ada");
}

TEST_CASE("an optional field can be left empty or skipped", "[console][form]") {
  SECTION("the prompt says it is optional") {
    CHECK_THAT(filler_for(optional_field("notes", bot::FieldKind::text)).prompt(), Catch::Contains("optional"));
  }
  SECTION("with an empty answer") {
    FormFiller f = filler_for(optional_field("notes", bot::FieldKind::text));
    CHECK_FALSE(f.answer("").has_value());
    CHECK(f.done());
    CHECK(f.values().count("notes") == 0);
  }
  SECTION("with the word skip in any case") {
    FormFiller f = filler_for(optional_field("notes", bot::FieldKind::text));
    CHECK_FALSE(f.answer("Skip").has_value());
    CHECK(f.done());
    CHECK(f.values().empty());
  }
  SECTION("and still takes an answer when one is given") {
    FormFiller f = filler_for(optional_field("notes", bot::FieldKind::text));
    CHECK_FALSE(f.answer("some notes").has_value());
    CHECK(f.values().at("notes") == "some notes");
  }
}

TEST_CASE("a text field refuses answers longer than its maximum length", "[console][form]") {
  bot::Field text = field("summary", bot::FieldKind::text);
  text.max_length = 5;
  FormFiller f = filler_for(text);
  CHECK(f.answer("too long").has_value());
  CHECK_FALSE(f.done());
  CHECK_FALSE(f.answer("short").has_value());
  CHECK(f.values().at("summary") == "short");
}

TEST_CASE("a number field takes numbers within its range only", "[console][form]") {
  bot::Field n = field("score", bot::FieldKind::number);
  n.min = 1;
  n.max = 10;
  FormFiller f = filler_for(n);
  CHECK_THAT(f.prompt(), Catch::Contains("1") && Catch::Contains("10"));
  CHECK(f.answer("eleven").has_value());
  CHECK(f.answer("7 points").has_value());
  CHECK(f.answer("0").has_value());
  CHECK(f.answer("11").has_value());
  CHECK(f.answer("10.5").has_value());
  CHECK_FALSE(f.done());
  SECTION("\"nan\" is not a number in the range") {
    CHECK(f.answer("nan").has_value());
    CHECK(f.values().count("score") == 0);
  }
  SECTION("the bounds themselves are allowed") {
    CHECK_FALSE(f.answer("10").has_value());
    CHECK(f.values().at("score") == "10");
  }
  SECTION("fractions inside the range are allowed") {
    CHECK_FALSE(f.answer("2.5").has_value());
    CHECK(f.values().at("score") == "2.5");
  }
}

TEST_CASE("a single choice can be picked by its number or its label and gives the choice's value",
          "[console][form]") {
  bot::Field mood = field("mood", bot::FieldKind::single_select);
  mood.choices = {{"good", "Going well"}, {"ok", "Okay"}, {"bad", "Not great"}};
  FormFiller f = filler_for(mood);
  SECTION("the prompt lists the numbered choices") {
    const std::string p = f.prompt();
    CHECK_THAT(p, Catch::Contains("[1] Going well"));
    CHECK_THAT(p, Catch::Contains("[2] Okay"));
    CHECK_THAT(p, Catch::Contains("[3] Not great"));
  }
  SECTION("by number") {
    CHECK_FALSE(f.answer("3").has_value());
    CHECK(f.values().at("mood") == "bad");
  }
  SECTION("by label, ignoring case") {
    CHECK_FALSE(f.answer("going WELL").has_value());
    CHECK(f.values().at("mood") == "good");
  }
  SECTION("numbers outside the list and unknown labels are refused") {
    CHECK(f.answer("0").has_value());
    CHECK(f.answer("4").has_value());
    CHECK(f.answer("fantastic").has_value());
    CHECK_FALSE(f.done());
    CHECK(f.values().empty());
  }
}

TEST_CASE("a date field takes real calendar dates written as YYYY-MM-DD", "[console][form]") {
  FormFiller f = filler_for(field("due", bot::FieldKind::date));
  CHECK_THAT(f.prompt(), Catch::Contains("YYYY-MM-DD"));
  SECTION("impossible or badly written dates are refused") {
    CHECK(f.answer("2026-02-30").has_value());
    CHECK(f.answer("2026-13-01").has_value());
    CHECK(f.answer("31.12.2026").has_value());
    CHECK(f.answer("tomorrow").has_value());
    CHECK_FALSE(f.done());
  }
  SECTION("a date followed by other words is refused rather than stored with them") {
    CHECK(f.answer("2026-12-31 or so").has_value());
    CHECK(f.values().count("due") == 0);
  }
  SECTION("a valid date is kept as typed") {
    CHECK_FALSE(f.answer("2026-12-31").has_value());
    CHECK(f.values().at("due") == "2026-12-31");
  }
  SECTION("a leap day is valid in a leap year") {
    CHECK_FALSE(f.answer("2028-02-29").has_value());
    CHECK(f.done());
  }
}

TEST_CASE("a yes/no field stores true or false", "[console][form]") {
  FormFiller f = filler_for(field("share", bot::FieldKind::toggle));
  CHECK_THAT(f.prompt(), Catch::Contains("yes/no"));
  SECTION("yes") {
    CHECK_FALSE(f.answer("Yes").has_value());
    CHECK(f.values().at("share") == "true");
  }
  SECTION("y") {
    CHECK_FALSE(f.answer("y").has_value());
    CHECK(f.values().at("share") == "true");
  }
  SECTION("no") {
    CHECK_FALSE(f.answer("NO").has_value());
    CHECK(f.values().at("share") == "false");
  }
  SECTION("anything else is refused") {
    CHECK(f.answer("maybe").has_value());
    CHECK_FALSE(f.done());
  }
}

TEST_CASE("an empty answer keeps the field's initial value", "[console][form]") {
  bot::Field zone = field("zone", bot::FieldKind::text);
  zone.initial = "Europe/Berlin";
  bot::Field share = field("share", bot::FieldKind::toggle);
  share.initial = "yes";
  FormFiller f{bot::Form{"form", "Prefs", "Save", {zone, share}, {}, false}};
  CHECK_THAT(f.prompt(), Catch::Contains("Europe/Berlin"));
  CHECK_FALSE(f.answer("").has_value());
  CHECK_FALSE(f.answer("  ").has_value());
  CHECK(f.done());
  CHECK(f.values() == std::map<std::string, std::string>{{"zone", "Europe/Berlin"}, {"share", "true"}});
  SECTION("and a typed answer replaces it") {
    FormFiller g{bot::Form{"form", "Prefs", "Save", {zone}, {}, false}};
    CHECK_FALSE(g.answer("Asia/Tokyo").has_value());
    CHECK(g.values().at("zone") == "Asia/Tokyo");
  }
}

TEST_CASE("the form is available unchanged while it is being filled", "[console][form]") {
  FormFiller f = filler_for(field("a", bot::FieldKind::text));
  CHECK(f.form().id == "form");
  CHECK(f.form().fields.size() == 1);
}

TEST_CASE("a form without fields is done at once", "[console][form]") {
  FormFiller f{bot::Form{"empty", "Nothing", "OK", {}, {}, false}};
  CHECK(f.done());
  CHECK(f.values().empty());
}
