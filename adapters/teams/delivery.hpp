#pragma once
// Delivers one outbox item to Teams through the Bot Connector:
//  - to a person: into their 1:1 chat with the bot, from the stored conversation
//    reference; with none yet, the chat is created (by the user id we saw in a
//    channel, else by their Entra object id, which needs the app installed for them)
//    and its reference stored;
//  - to a team channel: a new thread (create conversation with the first message), so
//    it can be replied to and updated; to a thread or chat: sent into it;
//  - an edit (an update key's earlier message, or the card that was just answered):
//    PUT over the delivered activity, as a card.
// The Home tab has no Teams counterpart and is dropped. Teams' answer becomes a
// Delivery the outbox understands: the "<conversation>|<activity id>" reference, a
// retry (429 with Retry-After, 412, 5xx, network), or a failure; 403 for a removed or
// blocked bot also marks the conversation inactive, so nothing more is sent there.
// Thread-safety: use from the io_context thread that owns the Store.
#include <optional>
#include <string>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "adapters/net/metrics.hpp"
#include "adapters/teams/connector.hpp"
#include "bot/clock.hpp"
#include "bot/outbox_sender.hpp"
#include "bot/repositories.hpp"

namespace adapters::teams {

class Delivery {
 public:
  Delivery(Connector& connector, bot::Store& store, const bot::Clock& clock, net::Metrics& metrics,
           std::string default_service_url);
  boost::asio::awaitable<bot::Delivery> deliver(bot::OutboxItem item);

 private:
  struct Target {
    std::string service_url;
    std::string tenant;
  };
  // Where to reach a conversation: its stored reference, else (a thread of a channel)
  // the channel's, else the newest reference in the tenant, else the default.
  Target target_for(const std::string& conversation, const std::string& tenant);
  // `answer`: a reply to what the person just did (bot::Message::answer), sent without
  // an activity-feed alert.
  boost::asio::awaitable<bot::Delivery> to_person(bot::PersonId person, nlohmann::json activity, bool answer);
  boost::asio::awaitable<bot::Delivery> to_channel(std::string channel, nlohmann::json activity);
  boost::asio::awaitable<bot::Delivery> edit(std::string ref, bot::Message message);
  boost::asio::awaitable<bot::Delivery> retract(std::string ref);
  bot::Delivery outcome(const ConnectorResult& r, const std::string& conversation);

  Connector& connector_;
  bot::Store& store_;
  const bot::Clock& clock_;
  net::Metrics& metrics_;
  std::string default_service_url_;
};

// "<conversation id>|<activity id>": Teams ids never hold '|'.
std::string activity_ref(const std::string& conversation, const std::string& activity_id);
std::optional<std::pair<std::string, std::string>> split_activity_ref(const std::string& ref);

}  // namespace adapters::teams
