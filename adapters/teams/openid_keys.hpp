#pragma once
// The Bot Framework's signing keys: the OpenID metadata document names the JWKS, and
// the JWKS holds the keys by kid. Fetched at start (failure is not fatal: it retries in
// the background with backoff), refreshed every 24 h, and on a token with an unknown
// kid refreshed once more, at most every 5 minutes and single-flight (concurrent
// requests wait for the same fetch). A failed refresh keeps the keys we had.
// Thread-safety: use from the io_context thread that runs the HttpClient.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "adapters/net/http_client.hpp"
#include "adapters/net/metrics.hpp"
#include "adapters/teams/jwt.hpp"

namespace adapters::teams {

struct OpenIdOptions {
  std::string metadata_url = "https://login.botframework.com/v1/.well-known/openidconfiguration";
  std::chrono::seconds refresh_every{24 * 3600};
  std::chrono::seconds min_forced_refresh{300};  // unknown kid: no more often than this
};

class OpenIdKeys {
 public:
  OpenIdKeys(boost::asio::any_io_executor executor, net::HttpClient& http, net::Metrics& metrics,
             OpenIdOptions options);
  ~OpenIdKeys();
  // Fetches at once, then every refresh_every; after a failure retries with backoff
  // (5 s doubling to 5 min). Returns after stop().
  boost::asio::awaitable<void> run();
  void stop();
  // The key for a kid; on a miss, one forced refresh (rate-limited, shared by everyone
  // asking meanwhile) and a second look. nullopt when still unknown.
  boost::asio::awaitable<std::optional<SigningKey>> find(std::string kid);
  // The whole current set (empty before the first successful fetch).
  const KeySet& keys() const { return keys_; }
  bool loaded() const { return loaded_; }

 private:
  // Runs fetch(), or waits for the one in flight; true when that fetch succeeded.
  boost::asio::awaitable<bool> shared_fetch();
  boost::asio::awaitable<bool> fetch();

  boost::asio::any_io_executor executor_;
  net::HttpClient& http_;
  net::Metrics& metrics_;
  OpenIdOptions options_;
  KeySet keys_;
  bool loaded_ = false;
  bool stopping_ = false;
  bool fetching_ = false;
  bool last_fetch_ok_ = false;  // what the last fetch came to, for those who waited on it
  std::optional<std::chrono::steady_clock::time_point> last_forced_;
  std::vector<std::shared_ptr<boost::asio::steady_timer>> waiters_;  // woken when a fetch ends
  boost::asio::steady_timer timer_;
};

}  // namespace adapters::teams
