#include "bot/outbox_table.hpp"

#include <algorithm>
#include <string_view>

namespace bot {

namespace {

// Characters, not bytes, so that accented text lines up.
std::size_t width(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0u) != 0x80u) ++n;
  return n;
}

// One line, at most `max` characters (cut on a character boundary, "…" when cut):
// message text and platform errors may hold line breaks and be long.
std::string preview(std::string_view s, std::size_t max) {
  std::string out;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0u) != 0x80u && ++chars > max) {
      while (!out.empty() && out.back() == ' ') out.pop_back();
      return out + "…";
    }
    out += c < 0x20u || c == 0x7fu ? ' ' : s[i];
  }
  return out;
}

std::string pad(const std::string& cell, std::size_t to) { return cell + std::string(to - std::min(to, width(cell)), ' '); }

}  // namespace

std::string dead_letters_table(const std::vector<OutboxItem>& items, std::size_t total) {
  if (items.empty()) return "No dead messages.\n";
  const std::vector<std::string> titles{"id", "platform", "recipient", "attempts", "created", "last error", "text"};
  std::vector<std::vector<std::string>> rows;
  for (const auto& item : items) {
    rows.push_back({std::to_string(item.id.value), std::string{to_string(item.platform)}, preview(item.recipient_key, 40),
                    std::to_string(item.attempts), format_utc(item.created_at), preview(item.last_error, 60),
                    // A removal has no text of its own: say what it removes.
                    item.message.retracts ? "(delete message " + preview(*item.message.retracts, 40) + ")"
                                          : preview(item.message.plain_text(), kOutboxPreviewChars)});
  }
  std::vector<std::size_t> widths;
  for (const auto& t : titles) widths.push_back(width(t));
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size(); ++i) widths[i] = std::max(widths[i], width(r[i]));
  const auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out += "  ";
      out += pad(cells[i], widths[i]);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + '\n';
  };
  std::string out = line(titles);
  for (const auto& r : rows) out += line(r);
  if (total > items.size())
    out += std::to_string(total - items.size()) + " more not shown (oldest first; retry or raise --limit)\n";
  out += std::to_string(total) + (total == 1 ? " dead message" : " dead messages") +
         "; `coachbot outbox --retry ID` sends one again\n";
  return out;
}

}  // namespace bot
