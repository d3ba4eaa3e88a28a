#include "adapters/teams/activity.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <optional>
#include <string_view>

#include "bot/json_fields.hpp"
#include "bot/text.hpp"

namespace adapters::teams {

namespace {

using nlohmann::json;

constexpr std::string_view kThreadMarker = ";messageid=";

// Anything may be absent and unknown fields come and go (teams.md §3), so every read
// checks the shape and falls back to "not there".
using bot::member;
using bot::object_at;
using bot::string_at;

// Takes the Inbound by reference so that a reason built from its fields is complete
// before anything is moved (argument evaluation order is unspecified).
Inbound ignored(Inbound& in, std::string reason) {
  in.kind = InboundKind::ignored;
  in.reason = std::move(reason);
  return std::move(in);
}

// The clientInfo entity: Teams' second source of the locale and time zone, present
// on activities that carry no localTimezone.
const json& client_info(const json& activity) {
  static const json none;
  if (const json* entities = member(activity, "entities"); entities && entities->is_array())
    for (const auto& e : *entities)
      if (string_at(e, "type") == "clientInfo") return e;
  return none;
}

ConversationInfo conversation_of(const json& activity) {
  const json& conversation = object_at(activity, "conversation");
  const json& from = object_at(activity, "from");
  const json& channel_data = object_at(activity, "channelData");
  ConversationInfo c;
  c.tenant = string_at(conversation, "tenantId");
  if (c.tenant.empty()) c.tenant = string_at(object_at(channel_data, "tenant"), "id");
  c.id = string_at(conversation, "id");
  c.type = string_at(conversation, "conversationType");
  c.service_url = string_at(activity, "serviceUrl");
  c.user_id = string_at(from, "id");
  c.user_aad = string_at(from, "aadObjectId");
  c.user_name = string_at(from, "name");
  c.bot_id = string_at(object_at(activity, "recipient"), "id");
  c.team_id = string_at(object_at(channel_data, "team"), "id");
  c.channel_id = string_at(object_at(channel_data, "channel"), "id");
  // Only a channel conversation is a channel: the fallback must not turn a personal
  // chat's "a:…" id into a channel id.
  if (c.channel_id.empty() && (c.type == "channel" || c.id.find(kThreadMarker) != std::string::npos))
    c.channel_id = c.id.substr(0, c.id.find(kThreadMarker));
  c.locale = string_at(activity, "locale");
  if (c.locale.empty()) c.locale = string_at(client_info(activity), "locale");
  return c;
}

bool is_channel(const ConversationInfo& c) { return c.type == "channel"; }

// Where people other than the one writing see the conversation: there the bot hears
// only what @mentions it, and coaching answers go to the 1:1 chat instead.
bool is_shared(const ConversationInfo& c, const json& activity) {
  if (c.type == "channel" || c.type == "groupChat") return true;
  const json* group = member(object_at(activity, "conversation"), "isGroup");
  return group && group->is_boolean() && group->get<bool>();
}

// Identity, names, time zone and where to answer: the same for every event kind.
void fill_event(Inbound& in, const json& activity) {
  const ConversationInfo& c = in.conversation;
  bot::Event& e = in.event;
  // 29: ids are per bot; the AAD object id is the person (teams.md §12.9). The
  // playground's users have one too; an emulator's may not.
  e.from = bot::Identity{bot::Platform::teams, c.tenant, c.user_aad.empty() ? c.user_id : c.user_aad};
  e.display_name = c.user_name;
  if (auto tz = string_at(activity, "localTimezone"); !tz.empty()) e.time_zone = std::move(tz);
  else if (auto info_tz = string_at(client_info(activity), "timezone"); !info_tz.empty()) e.time_zone = std::move(info_tz);
  e.conversation = c.id;
  if (is_channel(c)) {
    e.conversation = c.channel_id;
    if (const auto marker = c.id.find(kThreadMarker); marker != std::string::npos)
      e.thread = c.id.substr(marker + kThreadMarker.size());
  }
  if (!in.activity_id.empty()) e.platform_event_id = c.id + "|" + in.activity_id;
}

// What the person needs for any event: without them nothing can be stored for anyone.
std::string missing_identity(const ConversationInfo& c) {
  if (c.user_id.empty()) return "no from.id";
  if (c.tenant.empty()) return "no tenant id";
  if (c.id.empty()) return "no conversation id";
  return {};
}

// The few entities people and Teams put into message text (teams.md §3.3). A no-break
// space becomes a plain one: Teams puts one after a mention, and "check&nbsp;in" must
// still read as a command.
std::string decode_entities(std::string_view s) {
  static constexpr std::pair<std::string_view, std::string_view> kEntities[] = {
      {"&nbsp;", " "}, {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&apos;", "'"},
  };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '&') {
      bool matched = false;
      for (const auto& [entity, text] : kEntities) {
        if (s.substr(i, entity.size()) == entity) {
          out += text;
          i += entity.size();
          matched = true;
          break;
        }
      }
      if (matched) continue;
    }
    // A raw U+00A0 is the same space as &nbsp;, and bot::trim would keep it.
    if (s.substr(i, 2) == "\xC2\xA0") {
      out += ' ';
      i += 2;
      continue;
    }
    out += s[i++];
  }
  return out;
}

void erase_all(std::string& s, std::string_view what) {
  if (what.empty()) return;
  // Past the space put in: a `what` that is itself a space must not be found again.
  for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) s.replace(at, what.size(), " ");
}

