#pragma once
// Delivers queued messages from the outbox through a platform's Messenger: oldest
// first per recipient, marking each delivered only after the platform accepted it,
// paced by the platform's rate limits, retrying failures with jittered exponential
// backoff (or the platform's Retry-After, for that recipient only) and parking a
// message as dead after max_attempts. Not thread-safe: run it on the thread that owns
// the Store.
#include <chrono>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "bot/clock.hpp"
#include "bot/repositories.hpp"

namespace bot {

struct Delivery {
  enum class Outcome { delivered, retry, failed };
  Outcome outcome = Outcome::delivered;
  std::string error;                          // for retry and failed: logged and stored
  std::chrono::milliseconds retry_after{0};   // the platform's Retry-After, if it gave one
  std::optional<std::string> platform_ref;    // delivered: the platform's id for the message
  // retry: false when the message is not at fault (a rate limit, a token that does not
  // work): the attempt does not bring it closer to being given up on.
  bool counted = true;
  // Nothing goes to the platform for this long: a revoked token fails every message
  // the same way, so they wait instead of each being tried and parked.
  std::chrono::milliseconds pause_platform{0};

  static Delivery ok(std::optional<std::string> ref = std::nullopt) {
    Delivery d;
    d.platform_ref = std::move(ref);
    return d;
  }
  static Delivery retry_later(std::string why, std::chrono::milliseconds after = {}) {
    Delivery d;
    d.outcome = Outcome::retry;
    d.error = std::move(why);
    d.retry_after = after;
    return d;
  }
  // A rate limit on this message's recipient: again after `after`, not counted.
  static Delivery held(std::string why, std::chrono::milliseconds after) {
    Delivery d = retry_later(std::move(why), after);
    d.counted = false;
    return d;
  }
  // The platform cannot be used at all now: every message on it waits `pause`.
  static Delivery platform_unusable(std::string why, std::chrono::milliseconds pause) {
    Delivery d = held(std::move(why), pause);
    d.pause_platform = pause;
    return d;
  }
  static Delivery failure(std::string why) {
    Delivery d;
    d.outcome = Outcome::failed;
    d.error = std::move(why);
    return d;
  }
};

// How fast a platform lets us post. Each is a token bucket: `burst` messages at once,
// then one per interval; a zero interval means no limit. Per recipient means per
// person's DM, channel or thread (OutboxItem::recipient_key).
struct RateLimits {
  std::chrono::milliseconds per_recipient_interval{1000};
  int burst = 3;
  std::chrono::milliseconds per_platform_interval{0};
  int platform_burst = 20;

  static RateLimits none() {
    RateLimits r;
    r.per_recipient_interval = std::chrono::milliseconds{0};
    r.per_platform_interval = std::chrono::milliseconds{0};
    return r;
  }
};

// A platform's way of showing a message to people. Adapters implement it. An item
// with `replaces` set should edit that message (Slack chat.update) rather than post.
class Messenger {
 public:
  virtual ~Messenger() = default;
  virtual Platform platform() const = 0;
  virtual Delivery deliver(const OutboxItem& item) = 0;
  virtual RateLimits limits() const { return RateLimits::none(); }
};

class OutboxSender {
 public:
  OutboxSender(Store& store, const Clock& clock, int max_attempts);
  // Delivers what is due on the messenger's platform; with `person`, only messages to
  // that person and channel posts. A message its rate limits hold back stays pending
  // without using up an attempt, and other recipients' messages still go. Returns how
  // many were delivered.
  std::size_t drain(Messenger& messenger, std::optional<PersonId> person = std::nullopt);
  // After drain(): when what it left pending on that platform can next go (a rate
  // limit refilling, or a retry coming due), so a service loop can sleep until then;
  // nullopt when nothing is waiting. Messages queued later are not included: whoever
  // queues one drains again.
  std::optional<Instant> next_due() const { return next_due_; }
  std::chrono::milliseconds backoff(int attempts);

  // The same in two halves, for adapters that keep many deliveries in flight: take()
  // returns up to `max` messages that may go now (rate-limit tokens taken), skipping
  // the ids in `in_flight`, which are still pending in the store; settle() records how
  // their deliveries went, all in one transaction, and returns how many were settled
  // for good (delivered or dead). A recipient's next message is only due once the one
  // before it is settled, so order per recipient holds. Afterwards refresh_next_due()
  // tells when what is waiting can go.
  std::vector<OutboxItem> take(Platform platform, const RateLimits& limits, const std::set<OutboxId>& in_flight,
                               std::size_t max, std::optional<PersonId> person = std::nullopt);
  std::size_t settle(const std::vector<std::pair<OutboxItem, Delivery>>& results);
  std::optional<Instant> refresh_next_due(Platform platform);
  // After take(): when a rate limit lets the next message go, if one held any back.
  std::optional<Instant> held() const { return held_; }

 private:
  // When a pause of the platform ends, while it lasts.
  std::optional<Instant> paused_until(Platform platform, Instant now) const;
  // Records one outcome; true when the message is settled for good.
  bool record(const OutboxItem& item, const Delivery& d);
  // A message whose row an erasure deleted while it was on its way: queues its removal.
  void take_back(const OutboxItem& item, const Delivery& d);

  // Token buckets kept as the time the bucket would be full again (the "theoretical
  // arrival time" of GCRA): one number per key, and a key whose time has passed is the
  // same as no key, so idle recipients are forgotten.
  static Instant ready_at(const std::map<std::string, Instant>& buckets, const std::string& key,
                          std::chrono::milliseconds interval, int burst, Instant now);
  static void take(std::map<std::string, Instant>& buckets, const std::string& key,
                   std::chrono::milliseconds interval, Instant now);

  Store& store_;
  const Clock& clock_;
  int max_attempts_;
  std::minstd_rand jitter_{std::random_device{}()};
  std::map<std::string, Instant> recipient_buckets_;  // "slack person:12"
  std::map<std::string, Instant> platform_buckets_;   // "slack"
  // A platform nothing can be delivered to until `until`; after that one message goes
  // alone, and the others follow once it did not ask for another pause.
  struct Pause {
    Instant until;
    bool reported = false;  // the pause was logged as an error once
  };
  std::map<Platform, Pause> paused_;
  std::optional<Instant> next_due_;
  std::optional<Instant> held_;  // from the last take(): when a rate limit lets the next go
  // The clock when take() last looked: retries due by then were taken or are in flight;
  // later ones are what refresh_next_due() waits for, even if they fell due since.
  Instant looked_at_{};
  Instant pruned_at_{};           // when full buckets were last forgotten
};

}  // namespace bot
