#include "adapters/slack/delivery.hpp"

#include <algorithm>
#include <string_view>

#include <spdlog/spdlog.h>

#include "adapters/slack/block_kit.hpp"
#include "bot/json_fields.hpp"

namespace adapters::slack {

std::string message_ref(const std::string& channel, const std::string& ts) { return channel + ":" + ts; }

std::optional<std::pair<std::string, std::string>> split_ref(const std::string& ref) {
  const auto colon = ref.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == ref.size()) return std::nullopt;
  return std::pair{ref.substr(0, colon), ref.substr(colon + 1)};
}

std::optional<std::string> Delivery::slack_user(bot::PersonId person) {
  // After an erasure its id may belong to someone else now.
  if (const auto erasures = store_.people().erasures_run(); erasures != erasures_seen_) {
    users_.clear();
    erasures_seen_ = erasures;
  }
  if (const auto it = users_.find(person); it != users_.end()) return it->second;
  for (const auto& id : store_.people().identities(person)) {
    if (id.platform != bot::Platform::slack) continue;
    users_.emplace(person, id.user);
    return id.user;
  }
  return std::nullopt;
}

namespace {
constexpr std::chrono::minutes kTokenPause{1};
// The metadata type of our DMs (Slack wants lower-case words joined by underscores).
constexpr const char* kMetadataType = "coachbot_outbox_message";
// How far before a message was queued its DM's history is read: room for the two
// clocks to disagree.
constexpr std::chrono::minutes kClockSkew{2};
// Slack gives no Retry-After with its posting cap; a few seconds let the minute's
// budget refill before one message tries again.
constexpr std::chrono::seconds kPostingCapPause{5};
}  // namespace

bot::Delivery delivery_outcome(const ApiResult& r, const std::string& method) {
  // A 429, or the same said in the body: only this method, for this recipient.
  if (r.kind == ApiResult::Kind::rate_limited || r.error == "ratelimited")
    return bot::Delivery::held(method + ": ratelimited", r.retry_after);
  // The app posted more than the workspace takes per minute (note the underscore):
  // every recipient would get the same answer, so all of them wait.
  if (r.kind == ApiResult::Kind::error && r.error == "rate_limited")
    return bot::Delivery::platform_unusable(method + ": rate_limited (the workspace's posting cap)",
                                            std::max<std::chrono::milliseconds>(r.retry_after, kPostingCapPause));
  if (r.token_refused())
    return bot::Delivery::platform_unusable(method + ": " + r.error + " (check SLACK_BOT_TOKEN)",
                                            kTokenPause);
  if (r.transient()) return bot::Delivery::retry_later(method + ": " + r.error);
  return bot::Delivery::failure(method + ": " + r.error);
}

boost::asio::awaitable<std::optional<std::string>> Delivery::dm_channel(std::string user) {
  if (const auto it = dm_channels_.find(user); it != dm_channels_.end()) co_return it->second;
  // Named first: g++ 12 mishandles braced temporaries inside a co_await expression.
  nlohmann::json args{{"users", user}};
  const ApiResult r = co_await api_.call("conversations.open", std::move(args));
  if (!r.ok()) {
    spdlog::warn("slack: conversations.open: {} (cannot check whether a message was posted)", r.error);
    co_return std::nullopt;
  }
  std::string channel = bot::string_at(bot::object_at(r.body, "channel"), "id");
  if (channel.empty()) co_return std::nullopt;
  dm_channels_[user] = channel;
  co_return channel;
}

void Delivery::inherit(const std::vector<bot::OutboxRepository::DueHead>& heads) {
  for (const auto& h : heads) inherited_.insert(h.id.value);
}

boost::asio::awaitable<std::optional<std::string>> Delivery::posted_before(bot::OutboxItem item, std::string user) {
  if (history_unavailable_) co_return std::nullopt;
  const auto channel = co_await dm_channel(user);
  if (!channel) co_return std::nullopt;
  const auto since = std::chrono::duration_cast<std::chrono::seconds>((item.created_at - kClockSkew).time_since_epoch());
  nlohmann::json args{{"channel", *channel},
                      {"oldest", std::to_string(std::max<std::int64_t>(since.count(), 0)) + ".000000"},
                      {"inclusive", true},
                      {"limit", 200},
                      {"include_all_metadata", true}};
  const ApiResult r = co_await api_.call("conversations.history", std::move(args));
  if (!r.ok()) {
    // Not for this app (a scope it lacks, a Slack without the method): asking again
    // for every message would only hold each one back.
    if (r.error == "missing_scope" || r.error == "unknown_method" || r.error == "not_allowed_token_type") {
      history_unavailable_ = true;
      spdlog::warn("slack: conversations.history: {}; messages whose post may have gone out are posted again "
                   "without looking (the app needs the im:history scope)", r.error);
      co_return std::nullopt;
    }
    spdlog::warn("slack: conversations.history: {} (message {} may be posted twice)", r.error, item.id.value);
    co_return std::nullopt;
  }
  const auto messages = r.body.find("messages");
  if (messages == r.body.end() || !messages->is_array()) co_return std::nullopt;
  for (const auto& m : *messages) {
    const auto& meta = bot::object_at(m, "metadata");
    if (bot::string_at(meta, "event_type") != kMetadataType) continue;
    const nlohmann::json* id = bot::member(bot::object_at(meta, "event_payload"), "outbox_id");
    if (id == nullptr || !id->is_number_integer() || id->get<std::int64_t>() != item.id.value) continue;
    const std::string ts = bot::string_at(m, "ts");
    if (!ts.empty()) co_return message_ref(*channel, ts);
  }
  co_return std::nullopt;
}

