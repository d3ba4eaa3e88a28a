#include "adapters/teams/openid_keys.hpp"

#include <algorithm>
#include <exception>
#include <utility>
#include <variant>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace adapters::teams {

namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr const char* kRefreshMetric = "coachbot_teams_key_refresh_total";
constexpr std::chrono::seconds kFirstRetry{5};
constexpr std::chrono::seconds kMaxRetry{300};

// A failed step of a fetch: what to put in the warning. URLs are public; bodies are
// not logged (they are Microsoft's, and could be anything a proxy put there).
struct FetchError {
  std::string what;
};

// GET a JSON object, or the reason it could not be had.
// `what` names the document for the log ("JWKS"): a string literal.
asio::awaitable<std::variant<nlohmann::json, FetchError>> get_json(net::HttpClient& http, std::string url,
                                                                   const char* what) {
  net::HttpRequest req;
  req.method = "GET";
  req.url = url;
  req.headers.emplace_back("Accept", "application/json");
  net::HttpResponse resp;
  try {
    resp = co_await http.send(std::move(req));
  } catch (const net::NetError& e) {
    co_return FetchError{std::string{what} + " " + url + ": " + e.what()};
  }
  if (resp.status != 200) co_return FetchError{std::string{what} + " " + url + ": HTTP " + std::to_string(resp.status)};
  auto body = nlohmann::json::parse(resp.body, nullptr, false);
  if (!body.is_object()) co_return FetchError{std::string{what} + " " + url + ": not a JSON object"};
  co_return body;
}

}  // namespace

OpenIdKeys::OpenIdKeys(asio::any_io_executor executor, net::HttpClient& http, net::Metrics& metrics,
                       OpenIdOptions options)
    : executor_(std::move(executor)), http_(http), metrics_(metrics), options_(std::move(options)), timer_(executor_) {
  metrics_.counter(kRefreshMetric, "Fetches of the Bot Framework signing keys (OpenID metadata and JWKS), by result");
}

OpenIdKeys::~OpenIdKeys() = default;

void OpenIdKeys::stop() {
  stopping_ = true;
  timer_.cancel();
  // Whoever waits for a fetch looks at the keys we have and gets on with it.
  for (auto& w : std::exchange(waiters_, {})) w->cancel();
}

asio::awaitable<void> OpenIdKeys::run() {
  std::chrono::seconds retry = kFirstRetry;
  while (!stopping_) {
    const bool ok = co_await shared_fetch();
    if (stopping_) break;
    std::chrono::seconds pause = options_.refresh_every;
    if (ok) {
      retry = kFirstRetry;
    } else {
      // Not fatal: tokens signed with keys we already have still verify meanwhile.
      pause = retry;
      retry = std::min(retry * 2, kMaxRetry);
    }
    timer_.expires_after(pause);
    boost::system::error_code ec;
    co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

asio::awaitable<std::optional<SigningKey>> OpenIdKeys::find(std::string kid) {
  if (const auto it = keys_.find(kid); it != keys_.end()) co_return it->second;
  if (stopping_) co_return std::nullopt;
  if (!fetching_) {
    // A kid we do not know may be a key Microsoft just rolled out, or a forgery. Ask
    // once, but not more often than min_forced_refresh, so that a stream of made-up
    // kids cannot turn us into a load generator against Microsoft.
    const auto now = SteadyClock::now();
    if (last_forced_ && now - *last_forced_ < options_.min_forced_refresh) co_return std::nullopt;
    last_forced_ = now;
    // The kid is the sender's, unchecked: only a bounded, printable part goes to the log.
    std::string shown = kid.substr(0, 64);
    for (char& c : shown)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    spdlog::info("teams: signing key '{}' is unknown; fetching the keys again", shown);
  }
  // Either we start the fetch or join the one in flight; both end with a second look.
  co_await shared_fetch();
  if (const auto it = keys_.find(kid); it != keys_.end()) co_return it->second;
  co_return std::nullopt;
}

asio::awaitable<bool> OpenIdKeys::shared_fetch() {
  if (fetching_) {
    // One fetch at a time: wait on a timer that never fires by itself; the fetch in
    // flight cancels it when it ends (or stop() does).
    auto wake = std::make_shared<asio::steady_timer>(executor_, SteadyClock::time_point::max());
    waiters_.push_back(wake);
    boost::system::error_code ec;
    co_await wake->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    co_return last_fetch_ok_;
  }
  fetching_ = true;
  bool ok = false;
  try {
    ok = co_await fetch();
  } catch (const std::exception& e) {
    // fetch() reports what it expects; this is a bug or bad_alloc, still not a reason
    // to leave the waiters hanging.
    spdlog::warn("teams: fetching the signing keys failed unexpectedly: {}", e.what());
    metrics_.add(kRefreshMetric, {{"result", "failed"}});
  }
  fetching_ = false;
  last_fetch_ok_ = ok;
  for (auto& w : std::exchange(waiters_, {})) w->cancel();
  co_return ok;
}

asio::awaitable<bool> OpenIdKeys::fetch() {
  auto fail = [this](const std::string& why) {
    metrics_.add(kRefreshMetric, {{"result", "failed"}});
    spdlog::warn("teams: cannot refresh the Bot Framework signing keys ({}); keeping the {} we have", why,
                 keys_.size());
    return false;
  };

  // Named first: g++ 12 mishandles temporaries built inside a co_await expression.
  std::string metadata_url = options_.metadata_url;
  auto metadata = co_await get_json(http_, std::move(metadata_url), "OpenID metadata");
  if (const auto* e = std::get_if<FetchError>(&metadata)) co_return fail(e->what);
  const auto& meta = std::get<nlohmann::json>(metadata);
  const auto uri = meta.find("jwks_uri");
  if (uri == meta.end() || !uri->is_string() || !net::parse_endpoint(uri->get<std::string>()))
    co_return fail("OpenID metadata " + options_.metadata_url + " has no usable jwks_uri");
  const std::string jwks_uri = uri->get<std::string>();

  std::string jwks_url = jwks_uri;
  auto document = co_await get_json(http_, std::move(jwks_url), "JWKS");
  if (const auto* e = std::get_if<FetchError>(&document)) co_return fail(e->what);
  auto keys = parse_jwks(std::get<nlohmann::json>(document));
  if (!keys) co_return fail("JWKS " + jwks_uri + " is not a key set");
  // An empty set would refuse every token; better to keep the old keys and try again.
  if (keys->empty()) co_return fail("JWKS " + jwks_uri + " holds no RSA signing keys");

  keys_ = std::move(*keys);
  loaded_ = true;
  metrics_.add(kRefreshMetric, {{"result", "ok"}});
  spdlog::info("teams: loaded {} Bot Framework signing keys from {}", keys_.size(), jwks_uri);
  co_return true;
}

}  // namespace adapters::teams
