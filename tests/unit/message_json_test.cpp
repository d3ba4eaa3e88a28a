// The JSON form the outbox stores messages in: everything survives a round trip, and
// rows written by a newer binary (with fields we do not know) still load.
#include <catch2/catch.hpp>

#include <string>
#include <utility>

#include "bot/message_json.hpp"
#include "tests/support/form_fields.hpp"

namespace {

bot::Message round_trip(const bot::Message& m) {
  const nlohmann::json j = m;
  // Through text, as the outbox stores it.
  return nlohmann::json::parse(j.dump()).get<bot::Message>();
}

using testing::field;

bot::Message full_message() {
  bot::Message m;
  m.to = bot::Recipient::dm(bot::PersonId{42});
  m.answer = true;
  m.sections = {{"*Weekly check-in* for 2026-W48"}, {"How did it go?\n- goal one\n- goal two"}, {"Grüße 🎉"}};
  m.buttons = {{"checkin.start", "Start", "start", bot::ButtonStyle::primary},
               {"checkin.later", "Later", "later", bot::ButtonStyle::normal},
               {"checkin.skip", "Skip this week", "skip", bot::ButtonStyle::danger}};

  bot::Form form;
  form.id = "checkin";
  form.title = "Check-in";
  form.submit_label = "Send";

  bot::Field text = field("summary", bot::FieldKind::text);
  text.max_length = 200;
  text.hint = "one line";
  bot::Field long_text = field("notes", bot::FieldKind::long_text);
  long_text.required = false;
  long_text.initial = "Nothing new";
  long_text.max_length = 2000;
  bot::Field number = field("progress", bot::FieldKind::number);
  number.min = 0.0;
  number.max = 10.5;
  number.initial = "5";
  bot::Field select = field("mood", bot::FieldKind::single_select);
  select.choices = {{"good", "Good"}, {"ok", "Okay"}, {"bad", "Not great"}};
  select.initial = "ok";
  bot::Field date = field("due", bot::FieldKind::date);
  date.initial = "2026-12-31";
  bot::Field person = field("manager", bot::FieldKind::person);
  person.required = false;
  bot::Field toggle = field("share", bot::FieldKind::toggle);
  toggle.initial = "true";
  form.fields = {text, long_text, number, select, date, person, toggle};

  m.form = form;
  m.update_key = "checkin:2026-W48";
  return m;
}

}  // namespace

TEST_CASE("a message with sections, styled buttons, a form and an update key survives a JSON round trip",
          "[message_json]") {
  const bot::Message m = full_message();
  const bot::Message back = round_trip(m);
  CHECK(back.to == m.to);
  CHECK(back.sections == m.sections);
  CHECK(back.buttons == m.buttons);
  REQUIRE(back.form.has_value());
  CHECK(back.form->id == "checkin");
  CHECK(back.form->title == "Check-in");
  CHECK(back.form->submit_label == "Send");
  REQUIRE(back.form->fields.size() == m.form->fields.size());
  for (std::size_t i = 0; i < m.form->fields.size(); ++i) {
    INFO("field " << m.form->fields[i].id);
    CHECK(back.form->fields[i] == m.form->fields[i]);
  }
  CHECK(back.update_key == std::optional<std::string>{"checkin:2026-W48"});
  CHECK(back == m);
}

TEST_CASE("optional parts that are absent stay absent after a round trip", "[message_json]") {
  const bot::Message m = bot::Message::text(bot::Recipient::dm(bot::PersonId{7}), "hello");
  const bot::Message back = round_trip(m);
  CHECK(back == m);
  CHECK_FALSE(back.form.has_value());
  CHECK_FALSE(back.update_key.has_value());
  CHECK(back.buttons.empty());

  SECTION("a field without initial, min, max or max_length keeps them empty") {
    bot::Message with_form = m;
    with_form.form = bot::Form{"f", "Form", "Submit", {field("plain", bot::FieldKind::number)}, {}, false};
    const bot::Message again = round_trip(with_form);
    REQUIRE(again.form.has_value());
    REQUIRE(again.form->fields.size() == 1);
    const bot::Field& f = again.form->fields.front();
    CHECK_FALSE(f.initial.has_value());
    CHECK_FALSE(f.min.has_value());
    CHECK_FALSE(f.max.has_value());
    CHECK_FALSE(f.max_length.has_value());
    CHECK(again == with_form);
  }
}

TEST_CASE("every kind of recipient survives a JSON round trip", "[message_json]") {
  bot::Recipient channel;
  channel.kind = bot::RecipientKind::channel;
  channel.channel = "C0123";
  bot::Recipient thread;
  thread.kind = bot::RecipientKind::thread;
  thread.channel = "C0123";
  thread.thread = "1700000000.000100";

  const auto recipient = GENERATE_COPY(values<bot::Recipient>(
      {bot::Recipient::dm(bot::PersonId{3}), bot::Recipient::manager_of(bot::PersonId{4}), channel, thread}));

  SECTION("on its own") {
    const nlohmann::json j = recipient;
    CHECK(nlohmann::json::parse(j.dump()).get<bot::Recipient>() == recipient);
  }
  SECTION("as the addressee of a message") {
    const bot::Message m = bot::Message::text(recipient, "hi");
    CHECK(round_trip(m) == m);
  }
}

TEST_CASE("a stored message with fields this version does not know still loads", "[message_json]") {
  const auto j = nlohmann::json::parse(R"({
    "to": {"kind": "thread", "person": 0, "channel": "C1", "thread": "T1", "team": "X"},
    "sections": [{"text": "Hello", "format": "mrkdwn"}],
    "buttons": [{"id": "b", "label": "Go", "value": "go", "style": "primary", "emoji": true}],
    "form": {"id": "f", "title": "T", "submit_label": "OK", "theme": "dark",
             "fields": [{"id": "x", "label": "X", "kind": "number", "required": false, "hint": "",
                         "choices": [], "min": 1, "max": 3, "placeholder": "e.g. 2"}]},
    "update_key": "k",
    "priority": "high",
    "attachments": [1, 2, 3]
  })");
  bot::Message m;
  REQUIRE_NOTHROW(m = j.get<bot::Message>());
  CHECK(m.to.kind == bot::RecipientKind::thread);
  CHECK(m.to.channel == "C1");
  CHECK(m.to.thread == "T1");
  REQUIRE(m.sections.size() == 1);
  CHECK(m.sections[0].text == "Hello");
  REQUIRE(m.buttons.size() == 1);
  CHECK(m.buttons[0] == bot::Button{"b", "Go", "go", bot::ButtonStyle::primary});
  REQUIRE(m.form.has_value());
  CHECK(m.form->submit_label == "OK");
  REQUIRE(m.form->fields.size() == 1);
  CHECK(m.form->fields[0].kind == bot::FieldKind::number);
  CHECK_FALSE(m.form->fields[0].required);
  CHECK(m.form->fields[0].min == std::optional<double>{1.0});
  CHECK(m.form->fields[0].max == std::optional<double>{3.0});
  CHECK(m.update_key == std::optional<std::string>{"k"});
}

TEST_CASE("a stored message that leaves out optional lists loads with them empty", "[message_json]") {
  const auto j = nlohmann::json::parse(R"({"to": {"kind": "person", "person": 9}})");
  const auto m = j.get<bot::Message>();
  CHECK(m.to == bot::Recipient::dm(bot::PersonId{9}));
  CHECK(m.sections.empty());
  CHECK(m.buttons.empty());
  CHECK_FALSE(m.form.has_value());
  CHECK_FALSE(m.update_key.has_value());
}
