// Messages rendered as Teams activities: plain text stays a Markdown message, buttons
// and forms become an Adaptive Card whose submits come back through parse_activity as
// the ids and values the dialogs used (the same form_values the console and Slack
// give), refused answers show under their fields, and every activity stays under the
// 28 KB every Teams client accepts, as valid UTF-8, with a note where it was cut.
#include <catch2/catch.hpp>

#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/console/form_filler.hpp"
#include "adapters/teams/activity.hpp"
#include "adapters/teams/adaptive_card.hpp"
#include "bot/engine.hpp"
#include "bot/text.hpp"
#include "tests/support/dialog_harness.hpp"
#include "tests/support/form_fields.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

using adapters::teams::kMaxActivityBytes;
using nlohmann::json;
using Values = std::map<std::string, std::string>;

constexpr const char* kCardType = "application/vnd.microsoft.card.adaptive";

bot::Message message(std::vector<std::string> sections) {
  bot::Message m;
  m.to = bot::Recipient::dm(bot::PersonId{1});
  for (auto& s : sections) m.sections.push_back({std::move(s)});
  return m;
}

using testing::field;

// Every object in a card (body, containers, action sets, actions), depth first.
void each_object(const json& j, const std::function<void(const json&)>& f) {
  if (j.is_object()) {
    f(j);
    for (const auto& [k, v] : j.items()) each_object(v, f);
  } else if (j.is_array()) {
    for (const auto& v : j) each_object(v, f);
  }
}

std::vector<json> of_type_prefix(const json& card, const std::string& prefix) {
  std::vector<json> out;
  each_object(card, [&](const json& o) {
    if (o.contains("type") && o.at("type").is_string() && o.at("type").get<std::string>().starts_with(prefix))
      out.push_back(o);
  });
  return out;
}

std::vector<json> inputs(const json& card) { return of_type_prefix(card, "Input."); }
std::vector<json> submits(const json& card) { return of_type_prefix(card, "Action.Submit"); }

std::vector<std::string> texts(const json& card) {
  std::vector<std::string> out;
  for (const auto& t : of_type_prefix(card, "TextBlock")) out.push_back(t.at("text"));
  return out;
}

bool any_text_contains(const json& card, const std::string& part) {
  for (const auto& t : texts(card))
    if (t.find(part) != std::string::npos) return true;
  return false;
}

json input_by_id(const json& card, const std::string& id) {
  for (const auto& i : inputs(card))
    if (i.at("id") == id) return i;
  FAIL("no input " << id);
  return {};
}

json submit_titled(const json& card, const std::string& title) {
  for (const auto& a : submits(card))
    if (a.at("title") == title) return a;
  FAIL("no Action.Submit titled " << title);
  return {};
}

// What Teams checks of every activity we send, and what these tests rely on.
json check_activity(const json& activity) {
  CHECK(activity.at("type") == "message");
  // Teams splits text + attachments into two messages, the second without an id.
  CHECK_FALSE((activity.contains("text") && activity.contains("attachments")));
  std::string dumped;
  REQUIRE_NOTHROW(dumped = activity.dump());  // throws on invalid UTF-8
  CHECK(dumped.size() <= kMaxActivityBytes);
  CHECK(bot::is_valid_utf8(dumped));
  if (activity.contains("attachments")) {
    REQUIRE(activity.at("attachments").size() == 1);
    const json& card = activity.at("attachments").at(0).at("content");
    CHECK(activity.at("attachments").at(0).at("contentType") == kCardType);
    CHECK(card.at("type") == "AdaptiveCard");
    CHECK(card.at("version") == "1.4");
    CHECK(card.at("$schema") == "http://adaptivecards.io/schemas/adaptive-card.json");
    CHECK(card.at("msteams").at("width") == "Full");
    CHECK_FALSE(card.at("fallbackText").get<std::string>().empty());
    CHECK_FALSE(activity.at("summary").get<std::string>().empty());
    for (const auto& t : of_type_prefix(card, "TextBlock")) CHECK(t.at("wrap") == true);
    return card;
  }
  CHECK(activity.at("textFormat") == "markdown");
  CHECK_FALSE(activity.at("text").get<std::string>().empty());
  return activity;
}

