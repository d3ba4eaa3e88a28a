// Teams activities in, neutral Events out: activities shaped like what Teams and the
// Agents Playground send (tests/fixtures/teams, provenance in SOURCES.md) become the
// event a person meant, with the handles the service needs (conversation reference,
// card id, install state), or are ignored with a reason. Nothing here may throw.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "adapters/teams/activity.hpp"

namespace {

using adapters::teams::Inbound;
using adapters::teams::InboundKind;
using adapters::teams::Membership;
using nlohmann::json;

const std::string kFixtures = COACHBOT_SOURCE_DIR "/tests/fixtures/teams/";

const std::string kTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const std::string kBot = "28:c9e8c047-2a74-40a2-b28a-b162d5f5327c";
const std::string kMeganAad = "7faf8ab2-4d0e-4f5e-9a3b-2a1f4c6e8d01";
const std::string kMegan29 = "29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85gQtHieVkKilBZ9XHoq9j7Zaqt7CZ-NJWi7me2kHTL3Bw";
const std::string kMeganChat = "a:17I0kl9EkpE1O9NdqRG4Yq8hK2Bx3m5n7p9r1t3v5x7z";
const std::string kAdeleAad = "3c9e1a7b-5d2f-4e80-b6c4-0a8d2f4b6e19";
const std::string kTeam = "19:general0a1b2c3d4e5f@thread.tacv2";

json load(const std::string& name) {
  std::ifstream in{kFixtures + name};
  REQUIRE(in.good());
  return json::parse(in);
}

Inbound parse(const std::string& name) { return adapters::teams::parse_activity(load(name)); }

void check_ignored(const Inbound& in, const std::string& reason_part) {
  INFO(in.reason);
  CHECK(in.kind == InboundKind::ignored);
  CHECK(in.reason.find(reason_part) != std::string::npos);
}

// A personal message with the given text, the shape of teams.md §3.3.
json personal(const std::string& text) {
  json a = load("personal_message.json");
  a["text"] = text;
  return a;
}

std::string typed(const std::string& text) {
  const Inbound in = adapters::teams::parse_activity(personal(text));
  REQUIRE(in.kind == InboundKind::event);
  return in.event.text;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Messages

TEST_CASE("a personal message is a text event from the person's AAD id, with what a reference needs",
          "[teams][activity]") {
  const Inbound in = parse("personal_message.json");
  REQUIRE(in.kind == InboundKind::event);
  CHECK(in.event.kind == bot::EventKind::text);
  CHECK(in.event.text == "check in");
  CHECK(in.event.from == bot::Identity{bot::Platform::teams, kTenant, kMeganAad});
  CHECK(in.event.display_name == "Megan Bowen");
  CHECK(in.event.time_zone == "Europe/Berlin");
  CHECK(in.event.conversation == kMeganChat);
  CHECK(in.event.thread.empty());
  CHECK(in.event.platform_event_id == kMeganChat + "|1763790256843");
  CHECK(in.activity_type == "message");
  CHECK(in.activity_id == "1763790256843");
  CHECK_FALSE(in.card_submit);
  CHECK_FALSE(in.invoke);
  CHECK_FALSE(in.from_channel);
  CHECK(in.bot_membership == Membership::unchanged);

  const auto& c = in.conversation;
  CHECK(c.tenant == kTenant);
  CHECK(c.id == kMeganChat);
  CHECK(c.type == "personal");
  CHECK(c.service_url == "https://smba.trafficmanager.net/emea/");  // trailing slash kept for the JWT check
  CHECK(c.user_id == kMegan29);
  CHECK(c.user_aad == kMeganAad);
  CHECK(c.user_name == "Megan Bowen");
  CHECK(c.bot_id == kBot);
  CHECK(c.team_id.empty());
  CHECK(c.channel_id.empty());
  CHECK(c.locale == "en-US");
}

TEST_CASE("a playground message keeps its plain ids and its serviceUrl as sent", "[teams][activity]") {
  const Inbound in = parse("playground_message.json");
  REQUIRE(in.kind == InboundKind::event);
  CHECK(in.event.text == "hello");
  CHECK(in.event.from.tenant == "00000000-0000-0000-0000-0000000000001");
  CHECK(in.event.from.user == "00000000-0000-0000-0000-0000000000020");
  CHECK(in.conversation.user_id == "user-id-0");
  CHECK(in.conversation.bot_id == "00000000-0000-0000-0000-00000000000011");
  CHECK(in.conversation.service_url == "http://localhost:56150/_connector");
  CHECK(in.event.time_zone == "UTC");
  CHECK(in.event.conversation == "personal-chat-id");
}

TEST_CASE("the time zone comes from localTimezone, else clientInfo, else stays unknown", "[teams][activity]") {
  json a = personal("hi");
  a["localTimezone"] = "America/New_York";
  CHECK(adapters::teams::parse_activity(a).event.time_zone == "America/New_York");
  a.erase("localTimezone");
  CHECK(adapters::teams::parse_activity(a).event.time_zone == "Europe/Berlin");
  a["localTimezone"] = "";
  CHECK(adapters::teams::parse_activity(a).event.time_zone == "Europe/Berlin");
  a["localTimezone"] = 7;
  a["entities"] = json::array();
  CHECK_FALSE(adapters::teams::parse_activity(a).event.time_zone.has_value());
  a["entities"] = json::array({{{"type", "clientInfo"}, {"timezone", ""}}});
  CHECK_FALSE(adapters::teams::parse_activity(a).event.time_zone.has_value());
}

TEST_CASE("without an AAD object id the 29: id is the person, the tenant may come from channelData",
          "[teams][activity]") {
  json a = personal("hi");
  a["from"].erase("aadObjectId");
  a["conversation"].erase("tenantId");
  const Inbound in = adapters::teams::parse_activity(a);
  REQUIRE(in.kind == InboundKind::event);
  CHECK(in.event.from == bot::Identity{bot::Platform::teams, kTenant, kMegan29});
  CHECK(in.conversation.tenant == kTenant);
}

TEST_CASE("entities are decoded and the text trimmed, so commands read as typed", "[teams][activity]") {
  CHECK(typed("  check&nbsp;in \n") == "check in");
  CHECK(typed("R&amp;D &lt;3 &gt; &quot;quoted&quot; it&#39;s") == "R&D <3 > \"quoted\" it's");
  CHECK(typed("&amp;lt; stays literal") == "&lt; stays literal");
  CHECK(typed("a &unknown; entity & a lone ampersand") == "a &unknown; entity & a lone ampersand");
  CHECK(typed("no\xC2\xA0" "break") == "no break");
  CHECK(typed("Grüße 🎉") == "Grüße 🎉");
}

TEST_CASE("a personal message without text (a file) is ignored", "[teams][activity]") {
  json a = personal("");
  check_ignored(adapters::teams::parse_activity(a), "without text");
  a.erase("text");
  check_ignored(adapters::teams::parse_activity(a), "without text");
}

TEST_CASE("a channel mention is answered in its thread, without the bot's mention and with others kept",
          "[teams][activity]") {
  const Inbound in = parse("channel_mention.json");
  REQUIRE(in.kind == InboundKind::event);
  CHECK(in.event.kind == bot::EventKind::text);
  CHECK(in.event.text == "kudos <at>Megan Bowen</at> for the R&D demo <3");
  CHECK(in.event.from == bot::Identity{bot::Platform::teams, kTenant, kAdeleAad});
  CHECK(in.event.conversation == "19:abc@thread.tacv2");
  CHECK(in.event.thread == "1776390257332");
  CHECK(in.event.time_zone == "America/Los_Angeles");
  CHECK(in.event.platform_event_id == "19:abc@thread.tacv2;messageid=1776390257332|1776390257332");
  CHECK(in.from_channel);
  CHECK(in.conversation.id == "19:abc@thread.tacv2;messageid=1776390257332");
  CHECK(in.conversation.type == "channel");
  CHECK(in.conversation.channel_id == "19:abc@thread.tacv2");
  CHECK(in.conversation.team_id == "19:team0f1e2d3c@thread.tacv2");
}

TEST_CASE("without channelData.channel the channel is the conversation id before the messageid marker", "[teams][activity]") {
  json a = load("channel_mention.json");
  a["channelData"].erase("channel");
  const Inbound in = adapters::teams::parse_activity(a);
  REQUIRE(in.kind == InboundKind::event);
  CHECK(in.conversation.channel_id == "19:abc@thread.tacv2");
  CHECK(in.event.conversation == "19:abc@thread.tacv2");
  CHECK(in.event.thread == "1776390257332");
}

TEST_CASE("only mentions of this bot are removed", "[teams][activity]") {
  json a = load("channel_mention.json");
  // The same markup, but the entity names another bot: nothing to strip.
  a["entities"][0]["mentioned"]["id"] = "28:someone-else";
  CHECK(adapters::teams::parse_activity(a).event.text == "<at>Coachbot</at> kudos <at>Megan Bowen</at> for the R&D demo <3");
  // An entity without its text still strips the <at>name</at> of the bot.
  a = load("channel_mention.json");
  a["entities"][0].erase("text");
  CHECK(adapters::teams::parse_activity(a).event.text == "kudos <at>Megan Bowen</at> for the R&D demo <3");
}

TEST_CASE("a bare mention in a group chat asks for help, answered in that chat", "[teams][activity]") {
  const Inbound in = parse("group_chat_mention.json");
  REQUIRE(in.kind == InboundKind::event);
  CHECK(in.event.text == "help");
  CHECK(in.from_channel);
  CHECK(in.event.conversation == "19:meeting_5a7c9e1b3d5f@thread.v2");
  CHECK(in.event.thread.empty());
  CHECK(in.conversation.channel_id.empty());
  CHECK(in.event.time_zone == "Europe/London");
  CHECK(in.conversation.locale == "en-GB");  // from clientInfo: the activity has no locale
}

// ---------------------------------------------------------------------------------------
// Card submits

TEST_CASE("an Action.Submit of a button is a button event that knows its card", "[teams][activity]") {
  const Inbound in = parse("submit_button.json");
  REQUIRE(in.kind == InboundKind::event);
  CHECK(in.event.kind == bot::EventKind::button);
  CHECK(in.event.action == "progress");
  CHECK(in.event.value == "75");
  CHECK(in.event.text.empty());
  CHECK(in.clicked_label == "75%");
  CHECK(in.card_submit);
  CHECK_FALSE(in.invoke);
  CHECK(in.reply_to_id == "1763790290455");
  CHECK(in.event.from.user == kMeganAad);
  CHECK(in.event.platform_event_id == kMeganChat + "|1763790311002");
}

TEST_CASE("an Action.Submit of a form is form_submit with every input by id", "[teams][activity]") {
  const Inbound in = parse("submit_form.json");
  REQUIRE(in.kind == InboundKind::event);
  CHECK(in.event.kind == bot::EventKind::form_submit);
  CHECK(in.event.action == "checkin");
  CHECK(in.card_submit);
  CHECK(in.reply_to_id == "1763790290455");
  CHECK(in.event.form_values == std::map<std::string, std::string>{{"goal_17", "60"},
                                                                   {"minutes_spent", "1.5"},
                                                                   {"learned", "How to write a CMake preset"},
                                                                   {"confidence", "4"},
                                                                   {"share", "true"},
                                                                   {"due", "2026-12-01"}});
}

TEST_CASE("numbers and booleans in a submit arrive as the text a person would type", "[teams][activity]") {
  json a = load("submit_form.json");
  a["value"] = {{"cb_kind", "form"}, {"cb_form", "f"}, {"n", 5}, {"x", 2.5}, {"w", 40.0}, {"neg", -3},
                {"t", true},         {"off", false},  {"gone", nullptr}, {"list", {1, 2}}, {"obj", {{"a", 1}}}};
  const Inbound in = adapters::teams::parse_activity(a);
  REQUIRE(in.kind == InboundKind::event);
  CHECK(in.event.form_values ==
        std::map<std::string, std::string>{{"n", "5"}, {"x", "2.5"}, {"w", "40"}, {"neg", "-3"}, {"t", "true"}, {"off", "false"}});
  a["value"] = {{"cb_kind", "button"}, {"cb_action", "confidence"}, {"cb_value", 3}};
  CHECK(adapters::teams::parse_activity(a).event.value == "3");
}

TEST_CASE("a submit that is not from our card is ignored", "[teams][activity]") {
  json a = load("submit_button.json");
  a["value"] = {{"kind", "checkin"}, {"note", "x"}};
  check_ignored(adapters::teams::parse_activity(a), "without cb_kind");
  a["value"] = {{"cb_kind", "poll"}};
  check_ignored(adapters::teams::parse_activity(a), "unknown cb_kind 'poll'");
  a["value"] = {{"cb_kind", "button"}, {"cb_value", "1"}};
  check_ignored(adapters::teams::parse_activity(a), "without cb_action");
  a["value"] = {{"cb_kind", "form"}, {"a", "1"}};
  check_ignored(adapters::teams::parse_activity(a), "without cb_form");
  a["value"] = {{"cb_kind", "button"}, {"cb_action", 7}};
  check_ignored(adapters::teams::parse_activity(a), "without cb_action");
}

TEST_CASE("an Action.Execute invoke is the same button event, answered in the HTTP response", "[teams][activity]") {
  const Inbound in = parse("invoke_action.json");
  REQUIRE(in.kind == InboundKind::event);
  CHECK(in.invoke);
  CHECK(in.invoke_name == "adaptiveCard/action");
  CHECK(in.card_submit);
  CHECK(in.event.kind == bot::EventKind::button);
  CHECK(in.event.action == "plan.approve");
  CHECK(in.event.value == "42");
  CHECK(in.clicked_label == "Approve");
  CHECK(in.reply_to_id == "1763790290455");
  CHECK(in.activity_type == "invoke");
}

TEST_CASE("other invokes are ignored but flagged as invokes, so the service can answer 501", "[teams][activity]") {
  const Inbound in = parse("invoke_compose_extension.json");
  check_ignored(in, "composeExtension/query");
  CHECK(in.invoke);
  CHECK(in.invoke_name == "composeExtension/query");

  json a = load("invoke_action.json");
  a["value"]["action"].erase("data");
  const Inbound no_data = adapters::teams::parse_activity(a);
  check_ignored(no_data, "value.action.data");
  CHECK(no_data.invoke);
  a["value"] = "x";
  CHECK(adapters::teams::parse_activity(a).invoke);
}

// ---------------------------------------------------------------------------------------
// Installs and removals

TEST_CASE("a personal install greets the person once for the pair of activities Teams sends", "[teams][activity]") {
  const Inbound install = parse("installation_add.json");
  REQUIRE(install.kind == InboundKind::event);
  CHECK(install.event.kind == bot::EventKind::install);
  CHECK(install.bot_membership == Membership::installed);
  CHECK(install.event.from == bot::Identity{bot::Platform::teams, kTenant, kMeganAad});
  CHECK(install.event.conversation == kMeganChat);
  CHECK(install.event.time_zone == "Europe/Berlin");  // clientInfo: installs carry no localTimezone
  // The UTC day, although it is already the 23rd where Megan is.
  CHECK(install.event.platform_event_id == "install|" + kMeganChat + "|2026-11-22");

  const Inbound update = parse("conversation_update_personal.json");
  REQUIRE(update.kind == InboundKind::event);
  CHECK(update.event.kind == bot::EventKind::install);
  CHECK(update.bot_membership == Membership::installed);
  CHECK(update.event.from == install.event.from);
  CHECK(update.event.platform_event_id == install.event.platform_event_id);
}

TEST_CASE("a new version of the app keeps the chat without greeting anyone, its removal half changes nothing",
          "[teams][activity]") {
  const Inbound upgrade = parse("installation_add_upgrade.json");
  check_ignored(upgrade, "add-upgrade");
  CHECK(upgrade.bot_membership == Membership::installed);
  CHECK(upgrade.conversation.id == kMeganChat);

  const Inbound old_version = parse("installation_remove_upgrade.json");
  check_ignored(old_version, "remove-upgrade");
  CHECK(old_version.bot_membership == Membership::unchanged);
}

TEST_CASE("an install timestamp with an offset counts by its UTC day", "[teams][activity]") {
  json a = load("installation_add.json");
  a["timestamp"] = "2026-11-23T00:30:00+01:00";
  CHECK(adapters::teams::parse_activity(a).event.platform_event_id == "install|" + kMeganChat + "|2026-11-22");
  a["timestamp"] = "2026-12-31T20:00:00.1234567-05:00";
  CHECK(adapters::teams::parse_activity(a).event.platform_event_id == "install|" + kMeganChat + "|2027-01-01");
  // Without a usable timestamp the activity id still deduplicates redeliveries.
  a["timestamp"] = "yesterday";
  CHECK(adapters::teams::parse_activity(a).event.platform_event_id ==
        kMeganChat + "|f:3a1c9e7b-5d2f-4b80-a6c4-8e2d0f1b3c57");
}

TEST_CASE("an install in a team is remembered but greets nobody", "[teams][activity]") {
  for (const char* file : {"installation_add_team.json", "conversation_update_team.json"}) {
    INFO(file);
    const Inbound in = parse(file);
    check_ignored(in, "installed in a channel");
    CHECK(in.bot_membership == Membership::installed);
    CHECK(in.conversation.id == kTeam);
    CHECK(in.conversation.team_id == kTeam);
    CHECK(in.conversation.channel_id == kTeam);  // the General channel's id is the team's
    CHECK(in.conversation.service_url == "https://smba.trafficmanager.net/emea/");
    CHECK(in.conversation.tenant == kTenant);
  }
}

TEST_CASE("a removal, by installationUpdate or membersRemoved, says so and is not an event", "[teams][activity]") {
  const Inbound personal_removal = parse("installation_remove.json");
  check_ignored(personal_removal, "removed");
  CHECK(personal_removal.bot_membership == Membership::removed);
  CHECK(personal_removal.conversation.id == kMeganChat);

  const Inbound team_removal = parse("conversation_update_removed.json");
  check_ignored(team_removal, "removed");
  CHECK(team_removal.bot_membership == Membership::removed);
  CHECK(team_removal.conversation.channel_id == kTeam);
}

TEST_CASE("people joining a team with the bot change nothing", "[teams][activity]") {
  const Inbound in = parse("conversation_update_user_joined.json");
  check_ignored(in, "teamMemberAdded");
  CHECK(in.bot_membership == Membership::unchanged);
}

TEST_CASE("a personal install sent by the service finds the person among the members added", "[teams][activity]") {
  json a = load("conversation_update_personal.json");
  a.erase("from");
  const Inbound in = adapters::teams::parse_activity(a);
  REQUIRE(in.kind == InboundKind::event);
  CHECK(in.event.from == bot::Identity{bot::Platform::teams, kTenant, kMeganAad});
  CHECK(in.conversation.user_id == kMegan29);

  a["membersAdded"] = json::array({{{"id", kBot}}});
  const Inbound alone = adapters::teams::parse_activity(a);
  check_ignored(alone, "no from.id");
  CHECK(alone.bot_membership == Membership::installed);
}

// ---------------------------------------------------------------------------------------
// Everything else

TEST_CASE("reactions, typing, edits, our own echo and unknown types are ignored", "[teams][activity]") {
  check_ignored(parse("message_reaction.json"), "reactions");
  check_ignored(parse("typing.json"), "typing");
  check_ignored(parse("own_echo.json"), "own message");
  json a = personal("x");
  a["type"] = "messageUpdate";
  check_ignored(adapters::teams::parse_activity(a), "messageUpdate");
  a["type"] = "event";
  a["name"] = "application/vnd.microsoft.readReceipt";
  check_ignored(adapters::teams::parse_activity(a), "readReceipt");
  a["type"] = "somethingNew";
  const Inbound unknown = adapters::teams::parse_activity(a);
  check_ignored(unknown, "unhandled activity type 'somethingNew'");
  CHECK(unknown.activity_type == "somethingNew");
  CHECK_FALSE(unknown.invoke);
}

TEST_CASE("malformed activities are ignored with a reason, never thrown", "[teams][activity]") {
  check_ignored(parse("malformed_value.json"), "value is not an object");
  check_ignored(parse("malformed_no_from.json"), "no from.id");
  check_ignored(parse("malformed_array.json"), "not a JSON object");
  check_ignored(adapters::teams::parse_activity(json{}), "not a JSON object");
  check_ignored(adapters::teams::parse_activity(json::object()), "without a type");
  check_ignored(adapters::teams::parse_activity(json{{"type", 5}}), "without a type");

  json a = personal("hi");
  for (const char* key : {"from", "conversation", "recipient", "entities", "channelData", "text", "value",
                          "membersAdded", "serviceUrl"}) {
    for (const json& odd : {json(nullptr), json(42), json("str"), json::array({1, "x", nullptr}), json::object()}) {
      json b = a;
      b[key] = odd;
      INFO(key << " = " << odd.dump());
      CHECK_NOTHROW(adapters::teams::parse_activity(b));
      b["type"] = "conversationUpdate";
      CHECK_NOTHROW(adapters::teams::parse_activity(b));
      b["type"] = "invoke";
      b["name"] = "adaptiveCard/action";
      CHECK_NOTHROW(adapters::teams::parse_activity(b));
    }
  }
  a["conversation"].erase("id");
  check_ignored(adapters::teams::parse_activity(a), "no conversation id");
  a = personal("hi");
  a["conversation"].erase("tenantId");
  a.erase("channelData");
  check_ignored(adapters::teams::parse_activity(a), "no tenant id");
}

TEST_CASE("every Teams fixture parses without throwing and is covered above", "[teams][fixtures]") {
  std::set<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(kFixtures))
    if (entry.path().extension() == ".json") files.insert(entry.path().filename().string());
  CHECK(files.size() == 23);
  for (const auto& f : files) {
    INFO(f);
    const Inbound in = parse(f);
    CHECK((in.kind == InboundKind::event || !in.reason.empty()));
  }
}
