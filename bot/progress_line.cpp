#include "bot/progress_line.hpp"

#include <algorithm>
#include <ostream>
#include <utility>

#include "bot/text.hpp"

namespace bot {

ProgressLine::ProgressLine(std::ostream& out, std::string label) : out_(out), label_(std::move(label)) {}

ProgressLine::~ProgressLine() { finish(); }

void ProgressLine::update(std::size_t done, std::size_t total) {
  if (total == 0) return;
  const int percent = static_cast<int>(std::min(done, total) * 100 / total);
  if (percent == shown_) return;
  shown_ = percent;
  out_ << '\r' << label_ << ' ' << progress_bar(percent) << std::flush;
}

void ProgressLine::finish() {
  if (shown_ < 0) return;
  // Carriage return, then "erase to end of line" (ANSI; every terminal we run on has it).
  out_ << "\r\x1b[K" << std::flush;
  shown_ = -1;
}

}  // namespace bot
