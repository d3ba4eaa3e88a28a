// Messages and forms rendered as Block Kit: whatever a dialog sends, Slack accepts it
// (documented limits, checked independently here in bytes), user text shows literally,
// nothing is silently lost (a note says when something was shortened), and what the
// person clicks or submits comes back as the ids the dialog used.
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/slack/block_kit.hpp"
#include "adapters/slack/inbound.hpp"
#include "bot/text.hpp"
#include "tests/support/form_fields.hpp"

namespace {

using nlohmann::json;

// Slack's documented limits (docs.slack.dev Block Kit reference).
constexpr std::size_t kTextObject = 3000;
constexpr std::size_t kMessageBlocks = 50;
constexpr std::size_t kViewBlocks = 100;
constexpr std::size_t kActionsElements = 25;
constexpr std::size_t kButtonText = 75;
constexpr std::size_t kButtonValue = 2000;
constexpr std::size_t kActionId = 255;
constexpr std::size_t kOptionText = 75;
constexpr std::size_t kOptionValue = 150;
constexpr std::size_t kSelectOptions = 100;
constexpr std::size_t kViewTitle = 24;
// Undocumented cumulative text limit for a message's blocks (msg_blocks_too_long).
constexpr std::size_t kMessageBlocksText = 12000;

bot::Message message(std::vector<std::string> sections) {
  bot::Message m;
  m.to = bot::Recipient::dm(bot::PersonId{1});
  for (auto& s : sections) m.sections.push_back({std::move(s)});
  return m;
}

std::vector<json> blocks_of_type(const json& blocks, const std::string& type) {
  std::vector<json> out;
  for (const auto& b : blocks)
    if (b.at("type") == type) out.push_back(b);
  return out;
}

std::vector<std::string> section_texts(const json& body) {
  std::vector<std::string> out;
  for (const auto& b : blocks_of_type(body.value("blocks", json::array()), "section"))
    out.push_back(b.at("text").at("text"));
  return out;
}

bool has_note(const json& blocks, const std::string& part) {
  for (const auto& b : blocks_of_type(blocks, "context"))
    for (const auto& e : b.at("elements"))
      if (e.at("text").get<std::string>().find(part) != std::string::npos) return true;
  return false;
}

// Every text object anywhere: non-empty, not blank, within 3000, valid UTF-8.
std::size_t check_text_objects(const json& j) {
  std::size_t total = 0;
  if (j.is_object()) {
    if (j.contains("type") && (j.at("type") == "plain_text" || j.at("type") == "mrkdwn") && j.contains("text")) {
      const std::string t = j.at("text");
      INFO(t.substr(0, 80));
      CHECK_FALSE(bot::trim(t).empty());
      CHECK(t.size() <= kTextObject);
      CHECK(bot::is_valid_utf8(t));
      total += t.size();
    }
    for (const auto& [k, v] : j.items()) total += check_text_objects(v);
  } else if (j.is_array()) {
    for (const auto& v : j) total += check_text_objects(v);
  }
  return total;
}

void check_buttons(const json& blocks) {
  std::set<std::string> action_ids;
  for (const auto& b : blocks_of_type(blocks, "actions")) {
    CHECK(b.at("elements").size() >= 1);
    CHECK(b.at("elements").size() <= kActionsElements);
    for (const auto& e : b.at("elements")) {
      const std::string id = e.at("action_id");
      CHECK(id.size() <= kActionId);
      CHECK(action_ids.insert(id).second);  // unique across the whole message
      CHECK(e.at("text").at("text").get<std::string>().size() <= kButtonText);
      if (e.contains("value")) CHECK(e.at("value").get<std::string>().size() <= kButtonValue);
      if (e.contains("style")) CHECK((e.at("style") == "primary" || e.at("style") == "danger"));
    }
  }
}

// What Slack checks before taking a chat.postMessage body.
void check_message_body(const json& body) {
  CHECK_NOTHROW(body.dump());
  const std::string text = body.at("text");
  CHECK_FALSE(bot::trim(text).empty());
  CHECK(text.size() <= kTextObject);
  CHECK(bot::is_valid_utf8(text));
  if (!body.contains("blocks")) return;
  const json& blocks = body.at("blocks");
  CHECK(blocks.size() >= 1);
  CHECK(blocks.size() <= kMessageBlocks);
  CHECK(check_text_objects(blocks) <= kMessageBlocksText);
  check_buttons(blocks);
}

void check_view(const json& view) {
  CHECK_NOTHROW(view.dump());
  CHECK(view.at("blocks").size() >= 1);
  CHECK(view.at("blocks").size() <= kViewBlocks);
  check_text_objects(view);
  check_buttons(view.at("blocks"));
  for (const char* key : {"title", "submit", "close"})
    if (view.contains(key)) CHECK(view.at(key).at("text").get<std::string>().size() <= kViewTitle);
  if (view.contains("private_metadata")) CHECK(view.at("private_metadata").get<std::string>().size() <= 3000);
}

using testing::field;

bot::Form every_kind_form() {
  bot::Form form;
  form.id = "checkin";
  form.title = "Weekly check-in";
  form.submit_label = "Send";
  bot::Field text = field("summary", bot::FieldKind::text);
  text.max_length = 200;
  text.hint = "one line";
  text.initial = "Went well";
  bot::Field long_text = field("notes", bot::FieldKind::long_text);
  long_text.required = false;
  bot::Field hours = field("hours", bot::FieldKind::number);
  hours.min = 1.0;
  hours.max = 40.0;
  hours.initial = "5";
  bot::Field progress = field("progress", bot::FieldKind::number);
  progress.min = 0.0;
  progress.max = 10.5;
  progress.initial = "2.5";
  bot::Field mood = field("mood", bot::FieldKind::single_select);
  mood.choices = {{"good", "Good"}, {"ok", "Okay"}, {"bad", "Not great"}};
  mood.initial = "ok";
  bot::Field due = field("due", bot::FieldKind::date);
  due.initial = "2026-12-31";
  bot::Field buddy = field("buddy", bot::FieldKind::person);
  buddy.required = false;
  buddy.initial = "W012A3CDE";
  bot::Field share = field("share", bot::FieldKind::toggle);
  share.initial = "true";
  form.fields = {text, long_text, hours, progress, mood, due, buddy, share};
  return form;
}

const json& block_for(const json& view, const std::string& id) {
  for (const auto& b : view.at("blocks"))
    if (b.value("block_id", "") == id) return b;
  FAIL("no block " << id);
  static const json none;
  return none;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Messages

TEST_CASE("a short message is one mrkdwn section with the same text as its notification", "[slack][block_kit]") {
  const json body = adapters::slack::message_body(message({"*Weekly check-in* for _2026-W48_: `3` goals"}));
  check_message_body(body);
  CHECK(section_texts(body) == std::vector<std::string>{"*Weekly check-in* for _2026-W48_: `3` goals"});
  CHECK(body.at("text") == "*Weekly check-in* for _2026-W48_: `3` goals");
}

TEST_CASE("user text shows literally: <, > and & are escaped in blocks and notification, user mentions stay",
          "[slack][block_kit]") {
  const json body = adapters::slack::message_body(
      message({"Your goal: <script>alert(\"x\")</script> & <@U123> <!channel> <@here> <@U1 x> <@U2|<!channel>> &amp;"}));
  check_message_body(body);
  // A user mention reads as the person's name, as when typed in Slack; <!channel>
  // would notify everyone, and the rest is not a mention.
  const std::string escaped =
      "Your goal: &lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; <@U123> &lt;!channel&gt; &lt;@here&gt; "
      "&lt;@U1 x&gt; <@U2>&gt; &amp;amp;";
  CHECK(section_texts(body) == std::vector<std::string>{escaped});
  CHECK(body.at("text") == escaped);
}

TEST_CASE("our markdown becomes Slack mrkdwn: bullets turn into •, paragraphs and code stay", "[slack][block_kit]") {
  const json body = adapters::slack::message_body(
      message({"Plan:\n- read chapter 4\n  - take notes\n-not a bullet\n\n```\n- literal\n```\n_done_"}));
  CHECK(section_texts(body) ==
        std::vector<std::string>{"Plan:\n• read chapter 4\n  • take notes\n-not a bullet\n\n```\n- literal\n```\n_done_"});
}

TEST_CASE("empty sections are skipped and an empty message still has text", "[slack][block_kit]") {
  const json body = adapters::slack::message_body(message({"", "   \n ", "Hello"}));
  check_message_body(body);
  CHECK(section_texts(body) == std::vector<std::string>{"Hello"});

  const json nothing = adapters::slack::message_body(message({"", "\n"}));
  check_message_body(nothing);
  CHECK_FALSE(nothing.contains("blocks"));

  bot::Message only_buttons = message({});
  only_buttons.buttons = {{"yes", "Yes", "y", bot::ButtonStyle::primary}, {"no", "", "n", bot::ButtonStyle::normal}};
  const json buttons = adapters::slack::message_body(only_buttons);
  check_message_body(buttons);
  CHECK(buttons.at("text") == "Yes / n");
  CHECK(blocks_of_type(buttons.at("blocks"), "actions").size() == 1);
}

TEST_CASE("10 000 characters of multi-byte text are split on character boundaries and shortened with a note",
          "[slack][block_kit]") {
  for (const std::string ch : {"ä", "€", "🎉"}) {
    INFO("character " << ch);
    // One ASCII byte first so that every 3000-byte mark falls inside a character.
    std::string text = "x";
    for (int i = 0; i < 10000; ++i) text += ch;
    const json body = adapters::slack::message_body(message({text}));
    check_message_body(body);
    const auto sections = section_texts(body);
    REQUIRE(sections.size() >= 2);
    std::string shown;
    for (const auto& s : sections) shown += s;
    CHECK(shown.size() > 5000);
    CHECK(text.starts_with(shown));  // nothing garbled, only the end is missing
    CHECK(has_note(body.at("blocks"), "shortened"));
    CHECK(bot::is_valid_utf8(body.at("text").get<std::string>()));
  }
}

TEST_CASE("long text within the budget is split at paragraphs and nothing is lost", "[slack][block_kit]") {
  std::vector<std::string> paragraphs;
  for (int i = 0; i < 30; ++i) paragraphs.push_back("Paragraph " + std::to_string(i) + ": " + std::string(200, 'w'));
  const std::string text = bot::join(paragraphs, "\n\n");
  REQUIRE(text.size() > 6000);
  const json body = adapters::slack::message_body(message({text}));
  check_message_body(body);
  const auto sections = section_texts(body);
  REQUIRE(sections.size() >= 3);
  CHECK(bot::join(sections, "\n\n") == text);
  for (const auto& s : sections) CHECK(s.ends_with(std::string(200, 'w')));
  CHECK_FALSE(has_note(body.at("blocks"), "shortened"));
}

TEST_CASE("escaping never splits an entity and never pushes a section over the limit", "[slack][block_kit]") {
  // The leading "x" puts every 3000-byte mark inside an "&amp;".
  const json body = adapters::slack::message_body(message({"x" + std::string(1400, '&')}));
  check_message_body(body);
  const auto sections = section_texts(body);
  REQUIRE(sections.size() == 3);
  std::string shown;
  for (const auto& s : sections) {
    CHECK(s.ends_with("&amp;"));
    shown += s;
  }
  std::string expected = "x";
  for (int i = 0; i < 1400; ++i) expected += "&amp;";
  CHECK(shown == expected);
}

TEST_CASE("60 sections keep within 50 blocks and the buttons stay", "[slack][block_kit]") {
  std::vector<std::string> many;
  for (int i = 0; i < 60; ++i) many.push_back("Section " + std::to_string(i));
  bot::Message m = message(many);
  m.buttons = {{"ok", "OK", "ok", bot::ButtonStyle::primary}};
  const json body = adapters::slack::message_body(m);
  check_message_body(body);
  CHECK(body.at("blocks").size() == kMessageBlocks);
  CHECK(body.at("blocks").back().at("type") == "actions");
  CHECK(has_note(body.at("blocks"), "shortened"));
  CHECK(section_texts(body).front() == "Section 0");
}

TEST_CASE("60 buttons become three actions blocks whose clicks come back as the dialog's ids", "[slack][block_kit]") {
  bot::Message m = message({"Pick a score"});
  for (int i = 0; i < 60; ++i)
    m.buttons.push_back({"score", std::to_string(i), std::to_string(i), i == 0 ? bot::ButtonStyle::danger
                                                                                : bot::ButtonStyle::normal});
  const json body = adapters::slack::message_body(m);
  check_message_body(body);
  const auto actions = blocks_of_type(body.at("blocks"), "actions");
  REQUIRE(actions.size() == 3);
  CHECK(actions[0].at("elements").size() == 25);
  CHECK(actions[1].at("elements").size() == 25);
  CHECK(actions[2].at("elements").size() == 10);
  CHECK(actions[0].at("elements").at(0).at("style") == "danger");
  CHECK_FALSE(actions[0].at("elements").at(1).contains("style"));

  const json click = actions[2].at("elements").at(9);
  const json payload = {{"type", "block_actions"},
                        {"user", {{"id", "U1"}, {"team_id", "T1"}}},
                        {"trigger_id", "1.2.3"},
                        {"container", {{"type", "message"}, {"channel_id", "D1"}, {"message_ts", "5.5"}}},
                        {"actions", json::array({click})}};
  const auto in = adapters::slack::parse_interactive(payload, {});
  CHECK(in.event.action == "score");
  CHECK(in.event.value == "59");
}

TEST_CASE("long button labels are cut with an ellipsis, long values cut to the limit", "[slack][block_kit]") {
  bot::Message m = message({"Choose"});
  m.buttons = {{"long", std::string(80, 'L'), std::string(2500, 'v'), bot::ButtonStyle::normal},
               {"umlaut", std::string(40, 'x') + std::string(40, '\xC3'), "u", bot::ButtonStyle::normal},
               {"emoji", "🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉", "e", bot::ButtonStyle::primary}};
  const json body = adapters::slack::message_body(m);
  check_message_body(body);
  const json elements = blocks_of_type(body.at("blocks"), "actions").at(0).at("elements");
  const std::string label = elements.at(0).at("text").at("text");
  CHECK(label.ends_with("…"));
  CHECK(label.starts_with(std::string(70, 'L')));
  CHECK(elements.at(0).at("value").get<std::string>().size() == kButtonValue);
  // Invalid UTF-8 from a stored text is replaced, not sent (Slack and nlohmann refuse it).
  CHECK(bot::is_valid_utf8(elements.at(1).at("text").at("text").get<std::string>()));
  CHECK(elements.at(2).at("text").at("text").get<std::string>().ends_with("🎉…"));
}

TEST_CASE("an export attachment shows as code blocks, shortened with a note when long", "[slack][block_kit]") {
  bot::Message m = message({"Here is your portfolio."});
  m.attachment = bot::Attachment{"portfolio-2026-11-30.md", "text/markdown", "# Portfolio\n\n- goal <one> & two\n"};
  const json body = adapters::slack::message_body(m);
  check_message_body(body);
  const auto texts = section_texts(body);
  REQUIRE(texts.size() == 3);
  CHECK(texts[1] == "*portfolio-2026-11-30.md*");
  CHECK(texts[2] == "```\n# Portfolio\n\n- goal &lt;one&gt; &amp; two\n```");

  std::string big;
  for (int i = 0; i < 500; ++i) big += "## Evidence " + std::to_string(i) + "\nSaved https://example.org/" + std::to_string(i) + "\n\n";
  m.attachment->content = big;
  m.buttons = {{"export.again", "Export again", "again", bot::ButtonStyle::normal}};
  const json long_body = adapters::slack::message_body(m);
  check_message_body(long_body);
  CHECK(has_note(long_body.at("blocks"), "portfolio-2026-11-30.md is longer than a Slack message can show"));
  CHECK(long_body.at("blocks").back().at("type") == "actions");
  for (const auto& t : section_texts(long_body))
    if (t.starts_with("```")) CHECK(t.ends_with("```"));
}

// ---------------------------------------------------------------------------------------
// Home tab and answered messages

TEST_CASE("the Home tab renders like a message with room for 100 blocks", "[slack][block_kit]") {
  std::vector<std::string> many;
  for (int i = 0; i < 150; ++i) many.push_back("Goal " + std::to_string(i));
  bot::Message m = message(many);
  m.buttons = {{"home.plan", "Plan", "plan", bot::ButtonStyle::primary}};
  const json view = adapters::slack::home_view(m);
  CHECK(view.at("type") == "home");
  check_view(view);
  CHECK(view.at("blocks").size() == kViewBlocks);
  CHECK(view.at("blocks").back().at("type") == "actions");

  const json empty = adapters::slack::home_view(message({}));
  check_view(empty);
}

TEST_CASE("an answered message keeps its text, loses its buttons and shows the choice", "[slack][block_kit]") {
  const json body = adapters::slack::answered_body("How did it go? *Really* &amp; <https://x.org|x>", "Good & <fine>");
  check_message_body(body);
  CHECK(section_texts(body) == std::vector<std::string>{"How did it go? *Really* &amp; <https://x.org|x>"});
  CHECK(blocks_of_type(body.at("blocks"), "actions").empty());
  CHECK(has_note(body.at("blocks"), "✓ Good &amp; &lt;fine&gt;"));

  const json no_text = adapters::slack::answered_body("", "");
  check_message_body(no_text);
  CHECK(no_text.at("text") == "✓");

  const json long_text = adapters::slack::answered_body(std::string(20000, 'a'), "Yes");
  check_message_body(long_text);
  CHECK(has_note(long_text.at("blocks"), "✓ Yes"));
}

// ---------------------------------------------------------------------------------------
// Modals

TEST_CASE("a form becomes a modal with one input per field, of the matching kind", "[slack][block_kit]") {
  const json view = adapters::slack::modal_view(every_kind_form(), "D024BE91L");
  check_view(view);
  CHECK(view.at("type") == "modal");
  CHECK(view.at("callback_id") == "checkin");
  CHECK(view.at("title").at("text") == "Weekly check-in");
  CHECK(view.at("submit").at("text") == "Send");
  CHECK(view.at("private_metadata") == R"({"c":"D024BE91L"})");
  REQUIRE(view.at("blocks").size() == 8);
  for (const auto& b : view.at("blocks")) {
    CHECK(b.at("type") == "input");
    CHECK(b.at("element").at("action_id") == b.at("block_id"));
  }

  const json& summary = block_for(view, "summary");
  CHECK(summary.at("element").at("type") == "plain_text_input");
  CHECK(summary.at("element").at("max_length") == 200);
  CHECK(summary.at("element").at("initial_value") == "Went well");
  CHECK(summary.at("hint").at("text") == "one line");
  CHECK(summary.at("optional") == false);
  CHECK(summary.at("label").at("text") == "Label of summary");

  const json& notes = block_for(view, "notes");
  CHECK(notes.at("element").at("multiline") == true);
  CHECK(notes.at("optional") == true);
  CHECK_FALSE(notes.contains("hint"));

  const json& hours = block_for(view, "hours").at("element");
  CHECK(hours.at("type") == "number_input");
  CHECK(hours.at("is_decimal_allowed") == false);
  CHECK(hours.at("min_value") == "1");
  CHECK(hours.at("max_value") == "40");
  CHECK(hours.at("initial_value") == "5");

  const json& progress = block_for(view, "progress").at("element");
  CHECK(progress.at("is_decimal_allowed") == true);
  CHECK(progress.at("min_value") == "0");
  CHECK(progress.at("max_value") == "10.5");
  CHECK(progress.at("initial_value") == "2.5");

  const json& mood = block_for(view, "mood").at("element");
  CHECK(mood.at("type") == "static_select");
  REQUIRE(mood.at("options").size() == 3);
  CHECK(mood.at("options").at(1).at("value") == "ok");
  CHECK(mood.at("options").at(1).at("text").at("text") == "Okay");
  CHECK(mood.at("initial_option") == mood.at("options").at(1));

  CHECK(block_for(view, "due").at("element").at("type") == "datepicker");
  CHECK(block_for(view, "due").at("element").at("initial_date") == "2026-12-31");
  CHECK(block_for(view, "buddy").at("element").at("type") == "users_select");
  CHECK(block_for(view, "buddy").at("element").at("initial_user") == "W012A3CDE");

  const json& share = block_for(view, "share").at("element");
  CHECK(share.at("type") == "radio_buttons");
  CHECK(share.at("options").at(0).at("value") == "true");
  CHECK(share.at("options").at(1).at("value") == "false");
  CHECK(share.at("initial_option") == share.at("options").at(0));
}

TEST_CASE("a submitted modal comes back keyed by the form's field ids, in the DM it was opened from",
          "[slack][block_kit]") {
  const json view = adapters::slack::modal_view(every_kind_form(), "D024BE91L");
  json values = json::object();
  for (const auto& b : view.at("blocks")) {
    const json& e = b.at("element");
    json state = {{"type", e.at("type")}};
    if (e.contains("initial_value")) state["value"] = e.at("initial_value");
    else if (e.contains("initial_option")) state["selected_option"] = e.at("initial_option");
    else if (e.contains("initial_date")) state["selected_date"] = e.at("initial_date");
    else if (e.contains("initial_user")) state["selected_user"] = e.at("initial_user");
    else state["value"] = nullptr;
    values[b.at("block_id").get<std::string>()][e.at("action_id").get<std::string>()] = state;
  }
  json submitted = view;
  submitted["id"] = "V1";
  submitted["hash"] = "1.a";
  submitted["state"] = {{"values", values}};
  const json payload = {{"type", "view_submission"},
                        {"team", {{"id", "T1"}}},
                        {"user", {{"id", "U1"}, {"team_id", "T1"}}},
                        {"view", submitted}};
  const auto in = adapters::slack::parse_interactive(payload, {});
  REQUIRE(in.kind == adapters::slack::InboundKind::event);
  CHECK(in.event.action == "checkin");
  CHECK(in.event.conversation == "D024BE91L");
  CHECK(in.event.form_values == std::map<std::string, std::string>{{"summary", "Went well"},
                                                                   {"notes", ""},
                                                                   {"hours", "5"},
                                                                   {"progress", "2.5"},
                                                                   {"mood", "ok"},
                                                                   {"due", "2026-12-31"},
                                                                   {"buddy", "W012A3CDE"},
                                                                   {"share", "true"}});
}

TEST_CASE("select limits: 100 options, short labels, values that fit, an initial that is one of them",
          "[slack][block_kit]") {
  bot::Form form;
  form.id = "pick";
  form.title = "A title that is much longer than Slack allows";
  bot::Field f = field("topic", bot::FieldKind::single_select);
  for (int i = 0; i < 200; ++i)
    f.choices.push_back({"v" + std::to_string(i), "Choice " + std::to_string(i) + " " + std::string(80, 'x')});
  f.choices.insert(f.choices.begin(), bot::Choice{std::string(151, 'z'), "Too long a value"});
  f.choices.insert(f.choices.begin(), bot::Choice{"v1", "Duplicate value"});
  f.initial = "v42";
  form.fields = {f};
  const json view = adapters::slack::modal_view(form, "D1");
  check_view(view);
  CHECK(view.at("title").at("text").get<std::string>().ends_with("…"));
  const json& e = block_for(view, "topic").at("element");
  REQUIRE(e.at("options").size() == kSelectOptions);
  std::set<std::string> values;
  for (const auto& o : e.at("options")) {
    CHECK(o.at("text").at("text").get<std::string>().size() <= kOptionText);
    CHECK(o.at("value").get<std::string>().size() <= kOptionValue);
    CHECK(values.insert(o.at("value")).second);
  }
  CHECK(e.at("options").at(0).at("text").at("text") == "Duplicate value");
  bool initial_is_an_option = false;
  for (const auto& o : e.at("options")) initial_is_an_option = initial_is_an_option || o == e.at("initial_option");
  CHECK(initial_is_an_option);
  CHECK(e.at("initial_option").at("value") == "v42");

  f.initial = "v150";  // beyond the first 100: no initial rather than an invalid one
  form.fields = {f};
  CHECK_FALSE(block_for(adapters::slack::modal_view(form, "D1"), "topic").at("element").contains("initial_option"));

  f.choices.clear();
  form.fields = {f};
  CHECK(block_for(adapters::slack::modal_view(form, "D1"), "topic").at("element").at("type") == "plain_text_input");
}

TEST_CASE("modal inputs never carry values Slack refuses", "[slack][block_kit]") {
  bot::Form form;
  form.id = "odd";
  form.submit_label = "";
  bot::Field n = field("n", bot::FieldKind::number);
  n.min = 1.0;
  n.max = 10.0;
  n.initial = "2.5";  // not whole while decimals are off
  bot::Field out_of_range = field("r", bot::FieldKind::number);
  out_of_range.min = 0.0;
  out_of_range.max = 5.0;
  out_of_range.initial = "9";
  bot::Field reversed = field("rev", bot::FieldKind::number);
  reversed.min = 10.0;
  reversed.max = 1.0;
  bot::Field one_bound = field("one", bot::FieldKind::number);
  one_bound.min = 0.0;
  bot::Field text = field("t", bot::FieldKind::text);
  text.max_length = 5;
  text.initial = "far too long";
  bot::Field huge = field("h", bot::FieldKind::long_text);
  huge.max_length = 100000;
  bot::Field bad_date = field("d", bot::FieldKind::date);
  bad_date.initial = "tomorrow";
  bot::Field bad_user = field("p", bot::FieldKind::person);
  bad_user.initial = "@ada";
  bot::Field toggle = field("tg", bot::FieldKind::toggle);
  toggle.initial = "No";
  bot::Field unlabeled = field("u", bot::FieldKind::text);
  unlabeled.label = "";
  bot::Field duplicate = field("t", bot::FieldKind::text);
  form.fields = {n, out_of_range, reversed, one_bound, text, huge, bad_date, bad_user, toggle, unlabeled, duplicate};

  const json view = adapters::slack::modal_view(form, "");
  check_view(view);
  CHECK(view.at("title").at("text") == "Form");
  CHECK(view.at("submit").at("text") == "Submit");
  CHECK_FALSE(view.contains("private_metadata"));
  CHECK(view.at("blocks").size() == 10);
  CHECK_FALSE(block_for(view, "n").at("element").contains("initial_value"));
  CHECK_FALSE(block_for(view, "r").at("element").contains("initial_value"));
  CHECK_FALSE(block_for(view, "rev").at("element").contains("min_value"));
  CHECK(block_for(view, "one").at("element").at("is_decimal_allowed") == true);
  CHECK(block_for(view, "t").at("element").at("initial_value") == "far t");
  CHECK(block_for(view, "h").at("element").at("max_length") == 3000);
  CHECK_FALSE(block_for(view, "d").at("element").contains("initial_date"));
  CHECK_FALSE(block_for(view, "p").at("element").contains("initial_user"));
  CHECK(block_for(view, "tg").at("element").at("initial_option").at("value") == "false");
  CHECK(block_for(view, "u").at("label").at("text") == "u");
}

TEST_CASE("a form of 120 fields is cut to Slack's 100 blocks", "[slack][block_kit]") {
  bot::Form form;
  form.id = "big";
  form.title = "Big";
  for (int i = 0; i < 120; ++i) form.fields.push_back(field("f" + std::to_string(i), bot::FieldKind::text));
  const json view = adapters::slack::modal_view(form, "D1");
  check_view(view);
  CHECK(view.at("blocks").size() == kViewBlocks);
}

TEST_CASE("refused values are shown under their fields, others under the first field", "[slack][block_kit]") {
  bot::Form form = every_kind_form();
  form.errors = {{"hours", "Please give a number from 1 to 40."},
                 {"due", std::string(500, 'e')},
                 {"", "Something else went wrong."},
                 {"mood", ""}};
  const json ack = adapters::slack::view_errors(form);
  CHECK(ack.at("response_action") == "errors");
  const json& errors = ack.at("errors");
  CHECK(errors.at("hours") == "Please give a number from 1 to 40.");
  CHECK(errors.at("due").get<std::string>().size() <= 300);
  CHECK(errors.at("due").get<std::string>().ends_with("…"));
  CHECK(errors.at("summary") == "Something else went wrong.");
  CHECK_FALSE(errors.at("mood").get<std::string>().empty());
  CHECK(errors.size() == 4);
}