json card_of(const json& activity) {
  REQUIRE(activity.contains("attachments"));
  return check_activity(activity);
}

// What a Teams client POSTs when `action` is pressed: the action's data merged with
// the current input values (inputs win on a clash; empty text inputs are left out),
// unless the action takes no inputs.
json press(const json& card, const json& action, const Values& typed = {}) {
  std::ifstream in{COACHBOT_SOURCE_DIR "/tests/fixtures/teams/submit_button.json"};
  json activity = json::parse(in);
  json value = action.at("data");
  if (action.value("associatedInputs", "auto") != "none") {
    for (const auto& i : inputs(card)) {
      const std::string id = i.at("id");
      const auto it = typed.find(id);
      if (it != typed.end()) {
        if (!it->second.empty()) value[id] = it->second;
      } else if (i.contains("value")) {
        const json& initial = i.at("value");
        value[id] = initial.is_string() ? initial.get<std::string>() : initial.dump();
      }
    }
  }
  activity["value"] = value;
  return activity;
}

adapters::teams::Inbound submit(const json& card, const json& action, const Values& typed = {}) {
  return adapters::teams::parse_activity(press(card, action, typed));
}

const bot::CheckIn* recorded(const bot::Transition& t) {
  for (const auto& e : t.effects)
    if (const auto* r = std::get_if<bot::RecordCheckIn>(&e)) return &r->checkin;
  return nullptr;
}

void with_goal_and_manager(testing::DialogHarness& chat) {
  bot::Goal g;
  g.id = bot::GoalId{3};
  g.statement = "Pass the *CKA* exam";
  g.progress = 80;
  chat.context.goals = {g};
  chat.context.person.manager = bot::PersonId{2};
  bot::Person bob;
  bob.id = bot::PersonId{2};
  bob.display_name = "bob";
  chat.context.manager = bob;
}

