#include "adapters/console/console_renderer.hpp"

namespace adapters::console {

std::string render_inline(std::string_view text, bool ansi) {
  std::string out;
  bool bold = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    // A marker only counts when it can open or close emphasis, so "5 * 3" survives.
    const bool opens = !bold && i + 1 < text.size() && text[i + 1] != ' ' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\n' || text[i - 1] == '(' || text[i - 1] == '"');
    const bool closes = bold && i > 0 && text[i - 1] != ' ';
    if ((ch == '*' || ch == '_') && (opens || closes)) {
      if (opens && text.find(ch, i + 1) == std::string_view::npos) {
        out += ch;
        continue;
      }
      bold = !bold;
      if (ansi) out += bold ? "\x1b[1m" : "\x1b[0m";
      continue;
    }
    if (ch == '`') continue;
    out += ch;
  }
  if (bold && ansi) out += "\x1b[0m";
  return out;
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
  for (std::size_t i = 0; i < m.buttons.size(); ++i) {
    out += indent + "[" + std::to_string(i + 1) + "] " + render_inline(m.buttons[i].label, o.ansi) + '\n';
  }
  if (m.form) {
    out += indent + render_inline(m.form->title, o.ansi) + " (I'll ask the fields one by one)\n";
  }
  return out;
}

}  // namespace adapters::console