// Removes the <at>…</at> spans that mention the bot. Mentions of other people stay:
// they are part of what was said ("kudos <at>Megan</at>").
std::string without_bot_mentions(std::string text, const json& activity, const std::string& bot_id) {
  const json* entities = member(activity, "entities");
  if (bot_id.empty() || !entities || !entities->is_array()) return text;
  for (const auto& e : *entities) {
    if (string_at(e, "type") != "mention") continue;
    const json& mentioned = object_at(e, "mentioned");
    if (string_at(mentioned, "id") != bot_id) continue;
    std::string span = string_at(e, "text");
    if (span.empty()) {
      const std::string name = string_at(mentioned, "name");
      if (name.empty()) continue;
      span = "<at>" + name + "</at>";
    }
    erase_all(text, span);
  }
  return text;
}

// Card inputs come back as strings from Teams clients (teams.md §9.3), but data we put
// there and crafted requests may hold numbers or booleans: the dialogs get text either
// way, "5" rather than "5.0" for a whole number.
std::optional<std::string> scalar_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return v.dump();
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) < 1e15) return std::to_string(static_cast<long long>(d));
    return v.dump();
  }
  return std::nullopt;
}

bool is_our_key(const std::string& key) {
  return key == kKindKey || key == kActionKey || key == kValueKey || key == kLabelKey || key == kFormKey ||
         key == "msteams";
}

// The merged data + inputs of one of our cards' Action.Submit / Action.Execute.
Inbound card_submit(Inbound in, const json& data, const json& activity) {
  in.card_submit = true;
  if (auto why = missing_identity(in.conversation); !why.empty()) return ignored(in, "card submit with " + why);
  const std::string kind = string_at(data, kKindKey);
  if (kind.empty()) return ignored(in, "card submit without cb_kind: not one of our cards");
  fill_event(in, activity);
  if (kind == "button") {
    std::string action = string_at(data, kActionKey);
    if (action.empty()) return ignored(in, "button submit without cb_action");
    in.event.kind = bot::EventKind::button;
    in.event.action = std::move(action);
    if (const json* v = member(data, kValueKey)) in.event.value = scalar_text(*v).value_or("");
    in.clicked_label = string_at(data, kLabelKey);
  } else if (kind == "form") {
    std::string form = string_at(data, kFormKey);
    if (form.empty()) return ignored(in, "form submit without cb_form");
    in.event.kind = bot::EventKind::form_submit;
    in.event.action = std::move(form);
    for (const auto& [key, value] : data.items()) {
      if (is_our_key(key)) continue;
      if (auto text = scalar_text(value)) in.event.form_values[key] = std::move(*text);
    }
  } else {
    return ignored(in, "card submit with unknown cb_kind '" + kind + "'");
  }
  in.kind = InboundKind::event;
  return in;
}

