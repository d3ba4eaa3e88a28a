#pragma once
// Renders the neutral bot::Message as Teams activities: Markdown text messages, and
// Adaptive Cards (schema 1.5, Action.Submit everywhere) for buttons and forms. A card
// carries the message's text itself, because Teams splits an activity with both text
// and attachments into two messages and then gives no id to update. Form fields map to
// inputs with label, isRequired, maxLength, min/max and choices; refused answers
// (Form::errors) are shown under their fields. Everything is cut to stay under 28 KB,
// the size every Teams client accepts, with a note where something was cut.
// Pure functions; thread-safe.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "adapters/teams/teams_markdown.hpp"
#include "bot/message.hpp"

namespace adapters::teams {

inline constexpr std::size_t kMaxActivityBytes = 28 * 1024;

// The activity to POST (type, and either textFormat "markdown" + text, or summary +
// one adaptive card attachment). No from/conversation/recipient: the sender adds them.
// A message with buttons or a form (also a shortcut form: in Teams a card is always at
// hand) becomes a card; plain text stays text. An attachment (the export) is shown as
// text inside the message, cut to size with a note.
nlohmann::json render_activity(const bot::Message& message);

// The AdaptiveCard content for a message (what render_activity attaches, and what an
// adaptiveCard/action invoke answer carries).
nlohmann::json render_card(const bot::Message& message);

// The card after someone answered it, so it cannot be submitted twice: the message's
// text stays, buttons and inputs are gone, and `note` ("✓ Approve", "✓ Sent") is added
// at the end. The activity to PUT over the original.
nlohmann::json answered_activity(const bot::Message& original, std::string_view note);

}  // namespace adapters::teams
