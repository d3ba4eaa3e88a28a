#include "adapters/console/console_renderer.hpp"

#include <cctype>

namespace adapters::console {

std::string render_inline(std::string_view text, bool ansi) {
  std::string out;
  char open = 0;  // the marker that opened the current emphasis, if any
  const auto boundary = [](char c) { return c == ' ' || c == '\n' || c == '(' || c == '"'; };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch == '`') continue;
    if (ch != '*' && ch != '_') {
      out += ch;
      continue;
    }
    // A marker opens emphasis only after a boundary, before a non-space, with a partner
    // later on; it closes only the emphasis its own kind opened. So "5 * 3" and
    // "America/New_York" inside "*...*" survive intact.
    const bool opens = !open && (i == 0 || boundary(text[i - 1])) && i + 1 < text.size() && text[i + 1] != ' ' &&
                       text.find(ch, i + 1) != std::string_view::npos;
    const bool closes = open == ch && i > 0 && text[i - 1] != ' ' && (i + 1 == text.size() || !std::isalnum(static_cast<unsigned char>(text[i + 1])));
    if (opens || closes) {
      open = opens ? ch : 0;
      if (ansi) out += opens ? "\x1b[1m" : "\x1b[0m";
      continue;
    }
    out += ch;
  }
  if (open && ansi) out += "\x1b[0m";
  return out;
}

bool keyed_by_value(const std::vector<bot::Button>& buttons) {
  if (buttons.empty()) return false;
  bool numbers = false;
  for (const auto& b : buttons) {
    // A Keep button among numbers (edit checkin) is typed as "keep", so that "5" stays 5.
    if (b.value == "keep") continue;
    if (b.value.empty() || b.value.size() > 4) return false;
    for (char ch : b.value)
      if (ch < '0' || ch > '9') return false;
    numbers = true;
  }
  return numbers;
}

std::string render(const bot::Message& m, const RenderOptions& o) {
  const std::string lead = o.speaker + " > ";
  const std::string indent(lead.size(), ' ');
  std::string out;
  bool first = true;
  for (const auto& s : m.sections) {
    if (s.text.empty()) continue;
    std::string_view rest = s.text;
    if (!first) out += '\n';
    while (true) {
      const auto nl = rest.find('\n');
      out += first ? lead : indent;
      first = false;
      out += render_inline(rest.substr(0, nl), o.ansi);
      out += '\n';
      if (nl == std::string_view::npos) break;
      rest.remove_prefix(nl + 1);
    }
  }
  if (first) out += lead + "\n";
  const bool by_value = keyed_by_value(m.buttons);
  for (std::size_t i = 0; i < m.buttons.size(); ++i) {
    const std::string key = by_value ? m.buttons[i].value : std::to_string(i + 1);
    out += indent + "[" + key + "] " + render_inline(m.buttons[i].label, o.ansi) + '\n';
  }
  if (m.form) {
    out += indent + render_inline(m.form->title, o.ansi) + " (I'll ask the fields one by one)\n";
  }
  return out;
}

}  // namespace adapters::console
