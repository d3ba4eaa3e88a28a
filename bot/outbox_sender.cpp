#include "bot/outbox_sender.hpp"

#include <algorithm>
#include <limits>

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

Instant OutboxSender::ready_at(const std::map<std::string, Instant>& buckets, const std::string& key,
                               std::chrono::milliseconds interval, int burst, Instant now) {
  if (interval <= std::chrono::milliseconds::zero()) return now;
  const auto it = buckets.find(key);
  if (it == buckets.end()) return now;
  // A full bucket lets `burst` go at once: the next one may go as soon as the bucket
  // is at most burst - 1 intervals from full.
  return std::max(now, it->second - interval * (std::max(burst, 1) - 1));
}

void OutboxSender::take(std::map<std::string, Instant>& buckets, const std::string& key,
                        std::chrono::milliseconds interval, Instant now) {
  if (interval <= std::chrono::milliseconds::zero()) return;
  Instant& full_at = buckets.try_emplace(key, now).first->second;
  full_at = std::max(full_at, now) + interval;
}

std::optional<Instant> OutboxSender::paused_until(Platform platform, Instant now) const {
  const auto p = paused_.find(platform);
  if (p == paused_.end() || p->second.until <= now) return std::nullopt;
  return p->second.until;
}

std::vector<OutboxItem> OutboxSender::take(Platform platform, const RateLimits& limits,
                                           const std::set<OutboxId>& in_flight, std::size_t max,
                                           std::optional<PersonId> person) {
  const std::string platform_key{to_string(platform)};
  const Instant now = clock_.now();
  // Forgetting full buckets walks them all: do it once a second, not on every call
  // (an adapter with many deliveries in flight calls this after each one).
  if (now - pruned_at_ >= std::chrono::seconds{1}) {
    std::erase_if(recipient_buckets_, [now](const auto& b) { return b.second <= now; });
    std::erase_if(platform_buckets_, [now](const auto& b) { return b.second <= now; });
    pruned_at_ = now;
  }
  held_.reset();
  looked_at_ = now;
  if (const auto until = paused_until(platform, now)) {
    held_ = until;
    return {};
  }
  if (paused_.contains(platform)) {
    // The pause is over: one message tries whether the platform works again, and the
    // rest wait for its outcome.
    if (!in_flight.empty()) return {};
    max = std::min<std::size_t>(max, 1);
  }
  std::vector<OutboxItem> out;
  // One read transaction for all the reads: each statement on its own would take and
  // drop the file's locks (several fcntl calls) every time.
  auto tx = store_.begin_read();
  constexpr std::size_t kBatch = 64;
  // One pass over the first message of every recipient. Paging by id goes past
  // messages held back, so a page full of rate-limited recipients cannot hide the
  // ones behind it.
  OutboxId after{0};
  while (out.size() < max) {
    const auto heads = store_.outbox().due_heads(platform, person, now, kBatch, after);
    if (heads.empty()) break;
    after = heads.back().id;
    for (const auto& head : heads) {
      if (in_flight.contains(head.id)) continue;
      const Instant platform_ready =
          ready_at(platform_buckets_, platform_key, limits.per_platform_interval, limits.platform_burst, now);
      if (platform_ready > now) {
        // Nobody else can go either; what else is due waits for the same refill.
        held_ = held_ ? std::min(*held_, platform_ready) : platform_ready;
        return out;
      }
      const std::string key = platform_key + ' ' + head.recipient_key;
      const Instant ready = ready_at(recipient_buckets_, key, limits.per_recipient_interval, limits.burst, now);
      if (ready > now) {
        held_ = held_ ? std::min(*held_, ready) : ready;
        continue;
      }
      auto item = store_.outbox().due_item(head.id);
      if (!item) continue;
      // The platform counts requests, not successes: a failed attempt uses a token.
      take(platform_buckets_, platform_key, limits.per_platform_interval, now);
      take(recipient_buckets_, key, limits.per_recipient_interval, now);
      out.push_back(std::move(*item));
      if (out.size() >= max) break;
    }
  }
  return out;
}

