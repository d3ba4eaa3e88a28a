#include "adapters/slack/inbound.hpp"

#include <charconv>
#include <cstdint>
#include <string_view>
#include <vector>

#include "bot/json_fields.hpp"
#include "bot/text.hpp"

namespace adapters::slack {

namespace {

using nlohmann::json;

// Slack adds fields and sends null where a value is absent (org-wide installs, cleared
// selects), so every read checks the shape and falls back to "not there".
using bot::member;
using bot::object_at;
using bot::string_at;

bool truthy_at(const json& j, const char* key) {
  const json* m = member(j, key);
  return m && ((m->is_boolean() && m->get<bool>()) || (m->is_string() && m->get<std::string>() == "true"));
}

// A short stable digest (the same in every build and run, unlike std::hash), for a
// dedupe key that must not hold a whole form's answers.
std::string fnv1a_hex(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ULL;
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  char hex[16];
  const auto end = std::to_chars(hex, hex + sizeof hex, h, 16).ptr;
  return std::string(hex, end);
}

Inbound ignored(std::string reason, std::string event_type = {}) {
  Inbound in;
  in.kind = InboundKind::ignored;
  in.reason = std::move(reason);
  in.event_type = std::move(event_type);
  return in;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }


// One <...> token of Slack's markup, as a person would have typed it. User mentions
// stay as <@U…> because the id is the only reliable part (names change).
std::string render_token(std::string_view token) {
  const auto bar = token.find('|');
  const std::string_view target = token.substr(0, bar);
  const std::string_view label = bar == std::string_view::npos ? std::string_view{} : token.substr(bar + 1);
  if (starts_with(target, "@")) return "<" + decode_entities(target) + ">";
  if (starts_with(target, "#")) return label.empty() ? "<" + decode_entities(target) + ">" : "#" + decode_entities(label);
  if (starts_with(target, "!")) {
    if (!label.empty()) return decode_entities(label);  // dates, user groups: the fallback text
    const std::string_view special = target.substr(1);
    if (special == "here" || special == "channel" || special == "everyone") return "@" + std::string{special};
    return "<" + decode_entities(target) + ">";
  }
  if (starts_with(target, "mailto:")) return decode_entities(label.empty() ? target.substr(7) : label);
  // A link: the URL is what gets saved as evidence, whatever label Slack shows.
  return decode_entities(target);
}

// Slack's escaped, auto-linked text back to what the person typed.
std::string decode_user_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const auto open = s.find('<', i);
    if (open == std::string_view::npos) {
      out += decode_entities(s.substr(i));
      break;
    }
    out += decode_entities(s.substr(i, open - i));
    const auto close = s.find('>', open + 1);
    if (close == std::string_view::npos) {
      out += decode_entities(s.substr(open));
      break;
    }
    out += render_token(s.substr(open + 1, close - open - 1));
    i = close + 1;
  }
  return out;
}

// "<@U111> <@U222|bob> plan" -> "plan": the mention that brought the message to us.
std::string_view strip_leading_mentions(std::string_view s) {
  for (;;) {
    s = bot::trim(s);
    if (!starts_with(s, "<@")) return s;
    const auto close = s.find('>');
    if (close == std::string_view::npos) return s;
    s.remove_prefix(close + 1);
  }
}

std::string event_team(const json& body, const json& ev) {
  if (auto t = string_at(body, "team_id"); !t.empty()) return t;
  if (const json* auths = member(body, "authorizations"); auths && auths->is_array() && !auths->empty())
    if (auto t = string_at((*auths)[0], "team_id"); !t.empty()) return t;
  if (auto t = string_at(ev, "team"); !t.empty()) return t;
  return string_at(object_at(ev, "user"), "team_id");
}

std::string payload_team(const json& payload) {
  if (auto t = string_at(object_at(payload, "team"), "id"); !t.empty()) return t;
  if (auto t = string_at(object_at(payload, "user"), "team_id"); !t.empty()) return t;
  return string_at(object_at(payload, "view"), "team_id");
}

