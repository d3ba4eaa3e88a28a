#pragma once
// Turns what Slack delivers (Events API bodies, interactivity payloads, slash-command
// fields; identical over HTTP and inside Socket Mode envelopes) into the neutral
// bot::Event, and says why when a delivery is not for us. Raw Slack JSON stops here.
// The parse functions never throw: a malformed or unexpected shape comes back as
// `ignored` with a reason for the debug log, so that the transport can always ack.
// Pure functions; thread-safe.
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "bot/event.hpp"

namespace adapters::slack {

enum class InboundKind { event, url_verification, ignored };

// One delivery, parsed. Besides the Event, it keeps the Slack-only handles the
// transport needs to answer in place (open a modal, edit the clicked message).
struct Inbound {
  InboundKind kind = InboundKind::ignored;
  bot::Event event;            // kind == event; received_at is left to the caller
  std::string challenge;       // kind == url_verification: echo it back
  std::string reason;          // kind == ignored: why, for a debug log line
  std::string trigger_id;      // block_actions, view_submission, slash commands: for views.open (3 s)
  std::string message_ts;      // block_actions on a message: the clicked message's ts, to edit it
  // block_actions on a message: the clicked message's text in Slack mrkdwn (its section
  // blocks joined by blank lines, else its top-level text), for answered_body().
  std::string message_text;
  std::string clicked_label;   // block_actions: the clicked button's text
  bool view_submission = false;  // the ack decides the modal's fate (close or show errors)
  std::string response_url;
  std::string event_type;      // "message", "app_home_opened", "block_actions", "/coach", ...: for metrics and logs
};

// Our own ids, from auth.test at startup: Slack echoes the bot's own DMs back as
// message events, and answering them would loop forever.
struct ParseContext {
  std::string bot_user_id;
  std::string bot_id;
};

// An Events API body (HTTP) or the payload of a Socket Mode `events_api` envelope.
//  - message (DM only, no subtype, not from a bot or from us) -> text; the thread is
//    thread_ts when the message is a reply.
//  - app_mention -> text without the leading mention(s), "help" when nothing is left;
//    answered in the message's thread.
//  - app_home_opened -> app_opened with action "home" or "messages" (the tab; "home"
//    when Slack does not say), conversation = the person's DM with the bot.
//  - url_verification -> url_verification with the challenge.
//  - everything else (member_joined_channel, team_join, reaction_added,
//    app_rate_limited, ...) -> ignored with the reason.
// User text is decoded from Slack's escaping: &lt; &gt; &amp; become < > &, links
// keep their URL (mailto links their label), channel links become #name and user
// mentions stay as <@U…>.
Inbound parse_event_callback(const nlohmann::json& body, const ParseContext& context);

// An interactivity payload (the decoded `payload` form field, or the payload of a
// Socket Mode `interactive` envelope).
//  - block_actions on a message or the Home tab -> button: action = the action id
//    without the renderer's "#<n>" suffix, value = the button's value (or the
//    selected option/date/user of another element). Actions inside modals -> ignored.
//  - view_submission -> form_submit: action = the view's callback_id, form_values keyed
//    by block id; conversation from our private_metadata {"c": channel} when present.
//  - view_closed, shortcut, message_action, anything else -> ignored.
Inbound parse_interactive(const nlohmann::json& payload, const ParseContext& context);

// Slash-command fields (decoded HTTP form, or a Socket Mode payload object): any
// command -> text with the command's arguments, "help" when there are none, so typed
// commands ("/coach plan") work as if typed in the DM.
Inbound parse_slash_command(const std::map<std::string, std::string>& fields);
Inbound parse_slash_command(const nlohmann::json& payload);

// Undoes the three escapes Slack applies to message text (&lt; &gt; &amp;).
std::string decode_entities(std::string_view s);

// application/x-www-form-urlencoded: '+' is a space, then %XX. The first value of a
// repeated key wins; a malformed escape makes the whole body invalid (nullopt), since
// a half-decoded slash command is worse than none.
std::optional<std::map<std::string, std::string>> decode_form(std::string_view body);

// The JSON in the `payload` field of an HTTP interactivity request; nullopt when the
// body is not a form with a JSON object there.
std::optional<nlohmann::json> interactive_payload(std::string_view form_body);

// Slack's unsigned probe of a slash command URL: a form body with ssl_check=1. It
// gets an empty 200 before any signature check, and nothing else in it is used.
bool is_ssl_check(std::string_view content_type, std::string_view body);

}  // namespace adapters::slack
