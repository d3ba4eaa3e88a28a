#include "bot/outbox_sender.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace bot {

OutboxSender::OutboxSender(Store& store, const Clock& clock, int max_attempts)
    : store_(store), clock_(clock), max_attempts_(max_attempts) {}

std::chrono::milliseconds OutboxSender::backoff(int attempts) {
  using namespace std::chrono;
  const auto base = milliseconds{500} * (1LL << std::min(attempts, 13));  // caps near 68 min
  std::uniform_int_distribution<long long> spread(0, base.count() / 2);
  return base + milliseconds{spread(jitter_)};
}

std::size_t OutboxSender::drain(Messenger& messenger, std::optional<PersonId> person) {
  std::size_t delivered = 0;
  constexpr std::size_t kBatch = 64;
  for (;;) {
    const auto items = store_.outbox().due(messenger.platform(), person, clock_.now(), kBatch);
    if (items.empty()) break;
    std::size_t progressed = 0;
    for (const auto& item : items) {
      const Delivery d = messenger.deliver(item);
      auto tx = store_.begin();
      switch (d.outcome) {
        case Delivery::Outcome::delivered:
          store_.outbox().mark_delivered(item.id, clock_.now());
          ++delivered;
          ++progressed;
          break;
        case Delivery::Outcome::retry:
          if (item.attempts + 1 >= max_attempts_) {
            store_.outbox().mark_dead(item.id, d.error);
            ++progressed;
            spdlog::error("outbox: message {} gave up after {} attempts: {}", item.id.value, item.attempts + 1, d.error);
          } else {
            const auto wait = std::max(backoff(item.attempts), d.retry_after);
            store_.outbox().mark_retry(item.id, d.error, clock_.now() + wait);
            spdlog::warn("outbox: message {} will be retried in {} ms: {}", item.id.value, wait.count(), d.error);
          }
          break;
        case Delivery::Outcome::failed:
          store_.outbox().mark_dead(item.id, d.error);
          ++progressed;
          spdlog::error("outbox: message {} cannot be delivered: {}", item.id.value, d.error);
          break;
      }
      tx->commit();
    }
    // Delivering (or giving up on) a message releases the next one to the same
    // recipient, so go again; stop when a batch settled nothing, so one failing
    // recipient cannot spin here.
    if (progressed == 0) break;
  }
  return delivered;
}

}  // namespace bot
