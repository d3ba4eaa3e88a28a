#pragma once
// The Bot Connector REST API (teams.md §6): send to a conversation, reply to an
// activity, update an activity, create a conversation. Conversation and activity ids
// are percent-encoded into the path; the serviceUrl's trailing slash is dropped before
// "/v3". Our bearer token goes only to https Teams hosts (or hosts the operator added
// for a local fake); in dev mode no token is fetched or sent at all. A Connector 401
// drops the cached token and the call is made once more with a fresh one. Every
// outcome becomes one result shape: the HTTP status, Teams' error code, Retry-After.
// Thread-safety: use from the io_context thread that runs the HttpClient.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "adapters/net/http_client.hpp"
#include "adapters/net/metrics.hpp"
#include "adapters/teams/token_client.hpp"

namespace adapters::teams {

struct ConnectorResult {
  int status = 0;          // 0: no HTTP answer (network failure, or refused before sending)
  nlohmann::json body;     // the parsed answer, when it was JSON
  std::string code;        // Teams' error.code (or the blocked subCode), when it gave one
  std::string error;       // what went wrong, for logs and the outbox
  std::chrono::milliseconds retry_after{0};
  bool ok() const { return status >= 200 && status < 300; }
  // Worth another try later: 429, 412, 502/503/504, no answer at all, or no token
  // because Entra could not be reached.
  bool transient = false;
  // Entra gave no token (refused the credentials, or could not be reached): nothing
  // can be sent to Teams until it does.
  bool no_token = false;
  // The bot may not write there any more (removed, blocked, not installed).
  bool conversation_gone() const;
};

struct ConnectorOptions {
  bool dev_mode = false;                    // no token; http to loopback allowed
  std::vector<std::string> extra_hosts;     // besides Microsoft's Teams hosts
};

class Connector {
 public:
  // `tokens` may be null only in dev mode.
  Connector(net::HttpClient& http, TokenClient* tokens, net::Metrics& metrics, ConnectorOptions options);

  boost::asio::awaitable<ConnectorResult> send(std::string service_url, std::string conversation,
                                               nlohmann::json activity);
  boost::asio::awaitable<ConnectorResult> reply(std::string service_url, std::string conversation,
                                                std::string activity_id, nlohmann::json activity);
  boost::asio::awaitable<ConnectorResult> update(std::string service_url, std::string conversation,
                                                 std::string activity_id, nlohmann::json activity);
  boost::asio::awaitable<ConnectorResult> create_conversation(std::string service_url, nlohmann::json parameters);
  boost::asio::awaitable<ConnectorResult> remove(std::string service_url, std::string conversation,
                                                 std::string activity_id);

  // May our token be sent to this service URL? https and a Teams host (or an extra
  // host); in dev mode also http to localhost.
  bool allowed(const std::string& service_url) const;

 private:
  boost::asio::awaitable<ConnectorResult> call(std::string method, std::string service_url, std::string path,
                                               nlohmann::json body, std::string operation);

  net::HttpClient& http_;
  TokenClient* tokens_;
  net::Metrics& metrics_;
  ConnectorOptions options_;
};

// "<service url without trailing slash>/v3/conversations/<encoded id>..."
std::string conversation_url(const std::string& service_url, const std::string& conversation,
                             const std::string& activity_id = {});

}  // namespace adapters::teams