bool OutboxSender::record(const OutboxItem& item, const Delivery& d) {
  switch (d.outcome) {
    case Delivery::Outcome::delivered:
      if (!store_.outbox().mark_delivered(item.id, clock_.now(), d.platform_ref)) take_back(item, d);
      return true;
    case Delivery::Outcome::retry:
      if (!d.counted) {
        const auto wait = std::max({d.retry_after, d.pause_platform, std::chrono::milliseconds{500}});
        store_.outbox().mark_retry(item.id, d.error, clock_.now() + wait, false);
        if (d.pause_platform == std::chrono::milliseconds::zero())
          spdlog::warn("outbox: message {} held back for {} ms: {}", item.id.value, wait.count(), d.error);
        return false;
      }
      if (item.attempts + 1 >= max_attempts_) {
        store_.outbox().mark_dead(item.id, d.error);
        spdlog::error("outbox: message {} gave up after {} attempts: {}", item.id.value, item.attempts + 1, d.error);
        return true;
      } else {
        // Retry-After moves this message only; younger messages to the same
        // recipient wait behind it, everyone else's keep going.
        const auto wait = std::max(backoff(item.attempts), d.retry_after);
        store_.outbox().mark_retry(item.id, d.error, clock_.now() + wait);
        spdlog::warn("outbox: message {} will be retried in {} ms: {}", item.id.value, wait.count(), d.error);
        return false;
      }
    case Delivery::Outcome::failed:
      store_.outbox().mark_dead(item.id, d.error);
      spdlog::error("outbox: message {} cannot be delivered: {}", item.id.value, d.error);
      return true;
  }
  return false;
}

void OutboxSender::take_back(const OutboxItem& item, const Delivery& d) {
  // Only an erasure deletes outbox rows: the sender's (or the recipient's) data went,
  // or the message this one edits was taken back, while it was on its way. What it
  // posted anew must not stay up. An edit applied in place changed a message that is
  // someone else's to keep (an update queued with the erasure follows it), and a person
  // who erased themselves has no DM left to clean.
  if (!d.platform_ref || item.message.retracts || item.platform == Platform::console) return;
  const auto edited = item.replaces ? item.replaces : item.message.edits;
  if (edited && *edited == *d.platform_ref) return;
  if (item.message.to.kind == RecipientKind::person && !store_.people().find(item.message.to.person)) return;
  store_.outbox().add(item.platform, Message::removal(item.message.to, *d.platform_ref), clock_.now());
  spdlog::info("outbox: message {} appeared after the data behind it was deleted; taking it back", item.id.value);
}

std::size_t OutboxSender::settle(const std::vector<std::pair<OutboxItem, Delivery>>& results) {
  if (results.empty()) return 0;
  std::size_t settled = 0;
  auto tx = store_.begin_relaxed();
  for (const auto& [item, d] : results)
    if (record(item, d)) ++settled;
  tx->commit();
  const Instant now = clock_.now();
  for (const auto& [item, d] : results) {
    if (d.pause_platform > std::chrono::milliseconds::zero()) {
      Pause& p = paused_[item.platform];
      p.until = std::max(p.until, now + d.pause_platform);
      if (!p.reported)
        spdlog::error("outbox: nothing goes to {} for now; trying again every {} s: {}", to_string(item.platform),
                      std::chrono::duration_cast<std::chrono::seconds>(d.pause_platform).count(), d.error);
      p.reported = true;
    } else if (const auto p = paused_.find(item.platform); p != paused_.end() && p->second.until <= now) {
      spdlog::info("outbox: {} takes messages again", to_string(item.platform));
      paused_.erase(p);
    }
  }
  return settled;
}

std::optional<Instant> OutboxSender::refresh_next_due(Platform platform) {
  next_due_ = held_;
  // Asking from "now" would miss a retry that fell due after take() looked: nothing
  // would wake the sender for it until something else was queued.
  if (const auto retry = store_.outbox().next_attempt(platform, looked_at_))
    next_due_ = next_due_ ? std::min(*next_due_, *retry) : *retry;
  return next_due_;
}

std::size_t OutboxSender::drain(Messenger& messenger, std::optional<PersonId> person) {
  const Platform platform = messenger.platform();
  const RateLimits limits = messenger.limits();
  std::size_t delivered = 0;
  for (;;) {
    const auto items = take(platform, limits, {}, std::numeric_limits<std::size_t>::max(), person);
    std::size_t progressed = 0;
    for (const auto& item : items) {
      // The platform cannot be used now: what was taken with this message stays pending,
      // untried, for after the pause.
      if (paused_until(platform, clock_.now())) break;
      const Delivery d = messenger.deliver(item);
      if (settle({{item, d}}) > 0) ++progressed;
      if (d.outcome == Delivery::Outcome::delivered) ++delivered;
    }
    // Delivering (or giving up on) a message releases the next one to the same
    // recipient, so go again; stop when a pass settled nothing, so one failing
    // recipient cannot spin here.
    if (progressed == 0) break;
  }
  refresh_next_due(platform);
  return delivered;
}

}  // namespace bot
