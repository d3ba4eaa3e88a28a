// Slack deliveries in, neutral Events out: real captured payloads (tests/fixtures/slack,
// provenance in SOURCES.md) become the event a person meant, or are ignored with the
// reason their file name implies. Every fixture file is covered by the table at the end.
#include <catch2/catch.hpp>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/slack/block_kit.hpp"
#include "adapters/slack/inbound.hpp"
#include "adapters/slack/signature.hpp"

namespace {

using adapters::slack::Inbound;
using adapters::slack::InboundKind;
using adapters::slack::ParseContext;
using nlohmann::json;

const std::string kFixtures = COACHBOT_SOURCE_DIR "/tests/fixtures/slack/";

json load(const std::string& relative) {
  std::ifstream in{kFixtures + relative};
  REQUIRE(in.good());
  return json::parse(in);
}

// Our bot as the bolt-python fixtures know it (U111/W111 mention targets).
ParseContext bot_ids() {
  ParseContext c;
  c.bot_user_id = "U111";
  c.bot_id = "B111";
  return c;
}

Inbound event_body(const json& body) { return adapters::slack::parse_event_callback(body, bot_ids()); }
Inbound interactive(const json& payload) { return adapters::slack::parse_interactive(payload, bot_ids()); }

json im_body(const std::string& text) {
  return {{"type", "event_callback"},
          {"team_id", "T1"},
          {"event_id", "Ev42"},
          {"event",
           {{"type", "message"},
            {"channel", "D1"},
            {"channel_type", "im"},
            {"user", "U7"},
            {"text", text},
            {"ts", "1700000000.000100"}}}};
}

std::string typed(const std::string& slack_text) {
  const Inbound in = event_body(im_body(slack_text));
  REQUIRE(in.kind == InboundKind::event);
  return in.event.text;
}

void check_ignored(const Inbound& in, const std::string& reason_part) {
  INFO(in.reason);
  CHECK(in.kind == InboundKind::ignored);
  CHECK(in.reason.find(reason_part) != std::string::npos);
}

void check_identity(const Inbound& in, const std::string& team, const std::string& user) {
  CHECK(in.event.from.platform == bot::Platform::slack);
  CHECK(in.event.from.tenant == team);
  CHECK(in.event.from.user == user);
}

json view_submission_with_state(const json& state, const std::string& metadata = "") {
  return {{"type", "view_submission"},
          {"team", nullptr},
          {"user", {{"id", "U9"}, {"team_id", "T9"}}},
          {"trigger_id", "1.2.3"},
          {"view",
           {{"id", "V9"},
            {"hash", "17.abc"},
            {"type", "modal"},
            {"callback_id", "checkin"},
            {"private_metadata", metadata},
            {"state", state}}}};
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Direct messages

TEST_CASE("a DM from a person becomes a text event in that DM, deduplicated by event_id", "[slack][inbound]") {
  const Inbound in = event_body(load("events_api/message.im.json"));
  REQUIRE(in.kind == InboundKind::event);
  CHECK(in.event.kind == bot::EventKind::text);
  check_identity(in, "T061EG9R6", "U2147483697");
  CHECK(in.event.conversation == "D024BE91L");
  CHECK(in.event.thread.empty());
  CHECK(in.event.text == "Hello hello can you hear me?");
  CHECK(in.event.platform_event_id == "Ev0PV52K21");
  CHECK(in.event_type == "message");
}

TEST_CASE("a reply in a DM thread stays in that thread", "[slack][inbound]") {
  json body = im_body("done");
  body["event"]["thread_ts"] = "1699999999.000001";
  const Inbound in = event_body(body);
  REQUIRE(in.kind == InboundKind::event);
  CHECK(in.event.thread == "1699999999.000001");
}

TEST_CASE("Slack's escaping is undone so links and symbols arrive as typed", "[slack][inbound]") {
  CHECK(typed("save <https://example.org>") == "save https://example.org");
  CHECK(typed("save <https://example.org/a?b=1&amp;c=2|example.org/a>") == "save https://example.org/a?b=1&c=2");
  CHECK(typed("mail <mailto:ada@example.org|ada@example.org>") == "mail ada@example.org");
  CHECK(typed("3 &lt; 5 &amp;&amp; 7 &gt; 2") == "3 < 5 && 7 > 2");
  CHECK(typed("&amp;lt; stays literal") == "&lt; stays literal");
  CHECK(typed("kudos <@U123|ada> for the talk") == "kudos <@U123> for the talk");
  CHECK(typed("see <#C123|general>") == "see #general");
  CHECK(typed("<!here> meeting") == "@here meeting");
  CHECK(typed("due <!date^1392734382^{date_short}|Feb 18, 2014>") == "due Feb 18, 2014");
  CHECK(typed("  spaced out  \n") == "spaced out");
  CHECK(typed("unclosed <https://x") == "unclosed <https://x");
  CHECK(typed("Grüße 🎉") == "Grüße 🎉");
}

TEST_CASE("messages of bots, our own echoes, edits and channel chatter are ignored", "[slack][inbound]") {
  check_ignored(event_body(load("events_api/message.from_bot_no_subtype.json")), "bot");
  check_ignored(event_body(load("events_api/message.subtype_bot_message.json")), "subtype bot_message");
  check_ignored(event_body(load("events_api/message.subtype_message_changed.json")), "subtype message_changed");
  check_ignored(event_body(load("events_api/message.channel_user.json")), "outside a DM");

  json own_user = im_body("I am the bot");
  own_user["event"]["user"] = "U111";
  check_ignored(event_body(own_user), "own message");
  json own_bot = im_body("I am the bot");
  own_bot["event"]["bot_id"] = "B111";
  check_ignored(event_body(own_bot), "own message");
  json file_share = im_body("a file");
  file_share["event"]["subtype"] = "file_share";
  check_ignored(event_body(file_share), "subtype file_share");
  check_ignored(event_body(im_body("   ")), "without text");
}

TEST_CASE("the team comes from the body, else the authorization, else the event", "[slack][inbound]") {
  json body = im_body("hi");
  body.erase("team_id");
  check_ignored(event_body(body), "team");
  body["authorizations"] = json::array({{{"team_id", nullptr}, {"user_id", "U111"}}});
  check_ignored(event_body(body), "team");
  body["event"]["team"] = "T-event";
  CHECK(event_body(body).event.from.tenant == "T-event");
  body["authorizations"][0]["team_id"] = "T-auth";
  CHECK(event_body(body).event.from.tenant == "T-auth");
  body["team_id"] = "T-body";
  CHECK(event_body(body).event.from.tenant == "T-body");
}

TEST_CASE("missing, null or oddly typed fields are ignored with a reason, never thrown", "[slack][inbound]") {
  const std::vector<json> bodies = {
      json(nullptr), json::array(), json(42), json("event_callback"), json::object(),
      json{{"type", "event_callback"}},
      json{{"type", "event_callback"}, {"event", nullptr}},
      json{{"type", "event_callback"}, {"event", json::array()}},
      json{{"type", "event_callback"}, {"event", {{"type", 7}}}},
      json{{"type", "event_callback"}, {"team_id", "T1"}, {"event", {{"type", "message"}, {"channel_type", "im"}}}},
      json{{"type", "event_callback"}, {"team_id", 5}, {"event", {{"type", "message"}, {"user", nullptr},
                                                                   {"text", json::array()}, {"channel_type", "im"}}}},
      json{{"type", "url_verification"}},
      json{{"type", "url_verification"}, {"challenge", nullptr}},
  };
  for (const auto& b : bodies) {
    INFO(b.dump());
    Inbound in;
    CHECK_NOTHROW(in = event_body(b));
    CHECK(in.kind == InboundKind::ignored);
    CHECK_FALSE(in.reason.empty());
  }
  for (const auto& p : {json(nullptr), json::array(), json{{"type", "block_actions"}},
                        json{{"type", "block_actions"}, {"actions", json::array({1})}},
                        json{{"type", "block_actions"}, {"actions", json::array({{{"action_id", "a"}}})}},
                        json{{"type", "view_submission"}, {"view", "V1"}},
                        json{{"type", "view_submission"}, {"user", {{"id", "U1"}, {"team_id", "T1"}}},
                             {"view", {{"state", 3}}}}}) {
    INFO(p.dump());
    Inbound in;
    CHECK_NOTHROW(in = interactive(p));
    CHECK(in.kind == InboundKind::ignored);
    CHECK_FALSE(in.reason.empty());
  }
}

// ---------------------------------------------------------------------------------------
// Mentions, App Home and other events

TEST_CASE("a mention in a channel is a text event without the mention, answered in its thread", "[slack][inbound]") {
  ParseContext ctx;
  ctx.bot_user_id = "W111";
  const Inbound in = adapters::slack::parse_event_callback(load("events_api/app_mention.json"), ctx);
  REQUIRE(in.kind == InboundKind::event);
  CHECK(in.event.kind == bot::EventKind::text);
  check_identity(in, "T111", "W222");
  CHECK(in.event.text == "Hi there!");
  CHECK(in.event.conversation == "C111");
  CHECK(in.event.thread == "1595926230.009600");
  CHECK(in.event_type == "app_mention");

  json threaded = load("events_api/app_mention.json");
  threaded["event"]["thread_ts"] = "1595926000.000001";
  threaded["event"]["text"] = "<@W111>  <@W333|bob> save <https://example.org>";
  const Inbound reply = adapters::slack::parse_event_callback(threaded, ctx);
  CHECK(reply.event.thread == "1595926000.000001");
  CHECK(reply.event.text == "save https://example.org");
}

TEST_CASE("a bare mention asks for help", "[slack][inbound]") {
  const json envelope = load("socket_mode/envelope.events_api.app_mention.sdk_test.json");
  const Inbound in = event_body(envelope.at("payload"));
  REQUIRE(in.kind == InboundKind::event);
  CHECK(in.event.text == "help");
  check_identity(in, "T111", "U222");
}

TEST_CASE("opening the App Home is app_opened, with the tab as the action", "[slack][inbound]") {
  const Inbound messages = event_body(load("events_api/app_home_opened.org_install_messages_tab.json"));
  REQUIRE(messages.kind == InboundKind::event);
  CHECK(messages.event.kind == bot::EventKind::app_opened);
  CHECK(messages.event.action == "messages");
  check_identity(messages, "T111", "W111");
  CHECK(messages.event.conversation == "D111");
  CHECK(messages.event.platform_event_id == "Ev111");

  const json body = {{"type", "event_callback"},
                     {"team_id", "T21312902"},
                     {"event_id", "Ev9"},
                     {"event", load("events_api/app_home_opened.inner_event.json")}};
  const Inbound home = event_body(body);
  REQUIRE(home.kind == InboundKind::event);
  CHECK(home.event.action == "home");  // the docs' example has no tab: Home is the default
  check_identity(home, "T21312902", "U061F7AUR");
  CHECK(home.event.conversation == "D0LAN2Q65");

  json home_tab = body;
  home_tab["event"]["tab"] = "home";
  CHECK(event_body(home_tab).event.action == "home");
  home_tab["event"]["tab"] = "about";
  check_ignored(event_body(home_tab), "tab about");
}

TEST_CASE("joins, reactions, rate limits and unknown events are ignored, each with its reason", "[slack][inbound]") {
  check_ignored(event_body(load("events_api/member_joined_channel.json")), "member_joined_channel");
  check_ignored(event_body(load("events_api/event_callback.reaction_added.json")), "reaction_added");
  const Inbound limited = event_body(load("events_api/app_rate_limited.json"));
  check_ignored(limited, "1518467820");
  CHECK(limited.reason.find("minute") != std::string::npos);

  json bot_added = load("events_api/member_joined_channel.json");
  bot_added["event"]["user"] = "U111";
  check_ignored(event_body(bot_added), "bot was added to C111");

  const json team_join = {{"type", "event_callback"},
                          {"event_id", "Ev5"},
                          {"event",
                           {{"type", "team_join"},
                            {"user", {{"id", "U0NEWUSER1"}, {"team_id", "T012AB3C4"}, {"tz", "Europe/London"}}}}}};
  check_ignored(event_body(team_join), "team_join");
  check_ignored(event_body(json{{"type", "event_callback"}, {"event", {{"type", "pin_added"}}}}), "pin_added");
  check_ignored(event_body(json{{"type", "ssl_check"}}), "ssl_check");
}

TEST_CASE("the URL verification handshake hands back the challenge", "[slack][inbound]") {
  const Inbound in = event_body(load("events_api/url_verification.json"));
  CHECK(in.kind == InboundKind::url_verification);
  CHECK(in.challenge == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
}

// ---------------------------------------------------------------------------------------
// Buttons

TEST_CASE("a button click on a message is a button event that knows the message to edit", "[slack][inbound]") {
  const Inbound in = interactive(load("socket_mode/envelope.interactive.block_actions.json").at("payload"));
  REQUIRE(in.kind == InboundKind::event);
  CHECK(in.event.kind == bot::EventKind::button);
  check_identity(in, "T111", "U111");
  CHECK(in.event.display_name == "test-test-test");
  CHECK(in.event.action == "a");
  CHECK(in.event.value == "underlying");
  CHECK(in.event.conversation == "C111");
  CHECK(in.event.platform_event_id == "action:111.222.xxx");
  CHECK(in.trigger_id == "111.222.xxx");
  CHECK(in.message_ts == "1605853634.000400");
  CHECK(in.message_text == "This content can't be displayed.");
  CHECK(in.clicked_label == "Click Me!");
  CHECK(in.response_url == "https://hooks.slack.com/actions/T111/111/xxx");
  CHECK(in.event_type == "block_actions");
}

TEST_CASE("the renderer's #index suffix is removed and the full text of the clicked message kept",
          "[slack][inbound]") {
  bot::Message m = bot::Message::text(bot::Recipient::dm(bot::PersonId{1}), "How did it go?");
  m.sections.push_back({"Pick one & tell me"});
  m.buttons = {{"checkin.mood", "Good", "good", bot::ButtonStyle::primary},
               {"checkin.mood", "Bad", "bad", bot::ButtonStyle::normal}};
  const json rendered = adapters::slack::message_body(m);
  json payload = load("socket_mode/envelope.interactive.block_actions.json").at("payload");
  payload["message"]["blocks"] = rendered.at("blocks");
  payload["message"]["text"] = rendered.at("text");
  payload["actions"][0] = rendered.at("blocks").back().at("elements").at(1);
  payload["actions"][0]["block_id"] = "xyz";
  payload["actions"][0]["action_ts"] = "1.2";

  const Inbound in = interactive(payload);
  REQUIRE(in.kind == InboundKind::event);
  CHECK(in.event.action == "checkin.mood");
  CHECK(in.event.value == "bad");
  CHECK(in.clicked_label == "Bad");
  CHECK(in.message_text == "How did it go?\n\nPick one &amp; tell me");

  payload["actions"][0]["action_id"] = "plan#review#12";
  CHECK(interactive(payload).event.action == "plan#review");
  payload["actions"][0]["action_id"] = "plan#x";
  CHECK(interactive(payload).event.action == "plan#x");
  payload["actions"][0]["action_id"] = "#3";
  check_ignored(interactive(payload), "action_id");
}

TEST_CASE("a click in an ephemeral message has no message but still the ts, channel and response_url",
          "[slack][inbound]") {
  const Inbound in = interactive(load("interactivity/block_actions.button_in_ephemeral_message.json"));
  REQUIRE(in.kind == InboundKind::event);
  CHECK(in.event.action == "a");
  CHECK(in.event.value == "click_me_123");
  check_identity(in, "T111", "W111");
  CHECK(in.event.conversation == "C111");
  CHECK(in.message_ts == "111.222");
  CHECK(in.message_text.empty());
  CHECK(in.clicked_label == "Button");
  CHECK(in.trigger_id == "111.222.valid");
  CHECK(in.event.platform_event_id == "action:111.222.valid");
  CHECK(in.response_url == "https://hooks.slack.com/actions/T111/111/random-value");
}

TEST_CASE("without a trigger id a click is identified by its message and moment", "[slack][inbound]") {
  json payload = load("interactivity/block_actions.button_in_ephemeral_message.json");
  payload.erase("trigger_id");
  payload.erase("channel");
  const Inbound in = interactive(payload);
  CHECK(in.event.platform_event_id == "action:111.222:1596530385.194939");
  CHECK(in.event.conversation == "C111");  // from the container
}

TEST_CASE("clicks inside a modal are ignored, clicks on the Home tab are buttons", "[slack][inbound]") {
  const json modal = load("socket_mode/envelope.interactive.block_actions_in_modal_large.json").at("payload");
  check_ignored(interactive(modal), "modal");

  json home = modal;
  home["view"]["type"] = "home";
  home["actions"][0] = {{"type", "button"}, {"action_id", "home.plan#0"}, {"value", "plan:7"},
                        {"text", {{"type", "plain_text"}, {"text", "Plan"}}}, {"action_ts", "1.1"}};
  const Inbound in = interactive(home);
  REQUIRE(in.kind == InboundKind::event);
  CHECK(in.event.action == "home.plan");
  CHECK(in.event.value == "plan:7");
  CHECK(in.event.conversation.empty());
  CHECK(in.message_ts.empty());
  check_identity(in, "T12345678", "U12345678");
}

// ---------------------------------------------------------------------------------------
// Modals

TEST_CASE("a submitted modal is form_submit with one value per block", "[slack][inbound]") {
  const Inbound in = interactive(load("interactivity/view_submission.select_datepicker_multiline.json"));
  REQUIRE(in.kind == InboundKind::event);
  CHECK(in.event.kind == bot::EventKind::form_submit);
  CHECK(in.view_submission);
  check_identity(in, "T12345678", "U12345678");
  CHECK(in.event.action == "modal-callback-id");
  CHECK(in.event.form_values ==
        std::map<std::string, std::string>{{"rating", "3"}, {"date-of-visit", "2019-09-23"}, {"comment", "Just amazing!"}});
  CHECK(in.trigger_id == "768915595217.771150964790.bbc12e4f1483ce782cd891edf9dca94c");
  CHECK(in.event.platform_event_id == "view:" + in.trigger_id);
  CHECK(in.event.conversation.empty());
}

TEST_CASE("an org-wide install has no team object: the user's team is the tenant", "[slack][inbound]") {
  const Inbound in = interactive(load("interactivity/view_submission.timepicker_org_install.json"));
  REQUIRE(in.kind == InboundKind::event);
  check_identity(in, "T111", "W111");
  CHECK(in.event.action == "test-view");
  CHECK(in.event.form_values == std::map<std::string, std::string>{
                                    {"agenda-block", "test"}, {"date-block", "2022-06-22"}, {"time-block", "03:00"}});
}

TEST_CASE("metadata that is not ours is ignored, ours names the conversation", "[slack][inbound]") {
  const Inbound foreign = interactive(load("interactivity/view_submission.private_metadata.json"));
  REQUIRE(foreign.kind == InboundKind::event);
  CHECK(foreign.event.conversation.empty());
  CHECK(foreign.event.action == "view-id");
  CHECK(foreign.event.form_values == std::map<std::string, std::string>{{"hspI", "test"}});
  CHECK(foreign.event.platform_event_id == "view:111.222.valid");

  const Inbound ours = interactive(view_submission_with_state(json{{"values", json::object()}}, R"({"c":"D024BE91L"})"));
  CHECK(ours.event.conversation == "D024BE91L");
  CHECK(interactive(view_submission_with_state(json{{"values", json::object()}}, "[1,2]")).event.conversation.empty());
  CHECK(interactive(view_submission_with_state(json{{"values", json::object()}}, R"({"c":5})")).event.conversation.empty());
}

TEST_CASE("every input type's value is read, empty optional inputs give empty strings", "[slack][inbound]") {
  json state = load("interactivity/view_state.values.input_types.json");
  state["values"]["select-block"] = {{"s", {{"type", "static_select"}, {"selected_option", nullptr}}}};
  state["values"]["radio-block"] = {{"r", {{"type", "radio_buttons"}, {"selected_option", {{"value", "true"}}}}}};
  state["values"]["check-block"] = {
      {"c", {{"type", "checkboxes"}, {"selected_options", json::array({{{"value", "mon"}}, {{"value", "tue"}}})}}}};
  state["values"]["none-checked"] = {{"c", {{"type", "checkboxes"}, {"selected_options", json::array()}}}};
  state["values"]["user-block"] = {{"u", {{"type", "users_select"}, {"selected_user", "W012A3CDE"}}}};
  state["values"]["empty-text"] = {{"t", {{"type", "plain_text_input"}, {"value", nullptr}}}};
  state["values"]["empty-date"] = {{"d", {{"type", "datepicker"}, {"selected_date", nullptr}}}};
  state["values"]["empty-block"] = json::object();

  const Inbound in = interactive(view_submission_with_state(state));
  REQUIRE(in.kind == InboundKind::event);
  const std::map<std::string, std::string> expected = {
      {"agenda-block", "test"},       {"email-block", "foo@example.com"}, {"url-block", "https://www.example.com/"},
      {"number-block", "12345"},      {"date-block", "2022-10-19"},       {"time-block", "01:00"},
      {"date-time-block", "1666869900"}, {"select-block", ""},            {"radio-block", "true"},
      {"check-block", "mon,tue"},     {"none-checked", ""},               {"user-block", "W012A3CDE"},
      {"empty-text", ""},             {"empty-date", ""}};
  CHECK(in.event.form_values == expected);
  CHECK(in.event.platform_event_id == "view:1.2.3");
  check_identity(in, "T9", "U9");
}

TEST_CASE("a corrected modal submission is not taken for a redelivery of the refused one", "[slack][inbound]") {
  // Answering with inline errors does not update the view: the same id and hash come back.
  json first = view_submission_with_state(json{{"values", {{"n", {{"a", {{"type", "number_input"}, {"value", "150"}}}}}}}});
  json second = first;
  second["trigger_id"] = "4.5.6";
  second["view"]["state"]["values"]["n"]["a"]["value"] = "80";
  CHECK(interactive(first).event.platform_event_id != interactive(second).event.platform_event_id);
  CHECK(interactive(first).event.platform_event_id == interactive(json(first)).event.platform_event_id);  // a redelivery
  // Without a trigger id, the answers tell them apart.
  first.erase("trigger_id");
  second.erase("trigger_id");
  CHECK(interactive(first).event.platform_event_id != interactive(second).event.platform_event_id);
  CHECK(interactive(first).event.platform_event_id.starts_with("view:V9:17.abc:"));
}

TEST_CASE("closing a modal, shortcuts and message actions are ignored", "[slack][inbound]") {
  check_ignored(interactive(load("interactivity/view_closed.json")), "view_closed");
  check_ignored(interactive(load("interactivity/shortcut.global.json")), "shortcut");
  check_ignored(interactive(load("interactivity/message_action.json")), "message_action");
  check_ignored(interactive(load("socket_mode/envelope.interactive.shortcut.json").at("payload")), "do-something");
  check_ignored(interactive(json{{"type", "block_suggestion"}}), "block_suggestion");
}

// ---------------------------------------------------------------------------------------
// Slash commands and form bodies

TEST_CASE("a slash command over HTTP is a command with the typed text, in the channel it was typed in", "[slack][inbound]") {
  const json fixture = load("slash_commands/http_form_body.weather.json");
  CHECK(fixture.at("content_type") == "application/x-www-form-urlencoded");
  const auto fields = adapters::slack::decode_form(fixture.at("raw_body").get<std::string>());
  REQUIRE(fields);
  CHECK(fields->at("enterprise_name") == "Globular Construct Inc");
  CHECK(fields->at("command") == "/weather");

  const Inbound in = adapters::slack::parse_slash_command(*fields);
  REQUIRE(in.kind == InboundKind::event);
  CHECK(in.event.kind == bot::EventKind::command);
  CHECK(in.event.action == "/weather");
  check_identity(in, "T0001", "U2147483697");
  CHECK(in.event.text == "94070");
  CHECK(in.event.conversation == "C2147483705");
  CHECK(in.event_type == "/weather");
  CHECK(in.trigger_id == "13345224609.738474920.8088930838d88f008e0");
  CHECK(in.event.platform_event_id == "command:13345224609.738474920.8088930838d88f008e0");
  CHECK(in.response_url == "https://hooks.slack.com/commands/1234/5678");
}

TEST_CASE("a slash command without arguments asks for help, arguments are trimmed and unescaped", "[slack][inbound]") {
  const Inbound socket = adapters::slack::parse_slash_command(load("socket_mode/envelope.slash_commands.json").at("payload"));
  REQUIRE(socket.kind == InboundKind::event);
  CHECK(socket.event.text == "help");
  CHECK(socket.event_type == "/randorilke");
  check_identity(socket, "T123ABC456", "U123ABC456");
  CHECK(socket.event.conversation == "C123ABC456");

  auto fields = adapters::slack::decode_form("command=%2Fcoach&text=++save+%3Chttps%3A%2F%2Fexample.org%3E+&user_id=U1"
                                             "&team_id=T1&channel_id=D1&trigger_id=9.9");
  REQUIRE(fields);
  const Inbound typed_in = adapters::slack::parse_slash_command(*fields);
  CHECK(typed_in.event.text == "save https://example.org");
  CHECK(typed_in.event_type == "/coach");

  check_ignored(adapters::slack::parse_slash_command(std::map<std::string, std::string>{{"ssl_check", "1"}, {"token", "x"}}),
                "ssl_check");
  check_ignored(adapters::slack::parse_slash_command(std::map<std::string, std::string>{{"command", "/coach"}}), "user_id");
  check_ignored(adapters::slack::parse_slash_command(json::array()), "not a JSON object");
}

TEST_CASE("form bodies decode '+' and %XX, and a broken escape refuses the whole body", "[slack][inbound]") {
  using adapters::slack::decode_form;
  const auto ok = decode_form("a=1+2%2B3&b=%E2%9C%93&c&d=&a=second&%7Bk%7D=v&&");
  REQUIRE(ok);
  CHECK(*ok == std::map<std::string, std::string>{{"a", "1 2+3"}, {"b", "✓"}, {"c", ""}, {"d", ""}, {"{k}", "v"}});
  CHECK(decode_form("")->empty());
  CHECK_FALSE(decode_form("a=%"));
  CHECK_FALSE(decode_form("a=%4"));
  CHECK_FALSE(decode_form("a=%zz"));
  CHECK_FALSE(decode_form("%g1=x"));
}

TEST_CASE("an HTTP interactivity body yields its payload JSON", "[slack][inbound]") {
  const json payload = load("interactivity/block_actions.button_in_ephemeral_message.json");
  std::string encoded = "payload=";
  for (char ch : payload.dump()) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') encoded += static_cast<char>(c);
    else if (c == ' ') encoded += '+';
    else {
      static constexpr char hex[] = "0123456789ABCDEF";
      encoded += '%';
      encoded += hex[c >> 4];
      encoded += hex[c & 0xF];
    }
  }
  const auto decoded = adapters::slack::interactive_payload(encoded);
  REQUIRE(decoded);
  CHECK(*decoded == payload);
  CHECK_FALSE(adapters::slack::interactive_payload("payload=%7Bnot+json"));
  CHECK_FALSE(adapters::slack::interactive_payload("payload=%5B1%5D"));
  CHECK_FALSE(adapters::slack::interactive_payload("other=1"));
  CHECK_FALSE(adapters::slack::interactive_payload("payload=%"));
}

// ---------------------------------------------------------------------------------------
// Every fixture file

namespace {

void check_ok(const json& j) {
  CHECK(j.at("ok") == true);
  CHECK_FALSE(j.contains("error"));
}

std::function<void(const json&)> error_is(std::string error) {
  return [error = std::move(error)](const json& j) {
    CHECK(j.at("ok") == false);
    CHECK(j.at("error") == error);
  };
}

std::function<void(const json&)> invalid_arguments(std::string message_part) {
  return [part = std::move(message_part)](const json& j) {
    error_is("invalid_arguments")(j);
    const auto& messages = j.at("response_metadata").at("messages");
    REQUIRE(messages.is_array());
    REQUIRE_FALSE(messages.empty());
    bool found = false;
    for (const auto& m : messages) found = found || m.get<std::string>().find(part) != std::string::npos;
    CHECK(found);
  };
}

std::function<void(const json&)> disconnect(std::string reason) {
  return [reason = std::move(reason)](const json& j) {
    CHECK(j.at("type") == "disconnect");
    CHECK(j.at("reason") == reason);
    CHECK(j.at("debug_info").at("host").is_string());
  };
}

std::function<void(const json&)> hello(int connections) {
  return [connections](const json& j) {
    CHECK(j.at("type") == "hello");
    CHECK(j.at("num_connections") == connections);
    CHECK(j.at("debug_info").at("approximate_connection_time") == 18060);
  };
}

std::function<void(const json&)> ignored_because(std::string part) {
  return [part = std::move(part)](const json& j) {
    const json& body = j.contains("envelope_id") ? j.at("payload") : j;
    const Inbound in = body.value("type", "") == "event_callback" || body.value("type", "") == "app_rate_limited"
                           ? event_body(body)
                           : interactive(body);
    check_ignored(in, part);
  };
}

std::function<void(const json&)> text_event(std::string team, std::string user, std::string text) {
  return [=](const json& j) {
    const json& body = j.contains("envelope_id") ? j.at("payload") : j;
    const Inbound in = event_body(body);
    REQUIRE(in.kind == InboundKind::event);
    CHECK(in.event.kind == bot::EventKind::text);
    check_identity(in, team, user);
    CHECK(in.event.text == text);
  };
}

// One entry per file under tests/fixtures/slack: what we read from it, and what it
// must give. The test below fails when a file has no entry (or an entry no file).
const std::vector<std::pair<std::string, std::function<void(const json&)>>>& fixture_table() {
  static const std::vector<std::pair<std::string, std::function<void(const json&)>>> table = {
      // Events API
      {"events_api/app_home_opened.inner_event.json",
       [](const json& j) {
         const Inbound in = event_body({{"type", "event_callback"}, {"team_id", "T1"}, {"event", j}});
         CHECK(in.event.kind == bot::EventKind::app_opened);
         CHECK(in.event.action == "home");
       }},
      {"events_api/app_home_opened.org_install_messages_tab.json",
       [](const json& j) {
         CHECK(event_body(j).event.action == "messages");
         CHECK(j.at("authorizations").at(0).at("team_id").is_null());
       }},
      {"events_api/app_mention.json", text_event("T111", "W222", "Hi there!")},
      {"events_api/app_rate_limited.json", ignored_because("app_rate_limited")},
      {"events_api/event_callback.reaction_added.json", ignored_because("reaction_added")},
      {"events_api/member_joined_channel.json", ignored_because("member_joined_channel")},
      {"events_api/message.channel_user.json", ignored_because("outside a DM")},
      {"events_api/message.from_bot_no_subtype.json", ignored_because("bot_id B999")},
      {"events_api/message.im.json", text_event("T061EG9R6", "U2147483697", "Hello hello can you hear me?")},
      {"events_api/message.subtype_bot_message.json", ignored_because("subtype bot_message")},
      {"events_api/message.subtype_message_changed.json", ignored_because("subtype message_changed")},
      {"events_api/url_verification.json",
       [](const json& j) { CHECK(event_body(j).kind == InboundKind::url_verification); }},
      // Interactivity
      {"interactivity/block_actions.button_in_ephemeral_message.json",
       [](const json& j) {
         const Inbound in = interactive(j);
         CHECK(in.event.kind == bot::EventKind::button);
         CHECK(in.event.value == "click_me_123");
       }},
      {"interactivity/message_action.json", ignored_because("message_action")},
      // Bodies we send to a response_url: Slack's docs write the flags as strings.
      {"interactivity/response_url.delete_original.json",
       [](const json& j) { CHECK(j.at("delete_original") == "true"); }},
      {"interactivity/response_url.in_channel.json",
       [](const json& j) {
         CHECK(j.at("response_type") == "in_channel");
         CHECK(j.at("text").is_string());
       }},
      {"interactivity/response_url.replace_original.json",
       [](const json& j) {
         CHECK(j.at("replace_original") == "true");
         CHECK(j.at("text").is_string());
       }},
      {"interactivity/shortcut.global.json", ignored_because("shortcut 'test-shortcut'")},
      {"interactivity/view_closed.json", ignored_because("view_closed")},
      {"interactivity/view_state.values.input_types.json",
       [](const json& j) {
         const Inbound in = interactive(view_submission_with_state(j));
         CHECK(in.event.form_values.size() == 7);
         CHECK(in.event.form_values.at("date-time-block") == "1666869900");
       }},
      {"interactivity/view_submission.private_metadata.json",
       [](const json& j) { CHECK(interactive(j).event.form_values.at("hspI") == "test"); }},
      // Acks we send for a view_submission.
      {"interactivity/view_submission.response_clear.json",
       [](const json& j) { CHECK(j == json{{"response_action", "clear"}}); }},
      {"interactivity/view_submission.response_errors.json",
       [](const json& j) {
         bot::Form form;
         form.id = "ticket";
         bot::Field due;
         due.id = "ticket-due-date";
         due.label = "Due date";
         due.kind = bot::FieldKind::date;
         form.fields = {due};
         form.errors = {{"ticket-due-date", "You may not select a due date in the past"}};
         CHECK(adapters::slack::view_errors(form) == j);
       }},
      {"interactivity/view_submission.response_push.json",
       [](const json& j) {
         CHECK(j.at("response_action") == "push");
         CHECK(j.at("view").at("type") == "modal");
         CHECK(j.at("view").at("title").at("text").is_string());
       }},
      {"interactivity/view_submission.select_datepicker_multiline.json",
       [](const json& j) { CHECK(interactive(j).event.form_values.at("rating") == "3"); }},
      {"interactivity/view_submission.timepicker_org_install.json",
       [](const json& j) { CHECK(interactive(j).event.from.tenant == "T111"); }},
      // Signing and slash commands
      {"signing/test_vector.slash_command.json",
       [](const json& j) {
         const std::int64_t at = j.at("verify_at_unix_time");
         CHECK(adapters::slack::verify_signature(j.at("signing_secret").get<std::string>(),
                                                 j.at("headers").at("X-Slack-Request-Timestamp").get<std::string>(),
                                                 j.at("headers").at("X-Slack-Signature").get<std::string>(),
                                                 j.at("raw_body").get<std::string>(), bot::from_unix_ms(at * 1000)) ==
               adapters::slack::SignatureCheck::ok);
         // The signed body is itself a slash command: "/webhook-collect" without text.
         const auto fields = adapters::slack::decode_form(j.at("raw_body").get<std::string>());
         REQUIRE(fields);
         const Inbound in = adapters::slack::parse_slash_command(*fields);
         CHECK(in.event.text == "help");
         CHECK(in.event_type == "/webhook-collect");
         CHECK(in.event.conversation == "G8PSS9T3V");
         CHECK(in.response_url == "https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN");
       }},
      {"slash_commands/http_form_body.weather.json",
       [](const json& j) {
         const auto fields = adapters::slack::decode_form(j.at("raw_body").get<std::string>());
         REQUIRE(fields);
         CHECK(adapters::slack::parse_slash_command(*fields).event.text == "94070");
       }},
      // Socket Mode frames
      {"socket_mode/ack.empty.json",
       [](const json& j) { CHECK(j == json{{"envelope_id", "dbdd0ef3-1543-4f94-bfb4-133d0e6c1545"}}); }},
      {"socket_mode/ack.slash_command_with_blocks.json",
       [](const json& j) {
         // Our renderer produces exactly these blocks for two plain sections.
         bot::Message m;
         m.sections = {{"Book of Hours"}, {"Duino Elegies"}};
         CHECK(adapters::slack::message_body(m).at("blocks") == j.at("payload").at("blocks"));
       }},
      {"socket_mode/ack.view_submission_update.json",
       [](const json& j) {
         CHECK(j.at("envelope_id").is_string());
         CHECK(j.at("payload").at("response_action") == "update");
         CHECK(j.at("payload").at("view").at("type") == "modal");
       }},
      {"socket_mode/apps_connections_open.docs.json",
       [](const json& j) {
         check_ok(j);
         CHECK(j.at("url") == "wss://wss.slack.com/link/?ticket=1234-5678");
       }},
      {"socket_mode/disconnect.link_disabled.json", disconnect("link_disabled")},
      {"socket_mode/disconnect.refresh_requested.json", disconnect("refresh_requested")},
      {"socket_mode/disconnect.too_many_websockets.json", disconnect("too_many_websockets")},
      {"socket_mode/disconnect.too_many_websockets.sdk_test.json",
       [](const json& j) {
         disconnect("too_many_websockets")(j);
         CHECK(j.at("num_connections") == 2);
       }},
      {"socket_mode/disconnect.warning.docs.json", disconnect("warning")},
      {"socket_mode/disconnect.warning.json", disconnect("warning")},
      {"socket_mode/envelope.events_api.app_mention.json",
       [](const json& j) {
         CHECK(j.at("type") == "events_api");
         CHECK(j.at("envelope_id") == "c67a03d0-4094-4744-90ca-d286e00a3ab1");
         CHECK(j.at("retry_attempt") == 0);
         text_event("redacted", "redacted", "test")(j);
         CHECK(event_body(j.at("payload")).event.platform_event_id == "Ev01JZ2T7S3U");
       }},
      {"socket_mode/envelope.events_api.app_mention.sdk_test.json", text_event("T111", "U222", "help")},
      {"socket_mode/envelope.events_api.message_channel.json", ignored_because("outside a DM")},
      {"socket_mode/envelope.events_api.retry.json",
       [](const json& j) {
         CHECK(j.at("retry_attempt") == 2);
         CHECK(j.at("retry_reason") == "timeout");
         // The redelivery carries the first delivery's event_id, so it deduplicates.
         const json first = load("socket_mode/envelope.events_api.app_mention.sdk_test.json");
         CHECK(event_body(j.at("payload")).event.platform_event_id ==
               event_body(first.at("payload")).event.platform_event_id);
       }},
      {"socket_mode/envelope.interactive.block_actions.json",
       [](const json& j) {
         CHECK(j.at("type") == "interactive");
         CHECK(interactive(j.at("payload")).event.action == "a");
       }},
      {"socket_mode/envelope.interactive.block_actions_in_modal_large.json", ignored_because("modal")},
      {"socket_mode/envelope.interactive.shortcut.json", ignored_because("shortcut")},
      {"socket_mode/envelope.slash_commands.json",
       [](const json& j) {
         CHECK(j.at("accepts_response_payload") == true);
         CHECK(adapters::slack::parse_slash_command(j.at("payload")).event_type == "/randorilke");
       }},
      {"socket_mode/envelope.slash_commands.sdk_test.json",
       [](const json& j) {
         const Inbound in = adapters::slack::parse_slash_command(j.at("payload"));
         CHECK(in.event_type == "/hello-socket-mode");
         CHECK(in.event.text == "help");
         check_identity(in, "T111", "U111");
         CHECK(in.trigger_id == "111.222.xxx");
       }},
      {"socket_mode/hello.json",
       [](const json& j) {
         hello(4)(j);
         CHECK(j.at("connection_info").at("app_id") == "A01K58AR4RF");
       }},
      {"socket_mode/hello.sdk_test.json", hello(2)},
      // Web API responses
      {"web_api/apps.connections.open.ok.json",
       [](const json& j) {
         check_ok(j);
         CHECK(j.at("url").get<std::string>().starts_with("wss://"));
       }},
      {"web_api/auth.test.bot_token.ok.json",
       [](const json& j) {
         check_ok(j);
         CHECK(j.at("user_id") == "W23456789");
         CHECK(j.at("bot_id") == "BZYBOTHED");
         CHECK(j.at("team_id") == "T0G9PQBBK");
       }},
      {"web_api/auth.test.error.not_authed.json", error_is("not_authed")},
      {"web_api/chat.postEphemeral.error.user_not_in_channel.json", error_is("user_not_in_channel")},
      {"web_api/chat.postEphemeral.ok.json",
       [](const json& j) {
         check_ok(j);
         CHECK(j.at("message_ts") == "1502210682.580145");
       }},
      {"web_api/chat.postMessage.error.too_many_attachments.json", error_is("too_many_attachments")},
      {"web_api/chat.postMessage.ok.json",
       [](const json& j) {
         check_ok(j);
         CHECK(j.at("channel") == "C123ABC456");
         CHECK(j.at("ts") == "1503435956.000247");  // a string: never a number
       }},
      {"web_api/chat.scheduleMessage.error.time_in_past.json", error_is("time_in_past")},
      {"web_api/chat.scheduleMessage.ok.json",
       [](const json& j) {
         check_ok(j);
         CHECK(j.at("scheduled_message_id") == "Q1298393284");
         CHECK(j.at("post_at") == "1562180400");
       }},
      {"web_api/chat.update.ok.json",
       [](const json& j) {
         check_ok(j);
         CHECK(j.at("ts") == "1401383885.000061");
       }},
      {"web_api/conversations.open.ok.json",
       [](const json& j) {
         check_ok(j);
         CHECK(j.at("channel").at("id") == "D069C7QFK");
       }},
      {"web_api/conversations.open.return_im.ok.json",
       [](const json& j) {
         check_ok(j);
         CHECK(j.at("channel").at("id") == "D069C7QFK");
         CHECK(j.at("already_open") == true);
       }},
      {"web_api/error.missing_scope.json",
       [](const json& j) {
         error_is("missing_scope")(j);
         CHECK(j.at("needed") == "identity.basic");
       }},
      {"web_api/http_429.ratelimited.json",
       [](const json& j) {
         CHECK(j.at("status") == 429);
         CHECK(j.at("headers").at("Retry-After") == "30");
         error_is("ratelimited")(j.at("body"));
       }},
      {"web_api/reactions.add.error.already_reacted.json", error_is("already_reacted")},
      {"web_api/team.info.ok.json",
       [](const json& j) {
         check_ok(j);
         CHECK(j.at("team").at("id") == "T12345");
         CHECK(j.at("team").at("name") == "My Team");
       }},
      {"web_api/users.info.error.user_not_found.json", error_is("user_not_found")},
      {"web_api/users.info.ok.json",
       [](const json& j) {
         check_ok(j);
         const json& u = j.at("user");
         CHECK(u.at("id") == "W012A3CDE");
         CHECK(u.at("tz") == "America/Los_Angeles");
         CHECK(u.at("real_name") == "Egon Spengler");
         CHECK(u.at("profile").at("display_name") == "spengler");
         CHECK(u.at("is_bot") == false);
         CHECK(u.at("deleted") == false);
       }},
      {"web_api/users.lookupByEmail.error.users_not_found.json", error_is("users_not_found")},
      {"web_api/users.lookupByEmail.ok.json",
       [](const json& j) {
         check_ok(j);
         CHECK(j.at("user").at("id") == "W012A3CDE");
         CHECK(j.at("user").at("profile").at("email") == "spengler@ghostbusters.example.com");
       }},
      {"web_api/views.open.error.invalid_arguments.real.json",
       [](const json& j) {
         invalid_arguments("submit_disabled")(j);
         CHECK(j.at("response_metadata").at("messages").size() == 2);
       }},
      {"web_api/views.open.error.invalid_trigger_id.json", invalid_arguments("invalid `trigger_id`")},
      {"web_api/views.open.ok.json",
       [](const json& j) {
         check_ok(j);
         CHECK(j.at("view").at("id") == "VMHU10V25");
         CHECK(j.at("view").at("hash") == "156772938.1827394");
       }},
      {"web_api/views.publish.error.invalid_user_id.json", invalid_arguments("invalid `user_id`")},
      {"web_api/views.publish.ok.json",
       [](const json& j) {
         check_ok(j);
         CHECK(j.at("view").at("type") == "home");
         CHECK(j.at("view").at("hash").is_string());
       }},
      {"web_api/views.push.error.missing_title.json", invalid_arguments("missing required field: title")},
      {"web_api/views.update.ok.json",
       [](const json& j) {
         check_ok(j);
         CHECK(j.at("view").at("id") == "VNM522E2U");
         CHECK(j.at("view").at("submit").is_null());
       }},
  };
  return table;
}

}  // namespace

TEST_CASE("every Slack fixture file has an entry in the table, and every entry a file", "[slack][fixtures]") {
  std::set<std::string> on_disk;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kFixtures)) {
    if (!entry.is_regular_file()) continue;
    const std::string relative = std::filesystem::relative(entry.path(), kFixtures).generic_string();
    if (relative == "SOURCES.md") continue;
    on_disk.insert(relative);
  }
  std::set<std::string> known;
  for (const auto& [file, check] : fixture_table()) known.insert(file);
  for (const auto& f : on_disk) {
    INFO("fixture without a test: " << f);
    CHECK(known.count(f) == 1);
  }
  for (const auto& f : known) {
    INFO("test for a missing fixture: " << f);
    CHECK(on_disk.count(f) == 1);
  }
  CHECK(known.size() == fixture_table().size());  // no file listed twice
  CHECK(on_disk.size() >= 76);
}

TEST_CASE("every Slack fixture gives what its name says", "[slack][fixtures]") {
  for (const auto& [file, check] : fixture_table()) {
    DYNAMIC_SECTION(file) { check(load(file)); }
  }
}