Inbound text_event(std::string team, std::string user, std::string conversation, std::string thread,
                   std::string text, std::string event_id, std::string event_type) {
  Inbound in;
  in.kind = InboundKind::event;
  in.event_type = std::move(event_type);
  in.event.from = bot::Identity{bot::Platform::slack, std::move(team), std::move(user)};
  in.event.kind = bot::EventKind::text;
  in.event.conversation = std::move(conversation);
  in.event.thread = std::move(thread);
  in.event.text = std::move(text);
  in.event.platform_event_id = std::move(event_id);
  return in;
}

// Shared by DMs and mentions: messages of bots (other apps, or our own posts echoed
// back) never reach the dialogs.
std::optional<std::string> bot_authored(const json& ev, const ParseContext& context) {
  if (const json* b = member(ev, "bot_id"); b && !b->is_null() && !(b->is_string() && b->get<std::string>().empty())) {
    const std::string id = b->is_string() ? b->get<std::string>() : b->dump();
    return (!context.bot_id.empty() && id == context.bot_id) ? "own message (bot_id " + id + ")"
                                                              : "message from a bot (bot_id " + id + ")";
  }
  const std::string user = string_at(ev, "user");
  if (!user.empty() && user == context.bot_user_id) return "own message (user " + user + ")";
  return std::nullopt;
}

Inbound parse_message(const json& body, const json& ev, const ParseContext& context) {
  const std::string type = "message";
  if (const json* sub = member(ev, "subtype"); sub && !sub->is_null())
    return ignored("message subtype " + (sub->is_string() ? sub->get<std::string>() : sub->dump()), type);
  if (truthy_at(ev, "hidden")) return ignored("hidden message", type);
  if (auto why = bot_authored(ev, context)) return ignored(*why, type);
  const std::string channel_type = string_at(ev, "channel_type");
  if (channel_type != "im")
    return ignored("message outside a DM (channel_type " + (channel_type.empty() ? "missing" : channel_type) + ")",
                   type);
  const std::string user = string_at(ev, "user");
  const std::string channel = string_at(ev, "channel");
  const std::string team = event_team(body, ev);
  if (user.empty()) return ignored("message without a user", type);
  if (channel.empty()) return ignored("message without a channel", type);
  if (team.empty()) return ignored("message without a team id", type);
  std::string text{bot::trim(decode_user_text(string_at(ev, "text")))};
  if (text.empty()) return ignored("message without text", type);
  return text_event(team, user, channel, string_at(ev, "thread_ts"), std::move(text), string_at(body, "event_id"),
                    type);
}

Inbound parse_mention(const json& body, const json& ev, const ParseContext& context) {
  const std::string type = "app_mention";
  if (auto why = bot_authored(ev, context)) return ignored(*why, type);
  const std::string user = string_at(ev, "user");
  const std::string channel = string_at(ev, "channel");
  const std::string team = event_team(body, ev);
  if (user.empty()) return ignored("app_mention without a user", type);
  if (channel.empty()) return ignored("app_mention without a channel", type);
  if (team.empty()) return ignored("app_mention without a team id", type);
  std::string text{bot::trim(decode_user_text(strip_leading_mentions(string_at(ev, "text"))))};
  // A bare "@coach" is a question about what the bot can do.
  if (text.empty()) text = "help";
  std::string thread = string_at(ev, "thread_ts");
  if (thread.empty()) thread = string_at(ev, "ts");
  return text_event(team, user, channel, std::move(thread), std::move(text), string_at(body, "event_id"), type);
}

Inbound parse_home_opened(const json& body, const json& ev) {
  const std::string type = "app_home_opened";
  const std::string user = string_at(ev, "user");
  const std::string team = event_team(body, ev);
  if (user.empty()) return ignored("app_home_opened without a user", type);
  if (team.empty()) return ignored("app_home_opened without a team id", type);
  std::string tab = string_at(ev, "tab");
  if (tab.empty()) tab = "home";
  if (tab != "home" && tab != "messages") return ignored("app_home_opened on unknown tab " + tab, type);
  Inbound in;
  in.kind = InboundKind::event;
  in.event_type = type;
  in.event.from = bot::Identity{bot::Platform::slack, team, user};
  in.event.kind = bot::EventKind::app_opened;
  in.event.action = tab;
  in.event.conversation = string_at(ev, "channel");
  in.event.platform_event_id = string_at(body, "event_id");
  return in;
}

