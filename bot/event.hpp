#pragma once
// The platform-neutral inbound event. Every transport (Slack Socket Mode or HTTP,
// Teams activities, the terminal chat) ends in one of these; raw platform payloads
// stop at the adapter. Value type; safe to copy between threads.
#include <map>
#include <optional>
#include <string>

#include "bot/clock.hpp"
#include "bot/ids.hpp"

namespace bot {

// `timer`: the scheduler firing for a person (action: the schedule kind, value: the
// occurrence it is about).
enum class EventKind { text, button, form_submit, command, member_joined, app_opened, install, timer };

std::string_view to_string(EventKind k);

struct Event {
  Identity from;                 // platform + tenant + user id
  std::string display_name;      // as the platform knows it, for first contact
  std::optional<std::string> time_zone;  // from the platform, when it says
  // display_name and time_zone come from a lookup of the person's profile (Slack's
  // users.info) rather than from the event: they replace what was guessed before.
  bool profile = false;
  std::string conversation;      // platform conversation / channel id
  std::string thread;
  EventKind kind = EventKind::text;
  std::string text;              // text, or the command's arguments
  std::string action;            // button action id, form id, command name
  std::string value;             // button value
  std::map<std::string, std::string> form_values;
  std::string platform_event_id; // for dedupe; empty when the platform gives none
  std::string bot_user;          // the bot's own user id on the platform, where known
  Instant received_at{};
};

}  // namespace bot