std::string big_text(std::size_t bytes) {
  // Multi-byte characters, quotes, backslashes and line breaks: all cost more once
  // escaped in JSON, and a cut must not split any of them.
  const std::string unit = "Grüße \"quoted\" \\ path 🎉 *bold* <tag> & R&D\nnext line ";
  std::string s;
  while (s.size() < bytes) s += unit;
  return s;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Text messages

TEST_CASE("plain text is a Markdown text message with our markup converted", "[teams][card]") {
  const json a = adapters::teams::render_activity(message({"*Done.* See you _next_ week.", "- one\n- two"}));
  check_activity(a);
  CHECK(a == json{{"type", "message"},
                  {"textFormat", "markdown"},
                  {"text", "**Done.** See you _next_ week.\n\n- one\n\n- two"}});
}

TEST_CASE("text messages escape what Teams would take for HTML, outside code", "[teams][card]") {
  const json a = adapters::teams::render_activity(message({"learn <templates> and `a<b>` now"}));
  CHECK(a.at("text") == "learn &lt;templates&gt; and `a<b>` now");
  // Cards show no HTML: nothing to escape there.
  bot::Message m = message({"learn <templates>"});
  m.buttons = {{"ok", "OK", "ok", bot::ButtonStyle::normal}};
  CHECK(texts(card_of(adapters::teams::render_activity(m))).at(0) == "learn <templates>");
}

TEST_CASE("an empty message still sends something Teams accepts", "[teams][card]") {
  bot::Message m = message({});
  check_activity(adapters::teams::render_activity(m));
  m.buttons = {{"ok", "", "", bot::ButtonStyle::normal}};
  const json card = card_of(adapters::teams::render_activity(m));
  CHECK(submits(card).at(0).at("title") == "Choose");
}

// ---------------------------------------------------------------------------------------
// Buttons

TEST_CASE("buttons become Action.Submit whose data comes back as the same button event", "[teams][card]") {
  bot::Message m = message({"Approve *Ada's* plan?"});
  m.buttons = {{"plan.approve", "Approve", "42", bot::ButtonStyle::primary},
               {"plan.reject", "Send back", "42", bot::ButtonStyle::danger},
               {"plan.later", "Later", "", bot::ButtonStyle::normal}};
  const json activity = adapters::teams::render_activity(m);
  const json card = card_of(activity);
  CHECK(texts(card) == std::vector<std::string>{"Approve **Ada's** plan?"});
  CHECK(activity.at("summary") == "Approve Ada's plan?");
  REQUIRE(card.at("actions").size() == 3);
  const json& approve = card.at("actions").at(0);
  CHECK(approve.at("type") == "Action.Submit");
  CHECK(approve.at("title") == "Approve");
  CHECK(approve.at("style") == "positive");
  CHECK(approve.at("data") ==
        json{{"cb_kind", "button"}, {"cb_action", "plan.approve"}, {"cb_value", "42"}, {"cb_label", "Approve"}});
  CHECK(card.at("actions").at(1).at("style") == "destructive");
  CHECK_FALSE(card.at("actions").at(2).contains("style"));

  for (std::size_t i = 0; i < m.buttons.size(); ++i) {
    const auto in = submit(card, card.at("actions").at(i));
    REQUIRE(in.kind == adapters::teams::InboundKind::event);
    CHECK(in.event.kind == bot::EventKind::button);
    CHECK(in.event.action == m.buttons[i].id);
    CHECK(in.event.value == m.buttons[i].value);
    CHECK(in.clicked_label == m.buttons[i].label);
    CHECK(in.card_submit);
  }
}

TEST_CASE("more buttons than one row holds go in rows of six under the text", "[teams][card]") {
  bot::Message m = message({"Pick a number"});
  for (int i = 0; i < 14; ++i)
    m.buttons.push_back({"n", std::to_string(i), std::to_string(i), bot::ButtonStyle::normal});
  const json card = card_of(adapters::teams::render_activity(m));
  CHECK_FALSE(card.contains("actions"));
  const auto sets = of_type_prefix(card, "ActionSet");
  REQUIRE(sets.size() == 3);
  CHECK(sets[0].at("actions").size() == 6);
  CHECK(sets[2].at("actions").size() == 2);
  CHECK(submits(card).size() == 14);
  CHECK(submit(card, submits(card).at(13)).event.value == "13");
}

TEST_CASE("a button's click never waits for or carries the form's inputs", "[teams][card]") {
  auto chat = testing::DialogHarness::onboarded();
  with_goal_and_manager(chat);
  chat.say("checkin");
  const json card = card_of(adapters::teams::render_activity(chat.last_reply));
  const json seventy_five = submit_titled(card, "75%");
  CHECK(seventy_five.at("associatedInputs") == "none");
  const auto in = submit(card, seventy_five, {{"learned", "typed but not sent"}});
  CHECK(in.event.kind == bot::EventKind::button);
  CHECK(in.event.value == "75");
  CHECK(in.event.form_values.empty());
}

// ---------------------------------------------------------------------------------------
// Forms

TEST_CASE("the check-in form maps every field, and a submitted card saves the check-in", "[teams][card]") {
  auto chat = testing::DialogHarness::onboarded();
  with_goal_and_manager(chat);
  chat.say("checkin");
  REQUIRE(chat.last_reply.form.has_value());
  const json activity = adapters::teams::render_activity(chat.last_reply);
  const json card = card_of(activity);

  // The question asked in the chat, its quick answers, and the whole form: both ways work.
  CHECK(any_text_contains(card, "Progress on"));
  bool title_found = false;
  for (const auto& t : of_type_prefix(card, "TextBlock"))
    if (t.at("text") == "Weekly check-in") title_found = t.value("weight", "") == "bolder";
  CHECK(title_found);
  REQUIRE(card.at("actions").size() == 5);
  CHECK(card.at("actions").at(0).at("title") == "25%");
  const json save = card.at("actions").at(4);
  CHECK(save.at("title") == "Save");
  CHECK(save.at("data") == json{{"cb_kind", "form"}, {"cb_form", "checkin"}});
  CHECK_FALSE(save.contains("associatedInputs"));

  std::vector<std::string> ids;
  for (const auto& i : inputs(card)) ids.push_back(i.at("id"));
  CHECK(ids == std::vector<std::string>{"progress_3", "minutes_spent", "learned", "blockers", "need_help", "confidence",
                                        "next_step"});
  const json progress = input_by_id(card, "progress_3");
  CHECK(progress.at("type") == "Input.Number");
  CHECK(progress.at("min") == 0);
  CHECK(progress.at("max") == 100);
  CHECK(progress.at("isRequired") == true);
  CHECK(progress.at("errorMessage") == "Please give a number from 0 to 100.");
  CHECK(progress.at("label") == "Progress on \"Pass the CKA exam\"? Last time: 80%.");
  CHECK_THAT(progress.at("placeholder").get<std::string>(), Contains("Your own estimate"));
  const json learned = input_by_id(card, "learned");
  CHECK(learned.at("type") == "Input.Text");
  CHECK(learned.at("isMultiline") == true);
  CHECK(learned.at("maxLength") == 2000);
  CHECK(learned.at("errorMessage") == "Please answer this.");
  const json blockers = input_by_id(card, "blockers");
  CHECK_FALSE(blockers.contains("isRequired"));
  const json help = input_by_id(card, "need_help");
  CHECK(help.at("type") == "Input.ChoiceSet");
  CHECK(help.at("style") == "compact");
  CHECK(help.at("isMultiSelect") == false);
  CHECK(help.at("choices") == json::array({{{"title", "Yes"}, {"value", "yes"}}, {{"title", "No"}, {"value", "no"}}}));
  CHECK(input_by_id(card, "minutes_spent").at("type") == "Input.Text");

  // Filled in and sent as Teams does (all strings, the empty optional one left out).
  const auto in = submit(card, save,
                         {{"progress_3", "90"},
                          {"minutes_spent", "3"},
                          {"learned", "etcd backups"},
                          {"blockers", ""},
                          {"need_help", "yes"},
                          {"confidence", "3"},
                          {"next_step", "Book the exam"}});
  REQUIRE(in.kind == adapters::teams::InboundKind::event);
  CHECK(in.event.kind == bot::EventKind::form_submit);
  CHECK(in.event.action == "checkin");
  CHECK(in.event.form_values.count("blockers") == 0);
  dialogs::CoachConversation conversation;
  const bot::Input form_input{bot::Input::Kind::form, {}, in.event.action, {}, in.event.form_values};
  const bot::Transition t = conversation.handle(chat.state, form_input, chat.context);
  const bot::CheckIn* checkin = recorded(t);
  REQUIRE(checkin != nullptr);
  REQUIRE(checkin->goals.size() == 1);
  CHECK(checkin->goals[0].progress == 90);
  CHECK(checkin->minutes_spent == 180);
  CHECK(checkin->learned == "etcd backups");
  CHECK(checkin->blockers.empty());
  CHECK(checkin->need_help);
  CHECK(checkin->confidence == 3);
  CHECK(checkin->next_step == "Book the exam");
}

TEST_CASE("every field kind gives the form_values the console form filler gives", "[teams][card]") {
  bot::Field name = field("name", bot::FieldKind::text, "Your name");
  name.hint = "As colleagues know you";
  name.initial = "Ada";
  name.max_length = 40;
  bot::Field hours = field("hours", bot::FieldKind::number, "Hours");
  hours.min = 0;
  hours.max = 40.5;
  bot::Field team = field("team", bot::FieldKind::single_select, "Team");
  team.choices = {{"data", "Data"}, {"web", "Web"}};
  bot::Field due = field("due", bot::FieldKind::date, "Due");
  bot::Field buddy = field("buddy", bot::FieldKind::person, "Buddy");
  buddy.required = false;
  bot::Field share = field("share", bot::FieldKind::toggle, "Share with your manager?");
  share.hint = "Only the summary.";
  bot::Field notes = field("notes", bot::FieldKind::long_text, "Notes");
  notes.required = false;
  bot::Message m = message({"Tell me more."});
  m.form = bot::Form{"profile", "Profile", "Send", {name, hours, team, due, buddy, share, notes}, {}, false};
  const json card = card_of(adapters::teams::render_activity(m));

  const json n = input_by_id(card, "name");
  CHECK(n.at("type") == "Input.Text");
  CHECK(n.at("placeholder") == "As colleagues know you");
  CHECK(n.at("value") == "Ada");
  CHECK(n.at("maxLength") == 40);
  CHECK_FALSE(n.contains("isMultiline"));
  const json h = input_by_id(card, "hours");
  CHECK(h.at("min") == 0);
  CHECK(h.at("max") == 40.5);
  CHECK(input_by_id(card, "due").at("type") == "Input.Date");
  const json b = input_by_id(card, "buddy");
  CHECK(b.at("type") == "Input.Text");
  CHECK(b.at("placeholder") == "Name or email");
  const json s = input_by_id(card, "share");
  CHECK(s.at("type") == "Input.Toggle");
  CHECK(s.at("valueOn") == "true");
  CHECK(s.at("valueOff") == "false");
  CHECK(s.at("value") == "false");
  // A required toggle must be switched on in Adaptive Cards: never marked required.
  CHECK_FALSE(s.contains("isRequired"));
  CHECK(any_text_contains(card, "Only the summary."));

  // The same answers, given in a Teams card and typed into the console.
  const auto in = submit(card, submit_titled(card, "Send"),
                         {{"name", "Ada Lovelace"},
                          {"hours", "12.5"},
                          {"team", "web"},
                          {"due", "2026-12-01"},
                          {"buddy", "grace@example.org"},
                          {"share", "true"},
                          {"notes", ""}});
  REQUIRE(in.kind == adapters::teams::InboundKind::event);
  adapters::console::FormFiller filler{*m.form};
  for (const char* typed : {"Ada Lovelace", "12.5", "2", "2026-12-01", "grace@example.org", "yes", "skip"}) {
    INFO(filler.prompt());
    CHECK_FALSE(filler.answer(typed).has_value());
  }
  REQUIRE(filler.done());
  CHECK(in.event.form_values == filler.values());

  const auto unticked = submit(card, submit_titled(card, "Send"), {{"name", "Ada"}, {"hours", "1"}, {"team", "data"}, {"due", "2026-01-02"}});
  CHECK(unticked.event.form_values.at("share") == "false");
}

TEST_CASE("initial values are kept only where the input can show them", "[teams][card]") {
  bot::Field n = field("n", bot::FieldKind::number);
  n.min = 1;
  n.max = 5;
  n.initial = "9";
  bot::Field whole = field("whole", bot::FieldKind::number);
  whole.initial = "3";
  bot::Field sel = field("sel", bot::FieldKind::single_select);
  sel.choices = {{"a", "A"}, {"b", "B"}, {"b", "B again"}, {"", "empty"}};
  sel.initial = "b";
  bot::Field unknown_choice = field("unknown", bot::FieldKind::single_select);
  unknown_choice.choices = {{"a", "A"}};
  unknown_choice.initial = "z";
  bot::Field no_choices = field("free", bot::FieldKind::single_select);
  bot::Field d = field("d", bot::FieldKind::date);
  d.initial = "next week";
  bot::Field d2 = field("d2", bot::FieldKind::date);
  d2.initial = "2026-12-24";
  bot::Field on = field("on", bot::FieldKind::toggle);
  on.initial = "Yes";
  bot::Field reversed = field("rev", bot::FieldKind::number);
  reversed.min = 10;
  reversed.max = 1;
  bot::Field duplicate = field("n", bot::FieldKind::text);
  bot::Field no_id = field("", bot::FieldKind::text);
  bot::Message m = message({"x"});
  m.form = bot::Form{"f", "F", "", {n, whole, sel, unknown_choice, no_choices, d, d2, on, reversed, duplicate, no_id},
                     {}, false};
  const json card = card_of(adapters::teams::render_activity(m));
  CHECK(inputs(card).size() == 9);
  CHECK_FALSE(input_by_id(card, "n").contains("value"));
  CHECK(input_by_id(card, "n").at("type") == "Input.Number");
  CHECK(input_by_id(card, "whole").at("value") == 3);
  const json s = input_by_id(card, "sel");
  CHECK(s.at("value") == "b");
  CHECK(s.at("choices").size() == 2);
  CHECK_FALSE(input_by_id(card, "unknown").contains("value"));
  CHECK(input_by_id(card, "free").at("type") == "Input.Text");
  CHECK_FALSE(input_by_id(card, "d").contains("value"));
  CHECK(input_by_id(card, "d2").at("value") == "2026-12-24");
  CHECK(input_by_id(card, "on").at("value") == "true");
  CHECK_FALSE(input_by_id(card, "rev").contains("min"));
  CHECK_FALSE(input_by_id(card, "rev").contains("max"));
  CHECK(submits(card).back().at("title") == "Submit");  // an empty submit label
}

TEST_CASE("refused answers show under their fields, with a line above the inputs", "[teams][card]") {
  auto chat = testing::DialogHarness::onboarded();
  chat.say("checkin");
  dialogs::CoachConversation conversation;
  const bot::Input sent{bot::Input::Kind::form, {}, "checkin", {}, {{"overall_progress", "150"}, {"learned", "Flame graphs"}}};
  const bot::Transition t = conversation.handle(chat.state, sent, chat.context);
  REQUIRE(t.messages.size() == 1);
  REQUIRE(t.messages[0].form.has_value());
  const json card = card_of(adapters::teams::render_activity(t.messages[0]));
  const json& body = card.at("body");

  std::size_t first_input = body.size(), line = body.size();
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (first_input == body.size() && body[i].at("type").get<std::string>().starts_with("Input.")) first_input = i;
    if (body[i].value("text", "").starts_with("Some answers need another look")) line = i;
  }
  CHECK(line < first_input);
  CHECK(body[line].at("color") == "attention");
  const auto under = [&](const std::string& id) -> json {
    for (std::size_t i = 0; i + 1 < body.size(); ++i)
      if (body[i].value("id", "") == id) return body[i + 1];
    return {};
  };
  CHECK(under("overall_progress").at("color") == "attention");
  CHECK_THAT(under("overall_progress").at("text").get<std::string>(), Contains("more than 100"));
  CHECK(under("next_step").at("text") == "Please answer this.");
  CHECK(under("learned").value("color", "") != "attention");
  // What was sent is filled in again.
  CHECK(input_by_id(card, "learned").at("value") == "Flame graphs");
  CHECK_FALSE(input_by_id(card, "overall_progress").contains("value"));  // 150 is out of range
}

