#include "bot/event.hpp"
#include "bot/ids.hpp"

namespace bot {

std::string_view to_string(Platform p) {
  switch (p) {
    case Platform::console: return "console";
    case Platform::slack: return "slack";
    case Platform::teams: return "teams";
  }
  return "unknown";
}

bool parse_platform(std::string_view s, Platform& out) {
  for (Platform p : {Platform::console, Platform::slack, Platform::teams}) {
    if (to_string(p) == s) {
      out = p;
      return true;
    }
  }
  return false;
}

std::string_view to_string(EventKind k) {
  switch (k) {
    case EventKind::text: return "text";
    case EventKind::button: return "button";
    case EventKind::form_submit: return "form_submit";
    case EventKind::command: return "command";
    case EventKind::member_joined: return "member_joined";
    case EventKind::app_opened: return "app_opened";
    case EventKind::install: return "install";
    case EventKind::timer: return "timer";
  }
  return "unknown";
}

}  // namespace bot