Inbound parse_event_callback_unchecked(const json& body, const ParseContext& context) {
  if (!body.is_object()) return ignored("body is not a JSON object");
  const std::string type = string_at(body, "type");
  if (type == "url_verification") {
    Inbound in;
    in.event_type = type;
    in.challenge = string_at(body, "challenge");
    if (in.challenge.empty()) return ignored("url_verification without a challenge", type);
    in.kind = InboundKind::url_verification;
    return in;
  }
  if (type == "app_rate_limited") {
    const json* minute = member(body, "minute_rate_limited");
    return ignored("app_rate_limited: Slack dropped this app's events for the minute starting at " +
                       (minute ? minute->dump() : std::string{"?"}) +
                       " (over 30,000 deliveries per workspace per hour)",
                   type);
  }
  if (type != "event_callback") return ignored("unknown body type '" + type + "'", type);
  const json& ev = object_at(body, "event");
  const std::string event_type = string_at(ev, "type");
  if (event_type.empty()) return ignored("event_callback without an event type", type);
  if (event_type == "message") return parse_message(body, ev, context);
  if (event_type == "app_mention") return parse_mention(body, ev, context);
  if (event_type == "app_home_opened") return parse_home_opened(body, ev);
  if (event_type == "member_joined_channel") {
    const std::string user = string_at(ev, "user");
    return ignored(!user.empty() && user == context.bot_user_id
                       ? "member_joined_channel: the bot was added to " + string_at(ev, "channel") + " (no intro yet)"
                       : "member_joined_channel: channel greetings are not handled",
                   event_type);
  }
  if (event_type == "team_join") return ignored("team_join: new workspace members are not welcomed yet", event_type);
  return ignored("unhandled event type " + event_type, event_type);
}

// The value an element reports, whatever its type: Slack puts it in a different field
// per element (6.1/6.2 of the protocol notes); lists become comma-joined.
std::string element_value(const json& a) {
  const auto scalar = [](const json& v) -> std::string {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number() || v.is_boolean()) return v.dump();
    return {};
  };
  const auto list = [&](const json& arr, const char* inner) {
    std::vector<std::string> parts;
    if (arr.is_array())
      for (const auto& item : arr) parts.push_back(inner ? string_at(item, inner) : scalar(item));
    return bot::join(parts, ",");
  };
  if (const json* v = member(a, "value")) return scalar(*v);
  if (const json* v = member(a, "selected_option")) return string_at(*v, "value");
  if (const json* v = member(a, "selected_options")) return list(*v, "value");
  for (const char* key : {"selected_date", "selected_time", "selected_date_time", "selected_user",
                          "selected_conversation", "selected_channel"})
    if (const json* v = member(a, key)) return scalar(*v);
  for (const char* key : {"selected_users", "selected_conversations", "selected_channels"})
    if (const json* v = member(a, key)) return list(*v, nullptr);
  return {};
}

// The renderer makes action ids unique within a message as "<button id>#<index>".
std::string strip_index_suffix(std::string id) {
  const auto hash = id.rfind('#');
  if (hash == std::string::npos || hash + 1 == id.size()) return id;
  for (std::size_t i = hash + 1; i < id.size(); ++i)
    if (id[i] < '0' || id[i] > '9') return id;
  id.erase(hash);
  return id;
}

// Our section blocks hold the full text (the top-level text is a shortened fallback).
std::string clicked_message_text(const json& message) {
  std::vector<std::string> parts;
  if (const json* blocks = member(message, "blocks"); blocks && blocks->is_array())
    for (const auto& b : *blocks)
      if (string_at(b, "type") == "section")
        if (auto t = string_at(object_at(b, "text"), "text"); !t.empty()) parts.push_back(std::move(t));
  if (!parts.empty()) return bot::join(parts, "\n\n");
  return string_at(message, "text");
}

void fill_user(Inbound& in, const json& payload, std::string team, const std::string& user) {
  in.kind = InboundKind::event;
  in.event.from = bot::Identity{bot::Platform::slack, std::move(team), user};
  const json& u = object_at(payload, "user");
  in.event.display_name = string_at(u, "name");
  if (in.event.display_name.empty()) in.event.display_name = string_at(u, "username");
}