TEST_CASE("an error for a field the form does not have shows under the first field", "[teams][card]") {
  bot::Message m = message({});
  m.form = bot::Form{"f", "F", "Go", {field("a", bot::FieldKind::text), field("b", bot::FieldKind::text)},
                     {{"zzz", "Something is off."}}, false};
  const json body = card_of(adapters::teams::render_activity(m)).at("body");
  for (std::size_t i = 0; i + 1 < body.size(); ++i)
    if (body[i].value("id", "") == "a") CHECK(body[i + 1].at("text") == "Something is off.");
}

// ---------------------------------------------------------------------------------------
// Shape and size

TEST_CASE("no activity carries both text and attachments, render_card is what is attached", "[teams][card]") {
  std::vector<bot::Message> all;
  all.push_back(message({"hello"}));
  bot::Message with_buttons = message({"hello"});
  with_buttons.buttons = {{"a", "A", "1", bot::ButtonStyle::normal}};
  all.push_back(with_buttons);
  bot::Message shortcut = message({"How far along are you?"});
  shortcut.form = bot::Form{"checkin", "Weekly check-in", "Save", {field("x", bot::FieldKind::number)}, {}, true};
  all.push_back(shortcut);
  bot::Message exported = message({"Here is your record."});
  exported.attachment = bot::Attachment{"portfolio-2026-11-30.md", "text/markdown", "# Learning portfolio\n\n## Goals\n\n- **CKA**, 80%\n"};
  all.push_back(exported);
  for (const auto& m : all) {
    const json a = adapters::teams::render_activity(m);
    check_activity(a);
    if (a.contains("attachments")) CHECK(adapters::teams::render_card(m) == a.at("attachments").at(0).at("content"));
  }
  // A shortcut form is a card too: in Teams a card is always at hand.
  CHECK(adapters::teams::render_activity(shortcut).contains("attachments"));
  CHECK_FALSE(adapters::teams::render_activity(exported).contains("attachments"));
}

