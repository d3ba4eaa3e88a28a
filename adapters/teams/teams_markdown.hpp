#pragma once
// Our message markup in the Markdown Teams renders (teams.md §9.7, §10.2): *bold*
// becomes **bold**, _italic_ and `code` stay, "- " bullets stay a list, every line its
// own paragraph (Teams collapses a lone line break), Markdown headers become bold lines,
// fenced code keeps its lines. Pure functions; thread-safe.
#include <string>
#include <string_view>

namespace adapters::teams {

enum class MarkdownSource {
  ours,           // dialog text: Slack-style *bold*
  markdown_file,  // a Markdown document (the export): **bold** and # headers
};

// `escape_html`: text messages escape < and > outside code (user text must not turn
// into markup); card TextBlocks take no HTML at all, so they need no escaping.
// Appends s, with < and > escaped when `escape_html`.
void append_text(std::string& out, std::string_view s, bool escape_html);

std::string to_teams_markdown(std::string_view text, MarkdownSource source = MarkdownSource::ours,
                              bool escape_html = false);

}  // namespace adapters::teams
