#pragma once
// Time is injected so that dialogs, the engine and (later) the scheduler can be tested
// without sleeping. SystemClock is stateless and thread-safe; ManualClock is for tests
// and must be advanced from the thread that reads it.
#include <chrono>
#include <cstdint>
#include <string>

namespace bot {

using Instant = std::chrono::sys_time<std::chrono::milliseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Instant now() const override;
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(Instant start) : now_(start) {}
  Instant now() const override { return now_; }
  void set(Instant t) { now_ = t; }
  void advance(std::chrono::milliseconds d) { now_ += d; }

 private:
  Instant now_;
};

inline std::int64_t to_unix_ms(Instant t) { return t.time_since_epoch().count(); }
// "2026-09-14T08:00:00Z"; ".mmm" before the 'Z' only when the milliseconds are not zero.
std::string format_utc(Instant t);

inline Instant from_unix_ms(std::int64_t ms) { return Instant{std::chrono::milliseconds{ms}}; }

}  // namespace bot
