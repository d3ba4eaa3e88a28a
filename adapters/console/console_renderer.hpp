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

// "*bold* and `code`" without the markers (or with ANSI bold).
std::string render_inline(std::string_view text, bool ansi);

}  // namespace adapters::console
