#pragma once
// Slack Socket Mode: gets a fresh single-use URL from apps.connections.open (app-level
// token) for every connection, connects, waits for `hello`, and hands each envelope to
// the owner together with a way to acknowledge it later (we ack only after the
// event's transaction committed). `disconnect` with warning or refresh_requested (or a
// reason we do not know) opens the replacement first and closes the old socket once
// the new one said hello; link_disabled stops for good and says why;
// too_many_websockets backs off. Liveness: our ping every ping_interval, and a socket
// whose pongs stop for pong_timeout is dropped. Reconnects use jittered exponential
// backoff, never a hot loop. With `connections` above one, that many sockets are kept
// open at once, each with its own refresh and backoff: Slack spreads envelopes over
// them, so when one drops the others go on delivering while it reconnects.
// Thread-safety: use from the io_context thread it runs on.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "adapters/net/metrics.hpp"
#include "adapters/net/websocket.hpp"
#include "adapters/slack/web_api.hpp"

namespace adapters::slack {

struct SocketModeOptions {
  std::chrono::milliseconds hello_timeout{10000};
  std::chrono::milliseconds ping_interval{5000};
  std::chrono::milliseconds pong_timeout{15000};
  std::chrono::milliseconds backoff_initial{1000};
  std::chrono::milliseconds backoff_max{60000};
  std::chrono::milliseconds too_many_backoff{10000};
  // A replaced socket is still read this long before its close frame goes: Slack may
  // have sent envelopes on it before it switched, and once a close is sent, frames that
  // arrive are dropped unread.
  std::chrono::milliseconds drain{5000};
  std::size_t max_message_bytes = 4 * 1024 * 1024;
  std::string ca_file;
  std::size_t connections = 1;  // sockets kept open at once (1-5: Slack allows 10, replacing one briefly takes two)
};

struct Envelope {
  std::string id;
  std::string type;  // events_api, interactive, slash_commands
  nlohmann::json payload;
  int retry_attempt = 0;
  std::string retry_reason;
  bool accepts_response_payload = false;
};

// Sends the ack for one envelope, with an optional response payload (view errors).
// Safe to call after the connection it came on closed: the ack then goes on the
// current connection, or is dropped (Slack redelivers unacked envelopes).
using Ack = std::function<void(std::optional<nlohmann::json> payload)>;

class SocketMode {
 public:
  using EnvelopeHandler = std::function<void(Envelope envelope, Ack ack)>;

  SocketMode(boost::asio::any_io_executor executor, WebApi& api, std::string app_token, SocketModeOptions options,
             net::Metrics& metrics, EnvelopeHandler handler);
  ~SocketMode();
  // Connects and keeps the connections open until stop() or a fatal error (bad app
  // token, link_disabled). Returns the reason it stopped, once every connection ended.
  boost::asio::awaitable<std::string> run();
  void stop();
  bool connected() const;  // at least one socket said hello and is open
  std::size_t open_sockets() const;  // sockets that said hello and are open
  // Called once per connection that said hello.
  void on_connected(std::function<void()> f) { on_connected_ = std::move(f); }
  // True while bytes already wait on a socket (the envelope being handed over is
  // followed by more): the handler may hold its work back until on_drained says the
  // burst is read.
  bool more_input() const;
  // Called after a frame when nothing more waits on its socket, and when a connection
  // ends.
  void on_drained(std::function<void()> f) { on_drained_ = std::move(f); }

 private:
  struct Connection;
  struct Slot;  // one of the connections we keep, through its replacements
  boost::asio::awaitable<void> keep(Slot& slot);
  boost::asio::awaitable<std::shared_ptr<Connection>> establish(Slot& slot);
  boost::asio::awaitable<void> serve(std::shared_ptr<Connection> c);
  boost::asio::awaitable<void> keep_alive(std::shared_ptr<Connection> c);
  boost::asio::awaitable<void> retire(std::shared_ptr<Connection> c);  // closes it after the drain
  static boost::asio::awaitable<void> write_on(std::shared_ptr<Connection> c, std::string text);
  void dispatch(const std::shared_ptr<Connection>& c, nlohmann::json frame);
  void dispatch_safely(const std::shared_ptr<Connection>& c, nlohmann::json frame);
  void send_ack(const std::weak_ptr<Connection>& origin, std::string envelope_id, std::optional<nlohmann::json> payload);
  std::chrono::milliseconds next_backoff(Slot& slot);
  void wake();  // every slot re-checks its state

  boost::asio::any_io_executor executor_;
  WebApi& api_;
  std::string app_token_;
  SocketModeOptions options_;
  net::Metrics& metrics_;
  EnvelopeHandler handler_;
  std::function<void()> on_connected_;
  std::function<void()> on_drained_;
  std::vector<std::unique_ptr<Slot>> slots_;
  // Replaced twice within a drain: no slot holds them while they close, stop() still must.
  std::vector<std::weak_ptr<Connection>> closing_;
  std::size_t slots_running_ = 0;
  boost::asio::steady_timer all_ended_;  // cancelled as each slot's loop ends
  bool stopping_ = false;
  std::string fatal_;  // why we stopped for good
  int connections_made_ = 0;
  std::minstd_rand jitter_{std::random_device{}()};
};

}  // namespace adapters::slack
