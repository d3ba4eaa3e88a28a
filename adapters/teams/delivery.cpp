#include "adapters/teams/delivery.hpp"

#include <spdlog/spdlog.h>

#include "adapters/teams/adaptive_card.hpp"
#include "bot/json_fields.hpp"

namespace adapters::teams {

namespace asio = boost::asio;

namespace {

constexpr const char* kThreadMarker = ";messageid=";

// A team channel id ("19:…@thread.tacv2") as opposed to a group chat ("@thread.v2") or
// a thread in a channel: posting there starts a new thread. Older teams' channels end in
// "@thread.skype", as do older group and meeting chats; a chat the bot was in is stored
// as one (`stored`).
bool is_team_channel(const std::string& conversation, const std::optional<bot::ConversationRef>& stored) {
  if (!conversation.starts_with("19:") || conversation.find(kThreadMarker) != std::string::npos) return false;
  if (conversation.ends_with("@thread.tacv2")) return true;
  return conversation.ends_with("@thread.skype") && !conversation.starts_with("19:meeting_") &&
         (!stored || stored->kind == "channel");
}

nlohmann::json card_activity(const bot::Message& message) {
  return nlohmann::json{{"type", "message"},
                        {"attachments", nlohmann::json::array({{{"contentType", "application/vnd.microsoft.card.adaptive"},
                                                                {"content", render_card(message)}}})}};
}

}  // namespace

std::string activity_ref(const std::string& conversation, const std::string& activity_id) {
  return conversation + "|" + activity_id;
}

std::optional<std::pair<std::string, std::string>> split_activity_ref(const std::string& ref) {
  const auto bar = ref.rfind('|');
  if (bar == std::string::npos || bar == 0 || bar + 1 == ref.size()) return std::nullopt;
  return std::pair{ref.substr(0, bar), ref.substr(bar + 1)};
}

Delivery::Delivery(Connector& connector, bot::Store& store, const bot::Clock& clock, net::Metrics& metrics,
                   std::string default_service_url)
    : connector_(connector),
      store_(store),
      clock_(clock),
      metrics_(metrics),
      default_service_url_(std::move(default_service_url)) {
  metrics_.counter("coachbot_teams_conversations_deactivated_total",
                   "Conversations the bot may no longer write to (removed, blocked), by Teams error code");
}

Delivery::Target Delivery::target_for(const std::string& conversation, const std::string& tenant) {
  auto& refs = store_.conversations();
  auto ref = refs.find(bot::Platform::teams, conversation);
  if (!ref) {
    if (const auto marker = conversation.find(kThreadMarker); marker != std::string::npos)
      ref = refs.find(bot::Platform::teams, conversation.substr(0, marker));
  }
  if (!ref) ref = refs.latest(bot::Platform::teams, tenant);
  if (ref) return Target{ref->service_url, tenant.empty() ? ref->tenant : tenant};
  return Target{default_service_url_, tenant};
}

bot::Delivery Delivery::outcome(const ConnectorResult& r, const std::string& conversation) {
  if (r.conversation_gone()) {
    // A thread is stored under its channel: the bot left the channel, not the thread.
    const std::string stored = conversation.substr(0, conversation.find(kThreadMarker));
    store_.conversations().deactivate(bot::Platform::teams, stored, r.code, clock_.now());
    metrics_.add("coachbot_teams_conversations_deactivated_total", {{"code", r.code}});
    spdlog::warn("teams: {}; no more messages go to that conversation until it writes to us again", r.error);
    return bot::Delivery::failure(r.error);
  }
  // A refused secret (expired, rotated) is fixed by the operator, not by time: every
  // message waits for it, checked every few minutes, instead of each being given up on.
  if (r.no_token)
    return bot::Delivery::platform_unusable(r.error, r.transient ? std::chrono::seconds{30} : std::chrono::minutes{5});
  if (r.status == 429) return bot::Delivery::held(r.error, r.retry_after);
  if (r.transient) return bot::Delivery::retry_later(r.error, r.retry_after);
  return bot::Delivery::failure(r.error.empty() ? "Bot Connector failed" : r.error);
}

asio::awaitable<bot::Delivery> Delivery::deliver(bot::OutboxItem item) {
  const bot::Message& message = item.message;
  if (message.to.kind == bot::RecipientKind::home) co_return bot::Delivery::ok();  // no Home tab in Teams
  if (message.retracts) {
    bot::Delivery d = co_await retract(*message.retracts);
    co_return d;
  }

  if (const std::optional<std::string> ref = item.replaces ? item.replaces : message.edits) {
    bot::Delivery d = co_await edit(*ref, message);
    if (d.outcome != bot::Delivery::Outcome::failed || d.error != "gone") co_return d;
    // The message to edit is gone: say it anew instead.
  }

  nlohmann::json activity = render_activity(message);
  switch (message.to.kind) {
    case bot::RecipientKind::person: {
      bot::Delivery d = co_await to_person(message.to.person, std::move(activity), message.answer);
      co_return d;
    }
    case bot::RecipientKind::channel: {
      bot::Delivery d = co_await to_channel(message.to.channel, std::move(activity));
      co_return d;
    }
    case bot::RecipientKind::thread: {
      bot::Delivery d = co_await to_channel(message.to.channel + kThreadMarker + message.to.thread, std::move(activity));
      co_return d;
    }
    case bot::RecipientKind::manager:
    case bot::RecipientKind::home:
      break;
  }
  co_return bot::Delivery::failure("recipient was not resolved before queueing");
}

asio::awaitable<bot::Delivery> Delivery::retract(std::string ref) {
  const auto parts = split_activity_ref(ref);
  if (!parts) co_return bot::Delivery::ok();  // nothing we could name to remove
  const auto& [conversation, activity_id] = *parts;
  const Target target = target_for(conversation, {});
  const ConnectorResult r = co_await connector_.remove(target.service_url, conversation, activity_id);
  // Gone already (someone deleted it in Teams): what was asked for holds.
  if (r.ok() || r.status == 404) co_return bot::Delivery::ok();
  co_return outcome(r, conversation);
}

asio::awaitable<bot::Delivery> Delivery::edit(std::string ref, bot::Message message) {
  const auto parts = split_activity_ref(ref);
  if (!parts) co_return bot::Delivery::failure("gone");
  const auto& [conversation, activity_id] = *parts;
  nlohmann::json activity = render_activity(message);
  // What is edited is a card (an answered one loses its buttons, but stays a card).
  if (!activity.contains("attachments")) activity = card_activity(message);
  const Target target = target_for(conversation, {});
  const ConnectorResult r = co_await connector_.update(target.service_url, conversation, activity_id, std::move(activity));
  if (r.ok()) co_return bot::Delivery::ok(ref);
  if (r.status == 404) co_return bot::Delivery::failure("gone");
  co_return outcome(r, conversation);
}

asio::awaitable<bot::Delivery> Delivery::to_person(bot::PersonId person, nlohmann::json activity, bool answer) {
  auto ref = store_.conversations().personal(bot::Platform::teams, person);
  if (ref && !ref->active) co_return bot::Delivery::failure("the person's Teams chat is closed to the bot (" +
                                                            ref->inactive_reason + ")");
  if (!ref || ref->kind != "personal") {
    // No 1:1 chat yet: create it (idempotent in Teams: the same user gives the same chat).
    std::optional<bot::Identity> who;
    for (const auto& id : store_.people().identities(person))
      if (id.platform == bot::Platform::teams) who = id;
    if (!who) co_return bot::Delivery::failure("the person has no Teams identity");
    const std::string member = ref && !ref->user_id.empty() ? ref->user_id : who->user;
    const Target target = ref ? Target{ref->service_url, who->tenant} : target_for({}, who->tenant);
    nlohmann::json members = nlohmann::json::array({{{"id", member}}});
    nlohmann::json params{{"isGroup", false},
                          {"members", std::move(members)},
                          {"tenantId", who->tenant},
                          {"channelData", {{"tenant", {{"id", who->tenant}}}}}};
    const ConnectorResult created = co_await connector_.create_conversation(target.service_url, std::move(params));
    if (!created.ok()) co_return outcome(created, ref ? ref->conversation : std::string{});
    const std::string id = bot::string_at(created.body, "id");
    if (id.empty()) co_return bot::Delivery::retry_later("create conversation answered without an id");
    bot::ConversationRef chat;
    chat.platform = bot::Platform::teams;
    chat.tenant = who->tenant;
    chat.conversation = id;
    chat.kind = "personal";
    chat.service_url = bot::string_at(created.body, "serviceUrl");
    if (chat.service_url.empty()) chat.service_url = target.service_url;
    chat.person = person;
    chat.user_id = member;
    chat.updated_at = clock_.now();
    store_.conversations().save(chat);
    spdlog::info("teams: opened a 1:1 chat with person {}", person.value);
    ref = chat;
  }
  // A message nobody asked for right now (a check-in, a nudge) should ring; a reply to
  // what the person just wrote shows in the chat they are looking at.
  if (!answer) activity["channelData"]["notification"]["alert"] = true;
  const ConnectorResult r = co_await connector_.send(ref->service_url, ref->conversation, std::move(activity));
  if (r.status == 404) {
    // The chat id went stale (teams.md §7.1): forget it, and the next attempt opens the
    // chat anew.
    store_.conversations().remove(bot::Platform::teams, ref->conversation);
    co_return bot::Delivery::retry_later(r.error);
  }
  if (!r.ok()) co_return outcome(r, ref->conversation);
  co_return bot::Delivery::ok(activity_ref(ref->conversation, bot::string_at(r.body, "id")));
}

asio::awaitable<bot::Delivery> Delivery::to_channel(std::string channel, nlohmann::json activity) {
  const auto stored = store_.conversations().find(bot::Platform::teams, channel);
  if (stored && !stored->active)
    co_return bot::Delivery::failure("the bot was removed from that Teams conversation (" + stored->inactive_reason +
                                     ")");
  const Target target = target_for(channel, {});
  if (!is_team_channel(channel, stored)) {
    const ConnectorResult r = co_await connector_.send(target.service_url, channel, std::move(activity));
    if (!r.ok()) co_return outcome(r, channel);
    co_return bot::Delivery::ok(activity_ref(channel, bot::string_at(r.body, "id")));
  }
  // A post in a channel starts its own thread, whose root can be updated later (kudos).
  nlohmann::json params{{"isGroup", true},
                        {"channelData", {{"channel", {{"id", channel}}}, {"tenant", {{"id", target.tenant}}}}},
                        {"tenantId", target.tenant},
                        {"activity", std::move(activity)}};
  const ConnectorResult r = co_await connector_.create_conversation(target.service_url, std::move(params));
  // The operator's sharing.team_channels names it, so the operator is who can fix it.
  if (r.status == 404)
    co_return bot::Delivery::failure("Teams knows no channel " + channel +
                                     " (deleted, or the app is not installed in its team): check sharing.team_channels (" +
                                     r.error + ")");
  if (!r.ok()) co_return outcome(r, channel);
  const std::string thread = bot::string_at(r.body, "id");
  const std::string root = bot::string_at(r.body, "activityId");
  if (thread.empty() || root.empty()) co_return bot::Delivery::ok();
  co_return bot::Delivery::ok(activity_ref(thread, root));
}

}  // namespace adapters::teams
