#include "adapters/teams/teams_markdown.hpp"

#include <string>
#include <vector>

#include "bot/text.hpp"

namespace adapters::teams {

namespace {

bool word_char(char ch) {
  const auto u = static_cast<unsigned char>(ch);
  return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u >= 0x80;
}
bool space(char ch) { return ch == ' ' || ch == '\t'; }

// Where the single '*' opened at `open` is closed on this line, if it is: a lone '*'
// after a non-space and not before a letter. Code spans are skipped; "**" runs are
// never closers (they are bold already).
std::size_t find_closer(std::string_view line, std::size_t open) {
  for (std::size_t k = open + 1; k < line.size(); ++k) {
    if (line[k] == '`') {
      const auto close = line.find('`', k + 1);
      if (close == std::string_view::npos) return std::string_view::npos;
      k = close;
      continue;
    }
    if (line[k] != '*') continue;
    std::size_t run = k;
    while (run < line.size() && line[run] == '*') ++run;
    if (run - k > 1) {
      k = run - 1;
      continue;
    }
    if (k > open + 1 && !space(line[k - 1]) && (k + 1 == line.size() || !word_char(line[k + 1]))) return k;
  }
  return std::string_view::npos;
}

// One line's inline markup: `code` verbatim, our *bold* as **bold**, "**" runs (bold
// already, from text that went through here once) as they are, _italic_ unchanged
// (Teams uses the same marker). Text messages may carry HTML-ish markup that Teams
// interprets (teams.md §10.3), so there a user's "<b>" is escaped; cards show no HTML.
std::string inline_markup(std::string_view line, bool convert_bold, bool escape_html) {
  std::string out;
  out.reserve(line.size() + 8);
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char ch = line[i];
    if (ch == '`') {
      const auto close = line.find('`', i + 1);
      if (close != std::string_view::npos) {
        out.append(line.substr(i, close - i + 1));
        i = close;
        continue;
      }
    }
    if (ch == '*' && convert_bold) {
      std::size_t run = i;
      while (run < line.size() && line[run] == '*') ++run;
      if (run - i > 1) {
        out.append(line.substr(i, run - i));
        i = run - 1;
        continue;
      }
      const bool opens = i + 1 < line.size() && !space(line[i + 1]) && (i == 0 || !word_char(line[i - 1]));
      if (const auto close = opens ? find_closer(line, i) : std::string_view::npos; close != std::string_view::npos) {
        out += "**";
        append_text(out, line.substr(i + 1, close - i - 1), escape_html);
        out += "**";
        i = close;
        continue;
      }
    }
    append_text(out, line.substr(i, 1), escape_html);
  }
  return out;
}

// Markdown headers ("## Goals") are not rendered by Teams (teams.md §9.7, §10.2): they
// become bold lines, which is what a header looks like in a chat anyway.
std::string header_as_bold(std::string_view line, bool escape_html) {
  const auto body = line.find_first_not_of(' ');
  if (body == std::string_view::npos || line[body] != '#') return inline_markup(line, false, escape_html);
  std::size_t hashes = body;
  while (hashes < line.size() && line[hashes] == '#') ++hashes;
  if (hashes - body > 6 || hashes == line.size() || line[hashes] != ' ') return inline_markup(line, false, escape_html);
  const std::string_view title = bot::trim(line.substr(hashes));
  if (title.empty()) return {};
  return "**" + inline_markup(title, false, escape_html) + "**";
}

// Teams collapses a lone "\n" both in Markdown text messages (teams.md §10.2) and in
// TextBlocks (§9.7), where only "\n\n" reliably breaks. So every line of ours becomes
// its own paragraph: a little more spacing than in Slack, but no line ever runs into
// the next, and "- " bullets still form a list. Fenced code keeps its single breaks
// (a code block shows them as they are).
}  // namespace

void append_text(std::string& out, std::string_view s, bool escape_html) {
  for (char ch : s) {
    if (escape_html && ch == '<') out += "&lt;";
    else if (escape_html && ch == '>') out += "&gt;";
    else out += ch;
  }
}

std::string to_teams_markdown(std::string_view text, MarkdownSource source, bool escape_html) {
  std::string src = bot::sanitize_utf8(text);
  std::string normalised;
  normalised.reserve(src.size());
  for (std::size_t i = 0; i < src.size(); ++i) {
    if (src[i] == '\r') {
      normalised += '\n';
      if (i + 1 < src.size() && src[i + 1] == '\n') ++i;
    } else {
      normalised += src[i];
    }
  }
  std::vector<std::string> blocks;
  std::string fence;
  bool in_fence = false;
  std::size_t pos = 0;
  while (pos <= normalised.size()) {
    auto nl = normalised.find('\n', pos);
    if (nl == std::string::npos) nl = normalised.size();
    const std::string_view line = bot::trim_right(std::string_view{normalised}.substr(pos, nl - pos));
    pos = nl + 1;
    if (bot::trim(line).starts_with("```")) {
      if (!in_fence) {
        fence = std::string{bot::trim(line)};
      } else {
        fence += "\n```";
        blocks.push_back(std::move(fence));
        fence.clear();
      }
      in_fence = !in_fence;
      continue;
    }
    if (in_fence) {
      fence += "\n";
      fence += line;
      continue;
    }
    if (bot::is_blank(line)) continue;
    std::string converted =
        source == MarkdownSource::ours ? inline_markup(line, true, escape_html) : header_as_bold(line, escape_html);
    if (!converted.empty()) blocks.push_back(std::move(converted));
  }
  if (in_fence) blocks.push_back(fence + "\n```");  // an unclosed fence ends with the text
  return bot::join(blocks, "\n\n");
}

}  // namespace adapters::teams
