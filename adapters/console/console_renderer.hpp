#pragma once
// Renders the Message model as terminal text: markdown emphasis as ANSI bold (or
// plain), sections as paragraphs, buttons as numbered choices. Pure; thread-safe.
#include <string>

#include "bot/message.hpp"

namespace adapters::console {

struct RenderOptions {
  bool ansi = false;          // bold via escape codes (only on a terminal)
  std::string speaker = "coach";
};

std::string render(const bot::Message& m, const RenderOptions& options);

// Buttons whose values are all whole numbers (weekdays 1-5, progress 25/50/75/100)
// are shown with their value as the number to type, so typing "30" at a progress
// question means 30 and not the thirtieth button; a Keep button among them is typed as
// "keep". Other buttons are numbered 1..N.
bool keyed_by_value(const std::vector<bot::Button>& buttons);

// "*bold* and `code`" without the markers (or with ANSI bold).
std::string render_inline(std::string_view text, bool ansi);

}  // namespace adapters::console
