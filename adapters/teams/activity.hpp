#pragma once
// Turns what the Bot Framework POSTs to /api/messages (one Activity, Teams-shaped) into
// the neutral bot::Event, plus the Teams handles the service needs: the conversation
// reference to store for proactive messages, the card a submit came from, whether the
// bot was installed or removed. Raw activity JSON stops here. Never throws: anything
// malformed or not for us comes back `ignored` with a reason for the debug log, and
// the service still answers 200 (unknown activity types appear over time).
// Pure functions; thread-safe.
#include <string>

#include <nlohmann/json.hpp>

#include "bot/event.hpp"

namespace adapters::teams {

// Keys our cards put into Action.Submit / Action.Execute data, so that a submit says
// what it is. Inputs are keyed by the form's field ids; ours never start with "cb_".
inline constexpr const char* kKindKey = "cb_kind";      // "button" or "form"
inline constexpr const char* kActionKey = "cb_action";  // button action id
inline constexpr const char* kValueKey = "cb_value";    // button value
inline constexpr const char* kLabelKey = "cb_label";    // button label, to show what was chosen
inline constexpr const char* kFormKey = "cb_form";      // form id

// Where an activity came from: what a conversation reference keeps (teams.md §8.1).
struct ConversationInfo {
  std::string tenant;        // conversation.tenantId, else channelData.tenant.id
  std::string id;            // conversation.id as received (a channel thread keeps ";messageid=")
  std::string type;          // "personal", "groupChat", "channel"
  std::string service_url;   // as received, trailing slash and all
  std::string user_id;       // from.id ("29:…", per bot)
  std::string user_aad;      // from.aadObjectId, may be empty
  std::string user_name;
  std::string bot_id;        // recipient.id ("28:<app id>")
  std::string team_id;       // channelData.team.id
  std::string channel_id;    // channelData.channel.id, else the conversation id before ";messageid="
  std::string locale;
};

enum class InboundKind { event, ignored };
enum class Membership { unchanged, installed, removed };

struct Inbound {
  InboundKind kind = InboundKind::ignored;
  bot::Event event;           // kind == event; received_at is left to the caller
  std::string reason;         // kind == ignored: why, for a debug log line
  std::string activity_type;  // "message", "invoke", "conversationUpdate", ...: for metrics and logs
  std::string activity_id;
  std::string reply_to_id;    // card submits and invokes: the card message's activity id
  ConversationInfo conversation;
  bool card_submit = false;   // an Action.Submit (message with value) or Action.Execute (invoke)
  std::string clicked_label;  // a button's label from our data, to show what was chosen
  bool invoke = false;        // the HTTP answer carries the result
  std::string invoke_name;    // "adaptiveCard/action", "composeExtension/query", ...
  Membership bot_membership = Membership::unchanged;  // this activity installed or removed the bot here
  bool from_channel = false;  // a team channel or group chat (the bot was @mentioned)
};

// One activity:
//  - message with text -> text; in channels and group chats the <at>…</at> spans that
//    mention the bot (entities of type mention whose mentioned.id is recipient.id) are
//    removed, the common HTML entities decoded, the rest trimmed; "help" when nothing
//    is left.
//  - message with a `value` from our card -> button (action/value from cb_action and
//    cb_value) or form_submit (action = cb_form, form_values = every other key, numbers
//    and booleans as strings); a value without cb_kind -> ignored.
//  - invoke "adaptiveCard/action" -> the same, from value.action.data; other invokes
//    -> ignored with invoke = true, so the service can answer 501.
//  - installationUpdate add / add-upgrade, or conversationUpdate whose membersAdded
//    holds the bot -> install (greets the person in a personal chat; in a team or group
//    chat the event is ignored but bot_membership says installed); installationUpdate
//    remove, or membersRemoved holding the bot -> ignored with bot_membership removed.
//    *-upgrade is a new version, not a removal.
//  - our own messages (from.id == recipient.id), typing, messageReaction, messageUpdate,
//    messageDelete, event, unknown types -> ignored.
// The Event: from = {teams, tenant, aadObjectId (from.id when absent)}, display_name =
// from.name, time_zone = localTimezone, else a clientInfo entity's timezone;
// conversation = the conversation id, except in a channel, where it is the channel id
// and thread = the root message id after ";messageid="; platform_event_id =
// conversation.id + "|" + activity id (installs: "install|" + conversation.id + "|" +
// the UTC day of the activity's timestamp, so the pair of install activities Teams
// sends greets once).
Inbound parse_activity(const nlohmann::json& activity);

}  // namespace adapters::teams