Inbound parse_block_actions(const json& payload) {
  const std::string type = "block_actions";
  const json* actions = member(payload, "actions");
  if (!actions || !actions->is_array() || actions->empty() || !(*actions)[0].is_object())
    return ignored("block_actions without actions", type);
  const json& action = (*actions)[0];
  const json& container = object_at(payload, "container");
  const json& view = object_at(payload, "view");
  if (string_at(container, "type") == "view" && string_at(view, "type") != "home")
    return ignored("action inside a modal (our modals hold only inputs)", type);

  const std::string user = string_at(object_at(payload, "user"), "id");
  const std::string team = payload_team(payload);
  if (user.empty()) return ignored("block_actions without a user", type);
  if (team.empty()) return ignored("block_actions without a team id", type);
  std::string action_id = strip_index_suffix(string_at(action, "action_id"));
  if (action_id.empty()) return ignored("block_actions without an action_id", type);

  Inbound in;
  in.event_type = type;
  fill_user(in, payload, team, user);
  in.event.kind = bot::EventKind::button;
  in.event.action = std::move(action_id);
  in.event.value = element_value(action);
  in.event.conversation = string_at(object_at(payload, "channel"), "id");
  if (in.event.conversation.empty()) in.event.conversation = string_at(container, "channel_id");
  in.trigger_id = string_at(payload, "trigger_id");
  const json& message = object_at(payload, "message");
  in.message_ts = string_at(container, "message_ts");
  if (in.message_ts.empty()) in.message_ts = string_at(message, "ts");
  in.message_text = clicked_message_text(message);
  in.clicked_label = string_at(object_at(action, "text"), "text");
  in.response_url = string_at(payload, "response_url");
  // A trigger id is unique per click; without one, the clicked message and the moment
  // of the click identify it just as well across redeliveries.
  if (!in.trigger_id.empty()) in.event.platform_event_id = "action:" + in.trigger_id;
  else if (auto ts = string_at(action, "action_ts"); !ts.empty())
    in.event.platform_event_id = "action:" + in.message_ts + ":" + ts;
  return in;
}

Inbound parse_view_submission(const json& payload) {
  const std::string type = "view_submission";
  const json& view = object_at(payload, "view");
  if (view.is_null()) return ignored("view_submission without a view", type);
  const std::string user = string_at(object_at(payload, "user"), "id");
  const std::string team = payload_team(payload);
  if (user.empty()) return ignored("view_submission without a user", type);
  if (team.empty()) return ignored("view_submission without a team id", type);
  std::string callback_id = string_at(view, "callback_id");
  if (callback_id.empty()) return ignored("view_submission without a callback_id", type);

  Inbound in;
  in.event_type = type;
  in.view_submission = true;
  fill_user(in, payload, team, user);
  in.event.kind = bot::EventKind::form_submit;
  in.event.action = std::move(callback_id);
  const json& values = object_at(object_at(view, "state"), "values");
  if (values.is_object())
    for (const auto& [block_id, block_actions] : values.items())
      if (block_actions.is_object() && !block_actions.empty())
        in.event.form_values[block_id] = element_value(block_actions.begin().value());
  // Only our own renderer's metadata means anything; other apps' strings are skipped.
  const auto metadata = json::parse(string_at(view, "private_metadata"), nullptr, false);
  if (!metadata.is_discarded()) in.event.conversation = string_at(metadata, "c");
  in.trigger_id = string_at(payload, "trigger_id");
  // Every submission has its own trigger id, and a redelivery repeats it. The view's
  // id and hash are not enough: a submission refused with inline errors leaves the view
  // as it was, so the corrected one that follows has the same id and hash.
  const std::string view_id = string_at(view, "id");
  const std::string hash = string_at(view, "hash");
  if (!in.trigger_id.empty()) in.event.platform_event_id = "view:" + in.trigger_id;
  else if (!view_id.empty() && !hash.empty())
    in.event.platform_event_id = "view:" + view_id + ":" + hash + ":" + fnv1a_hex(values.dump());
  return in;
}

Inbound parse_interactive_unchecked(const json& payload) {
  if (!payload.is_object()) return ignored("interactive payload is not a JSON object");
  const std::string type = string_at(payload, "type");
  if (type == "block_actions") return parse_block_actions(payload);
  if (type == "view_submission") return parse_view_submission(payload);
  if (type == "view_closed") return ignored("view_closed: nothing to do when a modal is dismissed", type);
  if (type == "shortcut" || type == "message_action")
    return ignored(type + " '" + string_at(payload, "callback_id") + "': shortcuts are not offered", type);
  return ignored("unhandled interactive type '" + type + "'", type);
}

}  // namespace