TEST_CASE("an export is shown in the message, its headers as bold lines", "[teams][card]") {
  bot::Message m = message({"Here is your record."});
  m.attachment = bot::Attachment{"portfolio-2026-11-30.md", "text/markdown",
                                 "# Learning portfolio\n\n## Goals\n\n- **CKA**, *80%* <b>\n- Go\n"};
  const json a = adapters::teams::render_activity(m);
  CHECK(a.at("text") ==
        "Here is your record.\n\n**portfolio-2026-11-30.md**\n\n**Learning portfolio**\n\n**Goals**\n\n- **CKA**, "
        "*80%* &lt;b&gt;\n\n- Go");
}

TEST_CASE("a huge section is cut to 28 KB with a note, in a text message and in a card", "[teams][card]") {
  bot::Message m = message({"Before.", big_text(100 * 1024), "After."});
  const json text = adapters::teams::render_activity(m);
  check_activity(text);
  const std::string t = text.at("text");
  CHECK_THAT(t, StartsWith("Before."));
  CHECK_THAT(t, Contains("_(Message shortened to fit in Teams.)_"));
  CHECK(t.find("After.") == std::string::npos);
  CHECK(text.dump().size() > kMaxActivityBytes - 2048);  // cut near the limit, not far below

  m.buttons = {{"ok", "OK", "ok", bot::ButtonStyle::primary}};
  const json card = card_of(adapters::teams::render_activity(m));
  CHECK(any_text_contains(card, "Message shortened to fit in Teams."));
  CHECK(submits(card).size() == 1);  // the buttons always stay
}

