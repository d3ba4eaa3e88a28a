#pragma once
// A fake of the Bot Framework for integration tests, on 127.0.0.1 with an ephemeral
// port. Server side, everything the bot talks to: the OpenID metadata and the JWKS
// (a real RSA key from JwtMinter, endorsing msteams), the Entra token endpoint
// (client credentials checked against kAppId/kAppSecret and kTenant; every grant is a
// fresh opaque token), and the Bot Connector under /connector (serviceUrl
// "http://127.0.0.1:PORT/connector/"): create conversation, send, reply, update and
// delete, with percent-encoded ids decoded and the bearer token checked against the last
// one issued (unless in dev mode, which, like the Agents Playground, wants no token).
// Every Connector call is recorded, so tests can assert on what a person would see;
// failures (429 with Retry-After, 403 codes, 412, 5xx) and token expiry can be ordered.
// Client side, what Teams does: activity helpers shaped like real Teams deliveries and
// post_activity() with a JWT minted like Bot Service's.
// Runs on the io_context the test drives; not thread-safe.
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "adapters/net/http_client.hpp"
#include "adapters/net/http_server.hpp"
#include "tests/support/jwt_minter.hpp"

namespace testing {

// One request to the fake Connector, as it arrived and as it was answered.
struct ConnectorCall {
  std::string method;             // "POST", "PUT", "DELETE", ...
  std::string path;               // below /connector, segments decoded: "/v3/conversations/a:1x/activities"
  std::string raw_target;         // the request target exactly as sent (still percent-encoded)
  std::string conversation;       // decoded id from the path; for a create, the id it was answered with
  std::string activity_id;        // decoded id from the path, when there is one
  nlohmann::json body;            // the JSON body (null when none or not JSON)
  std::string authorization;      // the Authorization header as sent ("" when none)
  bool authorized = false;        // passed the token check (always true in dev mode)
  int status = 0;                 // what the fake answered
};

class FakeBotFramework {
 public:
  static constexpr const char* kAppId = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
  static constexpr const char* kAppSecret = "fake-app-secret~not-for-production";
  static constexpr const char* kTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  static constexpr const char* kBotName = "Coachbot";
  static constexpr const char* kIssuer = "https://api.botframework.com";

  // dev_mode: the Connector takes calls without a token (and records any it gets).
  explicit FakeBotFramework(boost::asio::any_io_executor executor, bool dev_mode = false);
  ~FakeBotFramework();
  FakeBotFramework(const FakeBotFramework&) = delete;
  FakeBotFramework& operator=(const FakeBotFramework&) = delete;

  std::string base_url() const;     // "http://127.0.0.1:PORT"
  std::string service_url() const;  // "http://127.0.0.1:PORT/connector/" (trailing slash, like Teams)
  std::string openid_url() const;   // ".../v1/.well-known/openidconfiguration"
  std::string jwks_url() const;     // ".../v1/.well-known/keys"
  // ".../{tenant}/oauth2/v2.0/token", for TokenClient::endpoint(), and with kTenant filled in.
  std::string token_url_template() const;
  std::string token_url() const;
  const JwtMinter& minter() const { return minter_; }

  // Connector.
  const std::vector<ConnectorCall>& calls() const { return calls_; }
  // What reached the conversation: successful sends, replies and updates to it, and a
  // create that carried its first activity, in order.
  std::vector<ConnectorCall> sends_to(const std::string& conversation) const;
  // The next `times` Connector calls that pass the token check are answered `status`
  // with {"error":{"code":error_code,...}} (no body when the code is empty; the
  // errorCode 209 shape for "MessageWritesBlocked") and Retry-After when given. Calls
  // queue up behind earlier ones.
  void fail_next(int status, std::string error_code, int times = 1, std::optional<int> retry_after_s = std::nullopt);
  // The token issued last stops working: the next call with it gets 401 until the bot
  // fetches a new one.
  void expire_token();

  // Token endpoint: requests seen (granted or not) and the token valid now.
  int token_requests() const { return token_requests_; }
  // The token endpoint answers 503 until called again with false.
  void fail_token_endpoint(bool fail) { token_endpoint_down_ = fail; }
  const std::string& current_token() const { return valid_token_; }

  // Teams' side: POST an activity to the bot. `authorization` is the whole header value
  // ("Bearer " + token_for(...)); nullopt sends none. Throws net::NetError like HttpClient.
  boost::asio::awaitable<net::HttpResponse> post_activity(std::string bot_url, nlohmann::json activity,
                                                          std::optional<std::string> authorization);
  // A Bot Service JWT for an activity from `service_url`: aud kAppId, iss kIssuer,
  // serviceurl claim, nbf now, exp now + 1 h, signed with the published key.
  std::string token_for(const std::string& service_url) const;

  // Activities shaped like Teams': serviceUrl service_url(), channelId msteams, tenant
  // kTenant, bot "28:" + kAppId named kBotName, user "29:" + aad, timestamp now,
  // localTimezone and clientInfo timezone Europe/Berlin, locale en-US.
  // The personal conversation id of a user: the same id create-conversation answers.
  static std::string personal_conversation(const std::string& user_aad);
  nlohmann::json personal_message(const std::string& user_aad, const std::string& text,
                                  const std::string& activity_id) const;
  // Action.Submit: a message with `value`, no text, replyToId the card's activity id.
  nlohmann::json card_submit(const std::string& user_aad, const std::string& reply_to_id,
                             const nlohmann::json& value, const std::string& activity_id) const;
  // installationUpdate "add" in the user's personal scope.
  nlohmann::json install(const std::string& user_aad) const;
  // A new post in a channel of a team (the channel is taken as the team's General
  // channel, so team id == channel id) that @mentions the bot: "<at>Coachbot</at> text"
  // with the mention entity; conversation id "<channel>;messageid=<activity_id>".
  nlohmann::json channel_mention(const std::string& user_aad, const std::string& channel_id, const std::string& text,
                                 const std::string& activity_id) const;

 private:
  struct Failure {
    int status = 0;
    std::string code;
    int times = 0;
    std::optional<int> retry_after_s;
  };

  boost::asio::awaitable<net::HttpResponse> handle(net::ServerRequest request);
  net::HttpResponse token_endpoint(const net::ServerRequest& request, const std::string& tenant);
  net::HttpResponse connector(const net::ServerRequest& request, const std::vector<std::string>& segments);
  net::HttpResponse connector_route(ConnectorCall& call, const std::vector<std::string>& segments);
  std::string next_activity_id();
  nlohmann::json base_activity(const std::string& type, const std::string& user_aad,
                               const std::string& activity_id) const;

  boost::asio::any_io_executor executor_;
  bool dev_mode_;
  JwtMinter minter_;
  std::unique_ptr<net::HttpServer> server_;
  std::unique_ptr<net::HttpClient> client_;
  std::vector<ConnectorCall> calls_;
  std::deque<Failure> failures_;
  std::string valid_token_;  // "" before the first grant and after expire_token()
  int token_requests_ = 0;
  bool token_endpoint_down_ = false;
  int tokens_issued_ = 0;
  std::int64_t next_activity_ = 1'763'790'000'000;  // epoch-ms-like, as Teams' message ids
  mutable int next_event_ = 1;                       // ids of install events ("f:…")
};

}  // namespace testing