Inbound message(Inbound in, const json& activity) {
  if (const json* value = member(activity, "value"); value && !value->is_null()) {
    if (!value->is_object()) return ignored(in, "message value is not an object");
    return card_submit(std::move(in), *value, activity);
  }
  if (auto why = missing_identity(in.conversation); !why.empty()) return ignored(in, "message with " + why);
  // Rich messages also carry an HTML copy in attachments; `text` is what was typed.
  std::string text = without_bot_mentions(string_at(activity, "text"), activity, in.conversation.bot_id);
  text = std::string{bot::trim(decode_entities(text))};
  if (text.empty()) {
    // In a channel the bot hears only an @mention: a bare one asks what it can do.
    if (!in.from_channel) return ignored(in, "message without text (a file or an image)");
    text = "help";
  }
  fill_event(in, activity);
  in.event.kind = bot::EventKind::text;
  in.event.text = std::move(text);
  in.kind = InboundKind::event;
  return in;
}

Inbound invoke(Inbound in, const json& activity) {
  in.invoke = true;
  in.invoke_name = string_at(activity, "name");
  if (in.invoke_name != "adaptiveCard/action")
    return ignored(in, "invoke '" + in.invoke_name + "' is not handled");
  const json& data = object_at(object_at(object_at(activity, "value"), "action"), "data");
  if (data.is_null()) return ignored(in, "adaptiveCard/action without value.action.data");
  return card_submit(std::move(in), data, activity);
}

bool holds(const json& activity, const char* list, const std::string& id) {
  const json* members = member(activity, list);
  if (id.empty() || !members || !members->is_array()) return false;
  for (const auto& m : *members)
    if (string_at(m, "id") == id) return true;
  return false;
}

// The UTC day of an ISO 8601 timestamp ("2026-11-22T06:50:56.845Z", or with an offset);
// empty when it does not parse.
std::string utc_day(std::string_view ts) {
  const auto digits = [&](std::size_t at, std::size_t n, int& out) {
    if (at + n > ts.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (ts[i] < '0' || ts[i] > '9') return false;
      out = out * 10 + (ts[i] - '0');
    }
    return true;
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  if (!digits(0, 4, y) || ts.size() < 16 || ts[4] != '-' || !digits(5, 2, mo) || ts[7] != '-' || !digits(8, 2, d) ||
      (ts[10] != 'T' && ts[10] != ' ') || !digits(11, 2, h) || ts[13] != ':' || !digits(14, 2, mi))
    return {};
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return {};
  // The offset is whatever follows the time: Z, or ±HH:MM after the seconds.
  int offset_minutes = 0;
  const auto sign = ts.find_first_of("+-", 16);
  if (sign != std::string_view::npos) {
    int oh = 0, om = 0;
    if (!digits(sign + 1, 2, oh)) return {};
    const std::size_t minutes_at = sign + 3 < ts.size() && ts[sign + 3] == ':' ? sign + 4 : sign + 3;
    if (minutes_at < ts.size() && !digits(minutes_at, 2, om)) return {};
    offset_minutes = (ts[sign] == '-' ? -1 : 1) * (oh * 60 + om);
  }
  const auto local = std::chrono::sys_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi};
  const std::chrono::year_month_day utc{std::chrono::floor<std::chrono::days>(local - std::chrono::minutes{offset_minutes})};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(utc.year()), static_cast<unsigned>(utc.month()),
                static_cast<unsigned>(utc.day()));
  return buf;
}

