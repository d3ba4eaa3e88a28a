#pragma once
// Delivers one outbox item to Slack: a new message (chat.postMessage, to the person's
// DM by their user id, a channel or a thread), an edit of a message delivered before
// (chat.update: the item replaces it through its update key, or edits a clicked
// message), or the person's Home tab (views.publish). Forms that are only a shortcut
// are left out (the questions are asked in the message); Slack's answer becomes a
// Delivery the outbox understands: the "channel:ts" reference of what was posted,
// retry with Retry-After, or failure with Slack's error code.
// chat.postMessage has no idempotency key, and a 5xx, a timeout or a lost connection
// do not say whether the message was posted. So a DM carries its outbox id in the
// message's metadata, and before a DM is tried again after such a failure, the DM's
// recent history is read (conversations.history): a message found there with that id
// counts as delivered instead of being posted twice.
// Thread-safety: use from the io_context thread that owns the Store.
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include <boost/asio/awaitable.hpp>

#include "adapters/slack/web_api.hpp"
#include "bot/outbox_sender.hpp"
#include "bot/repositories.hpp"

namespace adapters::slack {

class Delivery {
 public:
  Delivery(WebApi& api, bot::Store& store) : api_(api), store_(store) {}
  boost::asio::awaitable<bot::Delivery> deliver(bot::OutboxItem item);
  // Messages a process that stopped without warning may have posted without recording
  // it (at start, the first in line for each recipient): each is looked for in its DM
  // before it is posted, as a retry is.
  void inherit(const std::vector<bot::OutboxRepository::DueHead>& heads);

 private:
  // The person's Slack user id; nullopt when they have none (erased, or not on Slack).
  std::optional<std::string> slack_user(bot::PersonId person);
  // The "channel:ts" of the DM an earlier attempt of `item` posted after all; nullopt
  // when it is not in the DM, or when Slack could not tell (then it is posted again).
  boost::asio::awaitable<std::optional<std::string>> posted_before(bot::OutboxItem item, std::string user);
  // The DM's channel id (D…), which the history needs where a post took the user id.
  boost::asio::awaitable<std::optional<std::string>> dm_channel(std::string user);

  WebApi& api_;
  bot::Store& store_;
  std::unordered_map<bot::PersonId, std::string> users_;
  std::uint64_t erasures_seen_ = 0;  // PeopleRepository::erasures_run() when users_ was last valid
  std::unordered_map<std::string, std::string> dm_channels_;  // user id -> D…, learned from posts
  std::unordered_set<std::int64_t> inherited_;  // outbox ids, see inherit()
  bool history_unavailable_ = false;  // Slack refused conversations.history for good: post without looking
};

// What a failed call means for the message: held back without using up an attempt (a
// rate limit: `ratelimited` or a 429 for this recipient, `rate_limited`, the
// workspace's posting cap, for all), the platform paused (Slack refuses the token),
// tried again later (Slack's transient errors, 5xx, the network), or failed for good.
bot::Delivery delivery_outcome(const ApiResult& r, const std::string& method);

// "C024BE91L:1503435956.000247" <-> channel and ts.
std::string message_ref(const std::string& channel, const std::string& ts);
std::optional<std::pair<std::string, std::string>> split_ref(const std::string& ref);

}  // namespace adapters::slack
