#include "bot/message.hpp"

namespace bot {

std::string Message::plain_text() const {
  std::string out;
  for (const auto& s : sections) {
    if (s.text.empty()) continue;
    if (!out.empty()) out += "\n\n";
    out += s.text;
  }
  return out;
}

}  // namespace bot