TEST_CASE("a huge export is cut with a note saying how to get all of it", "[teams][card]") {
  bot::Message m = message({"Here is your whole record as a portfolio."});
  m.attachment = bot::Attachment{"portfolio-2026-11-30.md", "text/markdown", big_text(200 * 1024)};
  const json a = adapters::teams::render_activity(m);
  check_activity(a);
  const std::string t = a.at("text");
  CHECK_THAT(t, StartsWith("Here is your whole record as a portfolio.\n\n**portfolio-2026-11-30.md**"));
  CHECK_THAT(t, Contains("portfolio-2026-11-30.md is longer than a Teams message can show: this is the beginning.") &&
                    Contains("`coachbot export`"));
  m.buttons = {{"export.again", "Export again", "again", bot::ButtonStyle::normal}};
  const json card = card_of(adapters::teams::render_activity(m));
  CHECK(any_text_contains(card, "is longer than a Teams message can show"));
}

TEST_CASE("a form too big for any card still fits: text first, then the form goes", "[teams][card]") {
  bot::Message m = message({big_text(40 * 1024)});
  m.buttons = {{"keep", "Keep", "k", bot::ButtonStyle::normal}};
  bot::Form form{"huge", "Huge", "Send", {}, {}, true};
  for (int i = 0; i < 60; ++i) {
    bot::Field f = field("q" + std::to_string(i), bot::FieldKind::single_select, big_text(1000));
    f.hint = big_text(1000);
    for (int c = 0; c < 30; ++c) f.choices.push_back({std::to_string(c), big_text(300)});
    form.fields.push_back(f);
  }
  m.form = form;
  const json card = card_of(adapters::teams::render_activity(m));
  CHECK(inputs(card).empty());
  CHECK(any_text_contains(card, "too big to show in Teams"));
  CHECK(any_text_contains(card, "Grüße"));  // the text got the room the form left
  CHECK(submits(card).size() == 1);
}