std::string decode_entities(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '&') {
      const std::string_view rest = s.substr(i);
      if (starts_with(rest, "&lt;")) { out += '<'; i += 3; continue; }
      if (starts_with(rest, "&gt;")) { out += '>'; i += 3; continue; }
      if (starts_with(rest, "&amp;")) { out += '&'; i += 4; continue; }
    }
    out += s[i];
  }
  return out;
}

Inbound parse_event_callback(const nlohmann::json& body, const ParseContext& context) {
  try {
    return parse_event_callback_unchecked(body, context);
  } catch (const nlohmann::json::exception& e) {
    return ignored(std::string{"malformed event body: "} + e.what());
  }
}

Inbound parse_interactive(const nlohmann::json& payload, const ParseContext&) {
  try {
    return parse_interactive_unchecked(payload);
  } catch (const nlohmann::json::exception& e) {
    return ignored(std::string{"malformed interactive payload: "} + e.what());
  }
}

Inbound parse_slash_command(const std::map<std::string, std::string>& fields) {
  const auto field = [&](const char* key) {
    const auto it = fields.find(key);
    return it == fields.end() ? std::string{} : it->second;
  };
  if (field("ssl_check") == "1") return ignored("ssl_check");
  const std::string command = field("command");
  if (command.empty()) return ignored("slash command without a command");
  const std::string user = field("user_id");
  const std::string team = field("team_id");
  if (user.empty()) return ignored("slash command without a user_id", command);
  if (team.empty()) return ignored("slash command without a team_id", command);
  std::string text{bot::trim(decode_user_text(field("text")))};
  if (text.empty()) text = "help";
  Inbound in = text_event(team, user, field("channel_id"), {}, std::move(text), {}, command);
  in.event.kind = bot::EventKind::command;
  in.event.action = command;
  in.event.display_name = field("user_name");
  in.trigger_id = field("trigger_id");
  in.response_url = field("response_url");
  if (!in.trigger_id.empty()) in.event.platform_event_id = "command:" + in.trigger_id;
  return in;
}

Inbound parse_slash_command(const nlohmann::json& payload) {
  if (!payload.is_object()) return ignored("slash command payload is not a JSON object");
  std::map<std::string, std::string> fields;
  for (const auto& [key, value] : payload.items())
    if (value.is_string()) fields[key] = value.get<std::string>();
  return parse_slash_command(fields);
}

std::optional<std::map<std::string, std::string>> decode_form(std::string_view body) {
  const auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  const auto decode = [&](std::string_view s) -> std::optional<std::string> {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '+') {
        out += ' ';
      } else if (s[i] == '%') {
        if (i + 2 >= s.size()) return std::nullopt;
        const int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
      } else {
        out += s[i];
      }
    }
    return out;
  };
  std::map<std::string, std::string> fields;
  std::size_t pos = 0;
  while (pos <= body.size()) {
    auto amp = body.find('&', pos);
    if (amp == std::string_view::npos) amp = body.size();
    const std::string_view pair = body.substr(pos, amp - pos);
    if (!pair.empty()) {
      const auto eq = pair.find('=');
      auto key = decode(pair.substr(0, eq));
      auto value = eq == std::string_view::npos ? std::optional<std::string>{std::string{}} : decode(pair.substr(eq + 1));
      if (!key || !value) return std::nullopt;
      fields.emplace(std::move(*key), std::move(*value));  // emplace keeps the first of a repeated key
    }
    pos = amp + 1;
  }
  return fields;
}

std::optional<nlohmann::json> interactive_payload(std::string_view form_body) {
  const auto fields = decode_form(form_body);
  if (!fields) return std::nullopt;
  const auto it = fields->find("payload");
  if (it == fields->end()) return std::nullopt;
  auto j = nlohmann::json::parse(it->second, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

bool is_ssl_check(std::string_view content_type, std::string_view body) {
  if (!bot::media_type_is(content_type, "application/x-www-form-urlencoded")) return false;
  const auto fields = decode_form(body);
  if (!fields) return false;
  const auto it = fields->find("ssl_check");
  return it != fields->end() && it->second == "1";
}

}  // namespace adapters::slack
