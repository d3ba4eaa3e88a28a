#pragma once
// The bot's own access token for the Bot Connector: OAuth 2.0 client credentials
// against Entra (the tenant's endpoint for single-tenant bots, "botframework.com" for
// multi-tenant ones), scope https://api.botframework.com/.default. Cached until five
// minutes before it expires; concurrent callers share one request; invalidate() after a
// Connector 401 makes the next caller fetch a fresh one. Entra's refusals
// (AADSTS7000215 wrong secret, 700016 wrong tenant, ...) are configuration errors:
// logged with the code and description, never with the secret, and not retried in a
// loop: the token stays unavailable until the next message asks again. While the token
// in hand has not expired, a failed refresh hands it out and asks again 30 s later.
// Thread-safety: use from the io_context thread that runs the HttpClient.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "adapters/net/http_client.hpp"
#include "adapters/net/metrics.hpp"

namespace adapters::teams {

struct TokenOptions {
  std::string url;  // the full token endpoint, tenant filled in
  std::string app_id;
  std::string app_password;
  std::string scope = "https://api.botframework.com/.default";
  // The clock the token's lifetime is measured on; empty: std::chrono::steady_clock.
  std::function<std::chrono::steady_clock::time_point()> now;
};

// What a token request came to.
struct TokenResult {
  std::optional<std::string> token;
  std::string error;      // when there is no token: what went wrong
  bool transient = false;  // a network failure or a 5xx: worth asking again soon
};

class TokenClient {
 public:
  TokenClient(boost::asio::any_io_executor executor, net::HttpClient& http, net::Metrics& metrics, TokenOptions options);
  boost::asio::awaitable<TokenResult> token();
  void invalidate() { cached_.reset(); }

  // "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token" with the tenant.
  static std::string endpoint(const std::string& url_template, const std::string& tenant);

 private:
  boost::asio::awaitable<TokenResult> fetch();
  std::chrono::steady_clock::time_point now() const {
    return options_.now ? options_.now() : std::chrono::steady_clock::now();
  }

  boost::asio::any_io_executor executor_;
  net::HttpClient& http_;
  net::Metrics& metrics_;
  TokenOptions options_;
  struct Cached {
    std::string token;
    std::chrono::steady_clock::time_point refresh_at;  // five minutes before expires_at
    std::chrono::steady_clock::time_point expires_at;
  };
  std::optional<Cached> cached_;
  bool fetching_ = false;
  std::optional<TokenResult> last_;  // what the fetch in flight produced, for those who waited
  std::vector<std::shared_ptr<boost::asio::steady_timer>> waiters_;
};

}  // namespace adapters::teams
