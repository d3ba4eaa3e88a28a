#pragma once
// Delivers queued messages from the outbox through a platform's Messenger: oldest
// first, marking each delivered only after the platform accepted it, retrying failures
// with jittered exponential backoff and parking a message as dead after
// max_attempts. Not thread-safe: run it on the thread that owns the Store.
#include <chrono>
#include <optional>
#include <random>
#include <string>

#include "bot/clock.hpp"
#include "bot/repositories.hpp"

namespace bot {

struct Delivery {
  enum class Outcome { delivered, retry, failed };
  Outcome outcome = Outcome::delivered;
  std::string error;                          // for retry and failed: logged and stored
  std::chrono::milliseconds retry_after{0};   // the platform's Retry-After, if it gave one

  static Delivery ok() { return {}; }
  static Delivery retry_later(std::string why, std::chrono::milliseconds after = {}) {
    return {Outcome::retry, std::move(why), after};
  }
  static Delivery failure(std::string why) { return {Outcome::failed, std::move(why), {}}; }
};

// A platform's way of showing a message to people. Adapters implement it.
class Messenger {
 public:
  virtual ~Messenger() = default;
  virtual Platform platform() const = 0;
  virtual Delivery deliver(const OutboxItem& item) = 0;
};

class OutboxSender {
 public:
  OutboxSender(Store& store, const Clock& clock, int max_attempts);
  // Delivers what is due on the messenger's platform; with `person`, only messages to
  // that person and channel posts. Returns how many were delivered.
  std::size_t drain(Messenger& messenger, std::optional<PersonId> person = std::nullopt);
  std::chrono::milliseconds backoff(int attempts);

 private:
  Store& store_;
  const Clock& clock_;
  int max_attempts_;
  std::minstd_rand jitter_{std::random_device{}()};
};

}  // namespace bot