// The bot arrived here. In a personal chat that is someone to greet; in a team or
// group chat only the conversation is worth remembering (nobody asked for coaching).
Inbound installed(Inbound in, const json& activity) {
  in.bot_membership = Membership::installed;
  ConversationInfo& c = in.conversation;
  if (c.type != "personal" && !c.type.empty())
    return ignored(in, "installed in a " + c.type + ": no greeting there");
  // A conversationUpdate may come from the service rather than the person: the person
  // is then the other member added with the bot.
  if (c.user_id.empty() || c.user_id == c.bot_id) {
    if (const json* added = member(activity, "membersAdded"); added && added->is_array())
      for (const auto& m : *added)
        if (auto id = string_at(m, "id"); !id.empty() && id != c.bot_id) {
          c.user_id = id;
          c.user_aad = string_at(m, "aadObjectId");
          c.user_name = string_at(m, "name");
          break;
        }
  }
  if (c.user_id == c.bot_id) c.user_id.clear();
  if (auto why = missing_identity(c); !why.empty()) return ignored(in, "install with " + why);
  fill_event(in, activity);
  in.event.kind = bot::EventKind::install;
  // Teams sends an installationUpdate and a conversationUpdate for one install: the
  // same id for both (per day, so that a reinstall next month greets again).
  const std::string day = utc_day(string_at(activity, "timestamp"));
  if (!day.empty()) in.event.platform_event_id = "install|" + c.id + "|" + day;
  in.kind = InboundKind::event;
  return in;
}

Inbound parse_unchecked(const json& activity) {
  Inbound in;
  if (!activity.is_object()) return ignored(in, "activity is not a JSON object");
  in.activity_type = string_at(activity, "type");
  in.activity_id = string_at(activity, "id");
  in.reply_to_id = string_at(activity, "replyToId");
  in.conversation = conversation_of(activity);
  in.from_channel = is_shared(in.conversation, activity);
  const std::string& type = in.activity_type;
  if (type.empty()) return ignored(in, "activity without a type");
  const ConversationInfo& c = in.conversation;

  if (type == "installationUpdate") {
    const std::string action = string_at(activity, "action");
    if (action == "add") return installed(std::move(in), activity);
    if (action == "add-upgrade") {
      // A new version of the app, pushed by an admin to everyone who has it: the chat
      // is remembered (its service URL may have moved), but nobody is greeted again.
      in.bot_membership = Membership::installed;
      return ignored(in, "add-upgrade: a new version of the app, nobody is greeted");
    }
    if (action == "remove") {
      in.bot_membership = Membership::removed;
      return ignored(in, "the app was removed from this conversation");
    }
    // remove-upgrade: the old version making way for a new one, not a goodbye.
    return ignored(in, "installationUpdate action '" + action + "'");
  }
  if (type == "conversationUpdate") {
    if (holds(activity, "membersRemoved", c.bot_id)) {
      in.bot_membership = Membership::removed;
      return ignored(in, "the bot was removed from this conversation");
    }
    if (holds(activity, "membersAdded", c.bot_id)) return installed(std::move(in), activity);
    const std::string event_type = string_at(object_at(activity, "channelData"), "eventType");
    return ignored(in, "conversationUpdate" + (event_type.empty() ? "" : " " + event_type) +
                                      " without the bot joining or leaving");
  }
  // Teams echoes nothing back today, but a loop would be endless if it ever did.
  if (!c.bot_id.empty() && c.user_id == c.bot_id) return ignored(in, "own " + type + " activity");
  if (type == "message") return message(std::move(in), activity);
  if (type == "invoke") return invoke(std::move(in), activity);
  if (type == "typing") return ignored(in, "typing indicator");
  if (type == "messageReaction") return ignored(in, "reactions are not handled");
  if (type == "messageUpdate" || type == "messageDelete")
    return ignored(in, type + ": edits and deletions are not re-processed");
  if (type == "event") return ignored(in, "event '" + string_at(activity, "name") + "' is not handled");
  return ignored(in, "unhandled activity type '" + type + "'");
}

}  // namespace

Inbound parse_activity(const nlohmann::json& activity) {
  try {
    return parse_unchecked(activity);
  } catch (const std::exception& e) {
    Inbound in;
    in.reason = std::string{"malformed activity: "} + e.what();
    return in;
  }
}

}  // namespace adapters::teams
