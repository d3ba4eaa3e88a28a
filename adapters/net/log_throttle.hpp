#pragma once
// Lets one log line of a kind through per interval and counts the ones held back, so
// that a flood of bad requests leaves a few lines that say how many there were, not a
// line each. Time is passed in, so tests need no clock. Not thread-safe: one per
// io_context thread.
#include <chrono>
#include <cstddef>
#include <optional>

namespace net {

class LogThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  explicit LogThrottle(Clock::duration every) : every_(every) {}

  // nullopt: leave this one out. Otherwise log it, with how many were left out since
  // the last one that went through.
  std::optional<std::size_t> admit(Clock::time_point now = Clock::now()) {
    if (logged_ && now - *logged_ < every_) {
      ++held_;
      return std::nullopt;
    }
    logged_ = now;
    const std::size_t held = held_;
    held_ = 0;
    return held;
  }

 private:
  Clock::duration every_;
  std::optional<Clock::time_point> logged_;
  std::size_t held_ = 0;
};

}  // namespace net