TEST_CASE("invalid UTF-8 from a stored text is replaced, not sent", "[teams][card]") {
  bot::Message m = message({"bad \xC3 byte and cut \xF0\x9F"});
  m.buttons = {{"b\xFF", "label \xE2\x82", "v\x80", bot::ButtonStyle::normal}};
  const json a = adapters::teams::render_activity(m);
  check_activity(a);
  const json card = card_of(a);
  CHECK(texts(card).at(0) == "bad \xEF\xBF\xBD byte and cut \xEF\xBF\xBD\xEF\xBF\xBD");
  check_activity(adapters::teams::render_activity(message({"only \xC3"})));
}

// ---------------------------------------------------------------------------------------
// Answered cards

TEST_CASE("an answered card keeps its text, loses every action and input, and says what was chosen",
          "[teams][card]") {
  auto chat = testing::DialogHarness::onboarded();
  with_goal_and_manager(chat);
  chat.say("checkin");
  const bot::Message original = chat.last_reply;
  const json a = adapters::teams::answered_activity(original, "✓ *75%*");
  const json card = card_of(a);
  CHECK(submits(card).empty());
  CHECK(inputs(card).empty());
  CHECK(of_type_prefix(card, "Action.").empty());
  CHECK(of_type_prefix(card, "ActionSet").empty());
  CHECK_FALSE(card.contains("actions"));
  CHECK(any_text_contains(card, "Progress on"));
  CHECK(texts(card).back() == "✓ **75%**");

  // A plain message answered is a card as well: it replaces a card.
  const json plain = card_of(adapters::teams::answered_activity(message({"Approve?"}), "✓ Approve"));
  CHECK(texts(plain) == std::vector<std::string>{"Approve?", "✓ Approve"});
  const json huge = card_of(adapters::teams::answered_activity(message({big_text(60 * 1024)}), "✓ Sent"));
  CHECK(texts(huge).back() == "✓ Sent");
}