boost::asio::awaitable<bot::Delivery> Delivery::deliver(bot::OutboxItem item) {
  bot::Message message = std::move(item.message);
  // Kept until the DM has been looked at: an attempt that ends before (an edit held
  // back) must not lose it.
  const bool inherited = inherited_.contains(item.id.value);
  if (message.retracts) {
    const auto ref = split_ref(*message.retracts);
    if (!ref) co_return bot::Delivery::ok();  // nothing we could name to remove
    nlohmann::json args{{"channel", ref->first}, {"ts", ref->second}};
    const ApiResult r = co_await api_.call("chat.delete", std::move(args));
    // Gone already (someone deleted it in Slack): what was asked for holds.
    if (r.ok() || r.error == "message_not_found") co_return bot::Delivery::ok();
    co_return delivery_outcome(r, "chat.delete");
  }
  // A shortcut form was offered where it could be opened at once (a modal after a
  // click); in a posted message the questions stand on their own.
  if (message.form && (message.form->also_asked || !message.form->errors.empty())) message.form.reset();

  if (message.to.kind == bot::RecipientKind::home) {
    // A page for nobody stored (an erased person's emptied tab) names the Slack user.
    const auto user = message.to.person.value ? slack_user(message.to.person)
                                              : std::optional<std::string>{message.to.channel};
    if (!user || user->empty()) co_return bot::Delivery::ok();  // nobody on Slack to show it to
    nlohmann::json args{{"user_id", *user}, {"view", home_view(message)}};
    const ApiResult r = co_await api_.call("views.publish", std::move(args));
    co_return r.ok() ? bot::Delivery::ok() : delivery_outcome(r, "views.publish");
  }

  nlohmann::json body = message_body(message);
  const std::optional<std::string> edit = item.replaces ? item.replaces : message.edits;
  if (edit) {
    if (const auto ref = split_ref(*edit)) {
      body["channel"] = ref->first;
      body["ts"] = ref->second;
      const ApiResult r = co_await api_.call("chat.update", std::move(body));
      if (r.ok()) co_return bot::Delivery::ok(*edit);
      // The message to edit is gone (deleted in Slack): say it anew instead.
      if (r.error != "message_not_found" && r.error != "cant_update_message")
        co_return delivery_outcome(r, "chat.update");
      body = message_body(message);
    }
  }

  std::optional<std::string> dm_user;
  switch (message.to.kind) {
    case bot::RecipientKind::person: {
      dm_user = slack_user(message.to.person);
      if (!dm_user) co_return bot::Delivery::failure("the person has no Slack identity");
      body["channel"] = *dm_user;  // Slack posts to the app's DM with that user
      body["metadata"] = {{"event_type", kMetadataType}, {"event_payload", {{"outbox_id", item.id.value}}}};
      // Only a counted failure can have posted it (a rate limit or a refused token did
      // nothing, and is not counted), or a process that stopped before recording it.
      if (item.attempts > 0 || inherited) {
        auto ref = co_await posted_before(item, *dm_user);
        inherited_.erase(item.id.value);
        if (ref) {
          spdlog::info("slack: message {} was posted by an earlier attempt; not posting it again", item.id.value);
          co_return bot::Delivery::ok(std::move(*ref));
        }
      }
      break;
    }
    case bot::RecipientKind::thread:
      body["thread_ts"] = message.to.thread;
      [[fallthrough]];
    case bot::RecipientKind::channel:
      inherited_.erase(item.id.value);  // channels are not looked through (no scope to read them)
      body["channel"] = message.to.channel;
      break;
    case bot::RecipientKind::manager:
    case bot::RecipientKind::home:
      co_return bot::Delivery::failure("recipient was not resolved before queueing");
  }
  const ApiResult r = co_await api_.call("chat.postMessage", std::move(body));
  if (!r.ok()) co_return delivery_outcome(r, "chat.postMessage");
  // chat.update needs the D… channel the message landed in, not the user id.
  const std::string channel = r.body.value("channel", "");
  if (dm_user && channel.starts_with('D')) dm_channels_.insert_or_assign(*dm_user, channel);
  co_return bot::Delivery::ok(message_ref(channel, r.body.value("ts", "")));
}

}  // namespace adapters::slack
