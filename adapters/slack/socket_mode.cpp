#include "adapters/slack/socket_mode.hpp"

#include <algorithm>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "adapters/net/task_failure.hpp"
#include "bot/json_fields.hpp"

namespace adapters::slack {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

struct SocketMode::Slot {
  explicit Slot(asio::any_io_executor ex) : wake(ex) {}
  std::shared_ptr<Connection> current;
  std::shared_ptr<Connection> retiring;  // replaced, closing, may still deliver
  asio::steady_timer wake;
  bool replace = false;                // a disconnect asked for a new connection
  std::chrono::milliseconds hold{0};  // wait this long before the next connect
  int failures = 0;                    // connections in a row that failed or died young
};

struct SocketMode::Connection {
  Connection(asio::any_io_executor ex, std::unique_ptr<net::WebSocket> socket, int n, Slot& s)
      : ws(std::move(socket)), timer(ex), drain(ex), number(n), slot(s), last_heard(Clock::now()), opened(Clock::now()) {}
  std::unique_ptr<net::WebSocket> ws;
  asio::steady_timer timer;  // the hello deadline, then the ping interval
  asio::steady_timer drain;  // once replaced: when the close frame goes
  int number;
  Slot& slot;  // slots live as long as the SocketMode
  bool hello = false;
  bool dead = false;
  bool input_pending = false;    // bytes of a next frame already read from the socket
  Clock::time_point last_heard;  // any frame, ping or pong from Slack
  Clock::time_point opened;
};

namespace {


// The URL carries a single-use ticket: log where we connect, not the ticket.
std::string host_of(const std::string& url) {
  const auto e = net::parse_endpoint(url);
  return e ? e->scheme + "://" + e->host + ":" + std::to_string(e->port) : std::string{"(unparsable URL)"};
}

}  // namespace

// Holds the connection until the frame is written, whatever happens to it meanwhile.
asio::awaitable<void> SocketMode::write_on(std::shared_ptr<Connection> c, std::string text) {
  co_await c->ws->write(std::move(text));
}

SocketMode::SocketMode(asio::any_io_executor executor, WebApi& api, std::string app_token, SocketModeOptions options,
                       net::Metrics& metrics, EnvelopeHandler handler)
    : executor_(executor),
      api_(api),
      app_token_(std::move(app_token)),
      options_(std::move(options)),
      metrics_(metrics),
      handler_(std::move(handler)),
      all_ended_(executor) {
  // Slack refuses an eleventh socket (too_many_websockets), and a socket being replaced
  // counts twice until its successor says hello.
  const std::size_t n = std::clamp<std::size_t>(options_.connections, 1, 5);
  for (std::size_t i = 0; i < n; ++i) slots_.push_back(std::make_unique<Slot>(executor));
}

SocketMode::~SocketMode() = default;

// A stopped client is not connected, even while its sockets are still closing.
bool SocketMode::connected() const { return open_sockets() > 0; }

std::size_t SocketMode::open_sockets() const {
  if (stopping_ || !fatal_.empty()) return 0;
  return static_cast<std::size_t>(std::count_if(slots_.begin(), slots_.end(), [](const auto& s) {
    return s->current && s->current->hello && !s->current->dead;
  }));
}

bool SocketMode::more_input() const {
  return std::any_of(slots_.begin(), slots_.end(), [](const auto& s) {
    return (s->current && s->current->input_pending) || (s->retiring && s->retiring->input_pending);
  });
}

void SocketMode::wake() {
  for (auto& s : slots_) s->wake.cancel();
}

void SocketMode::stop() {
  stopping_ = true;
  const auto end = [](Connection& c) {
    c.timer.cancel();
    c.drain.cancel();
    c.ws->abort();
  };
  for (auto& s : slots_) {
    for (auto* c : {&s->current, &s->retiring})
      if (*c) end(**c);
  }
  for (const auto& w : closing_)
    if (const auto c = w.lock()) end(*c);
  closing_.clear();
  wake();
}

std::chrono::milliseconds SocketMode::next_backoff(Slot& slot) {
  // 1 s, 2 s, 4 s ... capped, each with +-20 % jitter so that many instances
  // restarting together do not reconnect in step.
  const int n = std::min(slot.failures++, 16);
  auto base = options_.backoff_initial * (1LL << n);
  if (base > options_.backoff_max) base = options_.backoff_max;
  std::uniform_int_distribution<long long> spread(-base.count() / 5, base.count() / 5);
  return base + std::chrono::milliseconds{spread(jitter_)};
}

asio::awaitable<std::string> SocketMode::run() {
  slots_running_ = slots_.size();
  for (auto& slot : slots_) {
    asio::co_spawn(executor_, keep(*slot), [this](std::exception_ptr e) {
      net::log_task_failure("slack socket connection", e);
      // One slot failing for good ends them all: run() must not return half-working.
      if (e) stop();
      --slots_running_;
      all_ended_.cancel();
    });
  }
  while (slots_running_ > 0) {
    all_ended_.expires_at(Clock::time_point::max());
    boost::system::error_code ec;
    co_await all_ended_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  co_return fatal_.empty() ? std::string{"stopped"} : fatal_;
}

asio::awaitable<void> SocketMode::keep(Slot& slot) {
  while (!stopping_ && fatal_.empty()) {
    if (slot.hold > std::chrono::milliseconds::zero()) {
      spdlog::info("slack socket: reconnecting in {} ms", slot.hold.count());
      slot.wake.expires_after(slot.hold);
      slot.hold = {};
      boost::system::error_code ec;
      co_await slot.wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (stopping_) break;
    }
    std::shared_ptr<Connection> c = co_await establish(slot);
    if (!c) continue;
    std::shared_ptr<Connection> old = std::move(slot.current);
    slot.current = c;
    slot.replace = false;
    asio::co_spawn(executor_, serve(c), net::failure_logger("slack socket read loop"));
    asio::co_spawn(executor_, keep_alive(c), net::failure_logger("slack socket keep-alive"));
    if (old && !old->dead) {
      // Make before break: the new socket said hello, so the old one can go, after a
      // drain: what it still delivers meanwhile is handled and acked on it.
      if (slot.retiring && !slot.retiring->dead) {
        // Its drain is cut short: its retire() closes it now.
        std::erase_if(closing_, [](const std::weak_ptr<Connection>& w) { return w.expired(); });
        closing_.push_back(slot.retiring);
        slot.retiring->drain.cancel();
      }
      slot.retiring = old;
      asio::co_spawn(executor_, retire(std::move(old)), net::failure_logger("slack socket retirement"));
    }
    if (on_connected_) on_connected_();

    while (!stopping_ && fatal_.empty() && !slot.replace && !c->dead) {
      slot.wake.expires_at(Clock::time_point::max());
      boost::system::error_code ec;
      co_await slot.wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    if (c->dead && !stopping_ && fatal_.empty() && slot.hold == std::chrono::milliseconds::zero()) {
      // A socket that dies soon after it opened is a failure in a row; one that lived
      // a while starts the count again. Either way there is a pause before the next.
      if (Clock::now() - c->opened > std::chrono::seconds{30}) slot.failures = 0;
      slot.hold = next_backoff(slot);
    }
    if (slot.replace) spdlog::info("slack socket: opening a replacement for connection {}", c->number);
  }
  // A fatal error or stop() on one slot ends the others' sockets too.
  stop();
}

asio::awaitable<std::shared_ptr<SocketMode::Connection>> SocketMode::establish(Slot& slot) {
  ApiResult r = co_await api_.call_with("apps.connections.open", nlohmann::json::object(), app_token_);
  if (stopping_) co_return nullptr;
  if (!r.ok()) {
    // missing_args: the request carried no token at all; not_allowed_token_type: a
    // bot token where the app-level one belongs.
    if (r.token_refused() ||
        (r.kind == ApiResult::Kind::error && (r.error == "missing_args" || r.error == "not_allowed_token_type"))) {
      if (!fatal_.empty()) co_return nullptr;  // another slot said it already
      fatal_ = "apps.connections.open refused the app token (" + r.error +
               "): check SLACK_APP_TOKEN (xapp-…, with the connections:write scope)";
      spdlog::error("slack socket: {}", fatal_);
      co_return nullptr;
    }
    slot.hold = std::max(next_backoff(slot), r.retry_after);
    co_return nullptr;
  }
  const std::string url = r.body.value("url", "");
  net::WebSocketOptions wo;
  wo.handshake_timeout = options_.hello_timeout;
  wo.max_message_bytes = options_.max_message_bytes;
  wo.ca_file = options_.ca_file;
  std::shared_ptr<Connection> c;
  try {
    std::unique_ptr<net::WebSocket> ws = co_await net::WebSocket::connect(executor_, url, wo);
    c = std::make_shared<Connection>(executor_, std::move(ws), ++connections_made_, slot);
  } catch (const net::NetError& e) {
    spdlog::warn("slack socket: connecting to {} failed: {}", host_of(url), e.what());
    slot.hold = next_backoff(slot);
    co_return nullptr;
  }
  metrics_.add("coachbot_slack_connections_total");
  std::weak_ptr<Connection> weak = c;
  const auto heard = [this, weak](std::string_view) {
    auto s = weak.lock();
    if (!s) return;
    s->last_heard = Clock::now();
    // The bytes that said "more is coming" after an envelope may have been this ping
    // or pong alone: then the burst is over, and what waits for it must not wait until
    // the next envelope comes.
    if (s->input_pending) {
      s->input_pending = s->ws->input_pending();
      if (!s->input_pending && on_drained_) on_drained_();
    }
  };
  c->ws->on_pong(heard);
  c->ws->on_ping(heard);
  c->timer.expires_after(options_.hello_timeout);
  c->timer.async_wait([weak](boost::system::error_code ec) {
    if (ec) return;
    if (auto s = weak.lock(); s && !s->hello) {
      spdlog::warn("slack socket: no hello within the deadline; dropping connection {}", s->number);
      s->ws->abort();
    }
  });
  try {
    for (;;) {
      const std::string text = co_await c->ws->read();
      nlohmann::json frame = nlohmann::json::parse(text, nullptr, false);
      if (!frame.is_object()) continue;
      if (bot::string_at(frame, "type") == "hello") {
        c->hello = true;
        c->last_heard = Clock::now();
        c->timer.cancel();
        const auto* open = bot::member(frame, "num_connections");
        const auto* lifetime = bot::member(bot::object_at(frame, "debug_info"), "approximate_connection_time");
        spdlog::info("slack socket: connection {} ready ({} connections open, refresh expected after {} s)",
                     c->number, open && open->is_number_integer() ? open->get<long long>() : 0,
                     lifetime && lifetime->is_number_integer() ? lifetime->get<long long>() : 0);
        co_return c;
      }
      dispatch_safely(c, std::move(frame));
      if (c->dead || !fatal_.empty()) co_return nullptr;
    }
  } catch (const net::NetError& e) {
    spdlog::warn("slack socket: connection {} closed before hello: {}", c->number, e.what());
  } catch (const std::exception& e) {
    spdlog::warn("slack socket: connection {} dropped before hello: {}", c->number, e.what());
    c->ws->abort();
  }
  c->timer.cancel();
  if (slot.hold == std::chrono::milliseconds::zero()) slot.hold = next_backoff(slot);
  co_return nullptr;
}

asio::awaitable<void> SocketMode::serve(std::shared_ptr<Connection> c) {
  try {
    while (!c->dead) {
      const std::string text = co_await c->ws->read();
      c->last_heard = Clock::now();
      c->input_pending = c->ws->input_pending();
      nlohmann::json frame = nlohmann::json::parse(text, nullptr, false);
      if (frame.is_object()) dispatch_safely(c, std::move(frame));
      else spdlog::warn("slack socket: ignoring a frame that is not a JSON object ({} bytes)", text.size());
      if (!c->input_pending && on_drained_) on_drained_();
    }
  } catch (const net::NetError& e) {
    if (!stopping_) spdlog::info("slack socket: connection {} ended: {}", c->number, e.what());
  } catch (const std::exception& e) {
    // Whatever ends the read loop ends the connection: a socket nobody reads must not
    // count as open, or the slot would wait on it for ever.
    spdlog::error("slack socket: connection {} dropped after an error: {}", c->number, e.what());
    c->ws->abort();
  }
  c->input_pending = false;
  c->dead = true;
  if (on_drained_) on_drained_();
  c->timer.cancel();
  c->drain.cancel();
  if (c->slot.retiring == c) c->slot.retiring.reset();
  if (c->slot.current == c) {
    metrics_.add("coachbot_slack_reconnects_total");
    c->slot.wake.cancel();
  }
}

asio::awaitable<void> SocketMode::retire(std::shared_ptr<Connection> c) {
  c->drain.expires_after(options_.drain);
  boost::system::error_code ec;
  co_await c->drain.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  if (c->dead || stopping_) co_return;
  spdlog::info("slack socket: closing replaced connection {}", c->number);
  c->ws->close(1000, "replaced");
}

asio::awaitable<void> SocketMode::keep_alive(std::shared_ptr<Connection> c) {
  while (!c->dead && !stopping_) {
    c->timer.expires_after(options_.ping_interval);
    boost::system::error_code ec;
    co_await c->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (c->dead || stopping_) break;
    if (Clock::now() - c->last_heard > options_.pong_timeout) {
      spdlog::warn("slack socket: connection {} silent for more than {} ms; dropping it", c->number,
                   options_.pong_timeout.count());
      c->ws->abort();
      break;
    }
    c->ws->ping("coachbot");
  }
}

void SocketMode::dispatch_safely(const std::shared_ptr<Connection>& c, nlohmann::json frame) {
  try {
    dispatch(c, std::move(frame));
  } catch (const std::exception& e) {
    // One envelope the handler could not take (the database failed, say) stays unacked,
    // so Slack delivers it again; the socket and the envelopes after it go on.
    spdlog::error("slack socket: an envelope on connection {} could not be handled; not acked: {}", c->number,
                  e.what());
  }
}

void SocketMode::dispatch(const std::shared_ptr<Connection>& c, nlohmann::json frame) {
  const std::string type = bot::string_at(frame, "type");
  if (type == "disconnect") {
    const std::string reason = bot::string_at(frame, "reason");
    spdlog::info("slack socket: connection {} got disconnect ({})", c->number, reason);
    if (reason == "link_disabled") {
      fatal_ = "Slack disabled Socket Mode for this app (disconnect: link_disabled); turn it on again in the app "
               "settings, or use the Events API";
      spdlog::error("slack socket: {}", fatal_);
      c->ws->close(1000, "link disabled");
      wake();
    } else if (reason == "too_many_websockets") {
      // Stale sockets from other instances hold the slots: leave this one and wait.
      c->ws->close(1000, "too many websockets");
      c->slot.hold = std::max(options_.too_many_backoff, next_backoff(c->slot));
      if (c != c->slot.current) c->dead = true;
    } else if (c == c->slot.current) {
      c->slot.replace = true;
      c->slot.wake.cancel();
    }
    return;
  }
  if (type == "hello") return;
  const std::string id = bot::string_at(frame, "envelope_id");
  if (id.empty()) {
    spdlog::debug("slack socket: ignoring a frame of type '{}'", type);
    return;
  }
  Envelope env;
  env.id = id;
  env.type = type;
  if (auto p = frame.find("payload"); p != frame.end()) env.payload = std::move(*p);
  // Tolerant reads: a null or odd field must not leave the envelope unacked for ever.
  if (const auto* n = bot::member(frame, "retry_attempt"); n && n->is_number_integer()) env.retry_attempt = n->get<int>();
  env.retry_reason = bot::string_at(frame, "retry_reason");
  if (const auto* a = bot::member(frame, "accepts_response_payload"); a && a->is_boolean())
    env.accepts_response_payload = a->get<bool>();
  metrics_.add("coachbot_slack_envelopes_total", {{"type", type.empty() ? "unknown" : type}});
  std::weak_ptr<Connection> origin = c;
  handler_(std::move(env), [this, origin, id](std::optional<nlohmann::json> payload) {
    send_ack(origin, id, std::move(payload));
  });
}

void SocketMode::send_ack(const std::weak_ptr<Connection>& origin, std::string envelope_id,
                          std::optional<nlohmann::json> payload) {
  std::shared_ptr<Connection> c = origin.lock();
  // Any open socket of the app will do: Slack matches acks by envelope id. One being
  // replaced has its close frame queued, and what is written after it is lost.
  const auto usable = [](const std::shared_ptr<Connection>& s) { return s && !s->dead && s->ws->writable(); };
  for (const auto& s : slots_) {
    if (usable(c)) break;
    c = s->current;
  }
  if (!usable(c)) {
    spdlog::warn("slack socket: no open connection to ack envelope {}; Slack will redeliver it", envelope_id);
    return;
  }
  nlohmann::json ack{{"envelope_id", std::move(envelope_id)}};
  if (payload) ack["payload"] = std::move(*payload);
  std::string text = ack.dump();
  asio::co_spawn(executor_, write_on(std::move(c), std::move(text)), net::failure_logger("slack socket ack"));
}

}  // namespace adapters::slack