// ---------------------------------------------------------------------------------------
// Markdown

TEST_CASE("our markup becomes Teams Markdown", "[teams][card]") {
  using adapters::teams::to_teams_markdown;
  CHECK(to_teams_markdown("*bold* and _italic_ and `code`") == "**bold** and _italic_ and `code`");
  CHECK(to_teams_markdown("**already bold** stays") == "**already bold** stays");
  CHECK(to_teams_markdown(to_teams_markdown("*twice* converted")) == "**twice** converted");
  CHECK(to_teams_markdown("5 * 3 = 15, a*b*c, 2*x") == "5 * 3 = 15, a*b*c, 2*x");
  CHECK(to_teams_markdown("*unclosed bold") == "*unclosed bold");
  CHECK(to_teams_markdown("`*not bold*` but *this*") == "`*not bold*` but **this**");
  CHECK(to_teams_markdown("(*aside*), *Grüße*!") == "(**aside**), **Grüße**!");
  CHECK(to_teams_markdown("America/New_York stays") == "America/New_York stays");
  // Every line is its own paragraph: Teams would run single lines together.
  CHECK(to_teams_markdown("line one\nline two") == "line one\n\nline two");
  CHECK(to_teams_markdown("para one\n\n\n\npara two\r\nthird") == "para one\n\npara two\n\nthird");
  CHECK(to_teams_markdown("Goals:\n- *one*\n- two") == "Goals:\n\n- **one**\n\n- two");
  CHECK(to_teams_markdown("  \n trailing  \n") == " trailing");
  CHECK(to_teams_markdown("```\na\n  b\n```\nafter") == "```\na\n  b\n```\n\nafter");
  CHECK(to_teams_markdown("") == "");
}
