#include "adapters/slack/slack_service.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "adapters/net/one_shot.hpp"
#include "adapters/net/task_failure.hpp"

#include "adapters/slack/block_kit.hpp"
#include "adapters/slack/signature.hpp"
#include "bot/json_fields.hpp"
#include "bot/text.hpp"

namespace adapters::slack {

namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t kMaxEarlyEnvelopes = 1024;

struct SlackService::Pending {
  Inbound inbound;
  std::function<void(bool committed, std::optional<nlohmann::json> payload)> done;
  SteadyClock::time_point received = SteadyClock::now();
};

struct SlackService::Lookup {
  explicit Lookup(const asio::any_io_executor& executor) : deadline(executor) {}
  std::vector<std::unique_ptr<Pending>> waiting;
  asio::steady_timer deadline;
};

namespace {


std::string identity_key(const bot::Identity& who) { return who.tenant + '/' + who.user; }


using net::respond;

void declare_metrics(net::Metrics& m) {
  net::declare_event_metrics(m);
  declare_slack_metrics(m);
}

}  // namespace

SlackService::SlackService(asio::any_io_executor executor, bot::Store& store, bot::Engine& engine,
                           bot::OutboxSender& sender, const bot::Clock& clock, net::HttpClient& http,
                           net::Metrics& metrics, SlackOptions options)
    : executor_(executor),
      store_(store),
      engine_(engine),
      clock_(clock),
      metrics_(metrics),
      options_(std::move(options)),
      api_(http, options_.api_url, options_.bot_token, metrics, options_.steady_now),
      delivery_(api_, store),
      pump_(executor, sender, clock, bot::Platform::slack, options_.limits, options_.max_in_flight,
            [this](bot::OutboxItem item) { return delivery_.deliver(std::move(item)); }, "slack") {
  declare_metrics(metrics_);
  // What a previous process had in flight when it stopped: at most the first in line
  // for as many recipients as go out at once.
  delivery_.inherit(store_.outbox().due_heads(bot::Platform::slack, std::nullopt, clock_.now(), options_.max_in_flight));
  if (options_.socket_mode)
    metrics_.gauge("coachbot_slack_sockets_open", "Socket Mode sockets open (slack.connections asks for this many)",
                   [this] { return socket_ ? static_cast<double>(socket_->open_sockets()) : 0.0; });
}

SlackService::~SlackService() = default;

bool SlackService::ready() const { return authed_ && (!options_.socket_mode || (socket_ && socket_->connected())); }

void SlackService::stop() {
  stopping_ = true;
  if (socket_) socket_->stop();
  pump_.stop();
}

asio::awaitable<std::string> SlackService::authenticate() {
  asio::steady_timer wait{executor_};
  for (int attempt = 0; !stopping_; ++attempt) {
    const ApiResult r = co_await api_.call("auth.test", nlohmann::json::object());
    if (r.ok()) {
      context_.bot_user_id = r.body.value("user_id", "");
      context_.bot_id = r.body.value("bot_id", "");
      authed_ = true;
      spdlog::info("slack: signed in as {} (user {}) in team {}", r.body.value("user", "?"), context_.bot_user_id,
                   r.body.value("team_id", "?"));
      co_return std::string{};
    }
    if (!r.transient()) co_return "auth.test refused the bot token (" + r.error + "): check SLACK_BOT_TOKEN";
    const std::chrono::milliseconds pause{std::min(1000L << std::min(attempt, 6), 60000L)};
    wait.expires_after(pause);
    boost::system::error_code ec;
    co_await wait.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  co_return std::string{"stopped"};
}

void SlackService::signed_in() {
  kick();  // what was queued before a restart
  auto early = std::move(early_);
  for (auto& [envelope, ack] : early) on_envelope(std::move(envelope), std::move(ack));
}

asio::awaitable<std::string> SlackService::run() {
  if (!options_.socket_mode) {
    std::string refused = co_await authenticate();
    if (!refused.empty()) co_return refused;
    signed_in();
    asio::steady_timer wait{executor_};
    while (!stopping_) {
      wait.expires_at(SteadyClock::time_point::max());
      boost::system::error_code ec;
      co_await wait.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (ec != asio::error::operation_aborted) break;
    }
    co_return "stopped";
  }
  socket_ = std::make_unique<SocketMode>(executor_, api_, options_.app_token, options_.socket, metrics_,
                                         [this](Envelope e, Ack a) { on_envelope(std::move(e), std::move(a)); });
  socket_->on_drained([this] {
    if (!batch_held_) return;
    batch_held_ = false;
    schedule_batch();
  });
  // The socket connects while auth.test is on its way (one round trip less before
  // events flow); envelopes that arrive before we know our own user id wait for it.
  asio::co_spawn(executor_, authenticate(), [this](std::exception_ptr e, std::string refused) {
    if (e) refused = "auth.test failed";
    if (refused.empty()) {
      signed_in();
      return;
    }
    if (stopping_) return;
    refused_ = std::move(refused);
    socket_->stop();
  });
  std::string why = co_await socket_->run();
  co_return refused_.empty() ? why : refused_;
}

void SlackService::on_envelope(Envelope envelope, Ack ack) {
  if (!authed_) {
    // Unacked, Slack sends them again; past a bound, leave the rest to that.
    if (early_.size() < kMaxEarlyEnvelopes) early_.emplace_back(std::move(envelope), std::move(ack));
    return;
  }
  Inbound in;
  if (envelope.type == "events_api") {
    in = parse_event_callback(envelope.payload, context_);
  } else if (envelope.type == "interactive") {
    in = parse_interactive(envelope.payload, context_);
  } else if (envelope.type == "slash_commands") {
    in = parse_slash_command(envelope.payload);
  } else {
    in.reason = "envelope type '" + envelope.type + "'";
  }
  metrics_.add("coachbot_events_received_total", {{"transport", "socket"}});
  if (in.kind != InboundKind::event) {
    // Acked all the same, or Slack keeps redelivering it.
    spdlog::debug("slack: ignoring envelope {}: {}", envelope.id, in.reason);
    ack(std::nullopt);
    metrics_.add("coachbot_events_acked_total", {{"transport", "socket"}});
    return;
  }
  receive(std::move(in), [this, ack = std::move(ack)](bool committed, std::optional<nlohmann::json> payload) {
    // Not committed: no ack, so Slack delivers it again.
    if (!committed) return;
    ack(std::move(payload));
    metrics_.add("coachbot_events_acked_total", {{"transport", "socket"}});
  });
}

void SlackService::receive(Inbound inbound, std::function<void(bool, std::optional<nlohmann::json>)> done) {
  inbound.event.received_at = clock_.now();
  inbound.event.bot_user = context_.bot_user_id;
  auto p = std::make_unique<Pending>();
  p->inbound = std::move(inbound);
  p->done = std::move(done);
  const bot::Identity who = p->inbound.event.from;
  // Events of someone whose users.info is still out wait behind it, in order.
  if (const auto it = looking_up_.find(who); it != looking_up_.end()) {
    it->second->waiting.push_back(std::move(p));
    return;
  }
  const std::string key = identity_key(who);
  if (const auto late = late_profiles_.find(key); late != late_profiles_.end()) {
    if (!late->second.name.empty()) p->inbound.event.display_name = late->second.name;
    if (late->second.zone) p->inbound.event.time_zone = late->second.zone;
    p->inbound.event.profile = true;
    late_profiles_.erase(late);
    unprofiled_.erase(key);
    known_.insert(key);
    batch_.push_back(std::move(p));
    schedule_batch();
    return;
  }
  // users.info failed for a reason that passes (a 429, a timeout): this event asks
  // again, so the name and time zone do not stay the defaults for good.
  bool ask = unprofiled_.erase(key) > 0;
  if (!ask && !known_.contains(key)) {
    std::optional<bot::Person> person;
    try {
      person = store_.people().find_by_identity(who);
    } catch (const std::exception& e) {
      spdlog::error("slack: looking up who sent an event failed; it is not acked, so Slack delivers it again: {}",
                    e.what());
      p->done(false, std::nullopt);
      return;
    }
    // A newcomer, or someone known only by their id (named as a manager with an
    // @-mention before they wrote): the name and time zone come from users.info.
    ask = !person || person->display_name == who.user;
    if (!ask) known_.insert(key);
  }
  if (ask) {
    auto lookup = std::make_shared<Lookup>(executor_);
    lookup->waiting.push_back(std::move(p));
    lookup->deadline.expires_after(options_.profile_wait);
    // The timer dies with the Lookup, so after release() or the service's end the
    // handler only sees operation_aborted.
    lookup->deadline.async_wait([this, who, weak = std::weak_ptr<Lookup>{lookup}](boost::system::error_code ec) {
      if (ec) return;
      if (const auto l = weak.lock()) {
        spdlog::warn("slack: users.info took over {} ms; answering with the defaults until it answers",
                     options_.profile_wait.count());
        release(who, l.get(), {}, std::nullopt, true);
      }
    });
    looking_up_.emplace(who, lookup);
    ++profile_calls_;
    asio::co_spawn(executor_, look_up(who, lookup), net::failure_logger("slack users.info"));
    return;
  }
  batch_.push_back(std::move(p));
  schedule_batch();
}

asio::awaitable<void> SlackService::look_up(bot::Identity who, std::weak_ptr<Lookup> lookup) {
  nlohmann::json args{{"user", who.user}};
  std::string name;
  std::optional<std::string> zone;
  bool again = false;  // failed, but asking later may work
  try {
    const ApiResult r = co_await api_.call("users.info", std::move(args));
    again = !r.ok() && r.transient();
    if (r.ok()) {
      const nlohmann::json& user = bot::object_at(r.body, "user");
      const nlohmann::json& profile = bot::object_at(user, "profile");
      for (const char* k : {"display_name", "real_name"})
        if (name.empty()) name = bot::string_at(profile, k);
      if (name.empty()) name = bot::string_at(user, "real_name");
      if (name.empty()) name = bot::string_at(user, "name");
      if (auto tz = bot::string_at(user, "tz"); !tz.empty()) zone = std::move(tz);
    }
  } catch (const std::exception& e) {
    // The events waiting for it must not wait for ever.
    spdlog::warn("slack: users.info for a new person failed: {}", e.what());
  }
  --profile_calls_;
  if (const auto l = lookup.lock()) {
    release(who, l.get(), name, zone, again);
    co_return;
  }
  // The deadline let the events go on with the defaults: what came late serves the
  // person's next event, which would otherwise ask again.
  if ((!name.empty() || zone) && late_profiles_.size() < kMaxUnprofiled)
    late_profiles_[identity_key(who)] = Profile{name, zone};
}

void SlackService::release(const bot::Identity& who, const Lookup* lookup, const std::string& name,
                           const std::optional<std::string>& zone, bool ask_again) {
  const auto it = looking_up_.find(who);
  if (it == looking_up_.end() || it->second.get() != lookup) return;
  const std::shared_ptr<Lookup> done = std::move(it->second);
  looking_up_.erase(it);
  done->deadline.cancel();
  // Without users.info the person still gets an answer; the defaults fill the gaps.
  known_.insert(identity_key(who));
  if (ask_again && unprofiled_.size() < kMaxUnprofiled) unprofiled_.insert(identity_key(who));
  for (auto& p : done->waiting) {
    if (!name.empty()) p->inbound.event.display_name = name;
    if (zone) p->inbound.event.time_zone = zone;
    p->inbound.event.profile = !name.empty() || zone.has_value();
    batch_.push_back(std::move(p));
  }
  schedule_batch();
}

void SlackService::schedule_batch() {
  if (batch_scheduled_) return;
  // More envelopes of the same burst are already on the socket: read them first, so
  // that one commit (one fsync) and one loop turn serve them all. The cap bounds how
  // long the first of them waits for its ack.
  constexpr std::size_t kMaxBatch = 256;
  if (socket_ && socket_->more_input() && batch_.size() < kMaxBatch) {
    batch_held_ = true;
    return;
  }
  batch_held_ = false;
  batch_scheduled_ = true;
  // Posted, so that every event already read in this turn joins the same commit.
  asio::post(executor_, [this] {
    batch_scheduled_ = false;
    process_batch();
  });
}

void SlackService::process_batch() {
  std::vector<std::unique_ptr<Pending>> items = std::move(batch_);
  batch_.clear();
  if (items.empty()) return;
  struct Outcome {
    bot::HandleResult result;
    bool ok = false;
    std::optional<nlohmann::json> payload;
  };
  std::vector<Outcome> outcomes(items.size());
  try {
    auto tx = store_.begin();
    for (std::size_t i = 0; i < items.size(); ++i) {
      const Inbound& in = items[i]->inbound;
      Outcome& o = outcomes[i];
      try {
        o.result = engine_.handle(in.event);
        o.ok = o.result.status != bot::Handled::conflict;
        if (o.result.status != bot::Handled::done) continue;
        // They erased their data: if they come back, they are new, profile and all.
        if (!o.result.person.value) known_.erase(identity_key(in.event.from));
        const bot::Instant now = clock_.now();
        if (in.view_submission) {
          // Answers that need another look go back into the open modal.
          for (const auto id : o.result.queued) {
            const auto item = store_.outbox().find(id);
            if (!item || !item->message.form || item->message.form->errors.empty()) continue;
            o.payload = view_errors(*item->message.form);
            store_.outbox().mark_delivered(id, now, std::string{"modal"});
          }
        }
        // A click in the person's DM: the message loses its buttons and says what was
        // chosen, so it cannot be answered twice. Posts in channels keep theirs (kudos).
        if (!in.message_ts.empty() && in.event.conversation.starts_with('D') && !o.result.declined &&
            !rewritten(in, o.result)) {
          bot::Message edit;
          edit.to = bot::Recipient{bot::RecipientKind::channel, {}, in.event.conversation, {}};
          if (!in.message_text.empty()) edit.sections.push_back(bot::Section{decode_entities(in.message_text)});
          edit.sections.push_back(bot::Section{"✓ " + (in.clicked_label.empty() ? in.event.value : in.clicked_label)});
          edit.edits = message_ref(in.event.conversation, in.message_ts);
          store_.outbox().add(bot::Platform::slack, edit, now, o.result.person);
        }
      } catch (const std::exception& e) {
        o.ok = false;
        spdlog::error("slack: handling a {} event failed; it is not acked, so Slack delivers it again: {}",
                      in.event_type, e.what());
      }
    }
    tx->commit();
  } catch (const std::exception& e) {
    spdlog::error("slack: committing {} events failed; none is acked: {}", items.size(), e.what());
    for (auto& p : items) p->done(false, std::nullopt);
    return;
  }
  const auto now = SteadyClock::now();
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (outcomes[i].result.status == bot::Handled::duplicate) metrics_.add("coachbot_events_duplicate_total");
    items[i]->done(outcomes[i].ok, std::move(outcomes[i].payload));
    metrics_.observe("coachbot_event_handling_seconds",
                     std::chrono::duration<double>(now - items[i]->received).count());
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!outcomes[i].ok || outcomes[i].result.status != bot::Handled::done) continue;
    try {
      open_modals(*items[i], outcomes[i].result);
    } catch (const std::exception& e) {
      // Committed and acked already; the questions are in the DM as well.
      spdlog::error("slack: opening a form failed: {}", e.what());
    }
  }
  kick();
}

bool SlackService::rewritten(const Inbound& in, const bot::HandleResult& r) {
  const auto original =
      store_.outbox().find_by_ref(bot::Platform::slack, message_ref(in.event.conversation, in.message_ts));
  return original && bot::rewritten_by(store_.outbox(), *original, r.queued);
}

void SlackService::open_modals(const Pending& p, const bot::HandleResult& r) {
  const Inbound& in = p.inbound;
  if (in.trigger_id.empty() || in.view_submission) return;
  for (const auto id : r.queued) {
    const auto item = store_.outbox().find(id);
    if (!item || !item->message.form || !item->message.form->errors.empty()) continue;
    nlohmann::json args{{"trigger_id", in.trigger_id}, {"view", modal_view(*item->message.form, in.event.conversation)}};
    // Trigger ids expire after 3 s and cannot be queued: this call goes now, ahead of
    // the outbox. The questions are in the message too, so a failure loses nothing.
    auto open = [](WebApi& api, nlohmann::json a) -> asio::awaitable<void> {
      const ApiResult result = co_await api.call("views.open", std::move(a));
      if (!result.ok()) spdlog::info("slack: the form could not be opened ({}); the questions are in the DM", result.error);
    };
    asio::co_spawn(executor_, open(api_, std::move(args)), net::failure_logger("slack views.open"));
    return;
  }
}

void SlackService::kick() {
  if (stopping_ || !authed_) return;
  pump_.kick();
}

asio::awaitable<net::HttpResponse> SlackService::handle_http(net::ServerRequest request) {
  metrics_.add("coachbot_events_received_total", {{"transport", "http"}});
  if (options_.signing_secret.empty()) co_return respond(404, "The Slack Events API is not enabled here.\n");
  // Slack's certificate probe of a slash command URL comes unsigned; whatever else it
  // carries is not looked at.
  if (is_ssl_check(request.header("Content-Type").value_or(""), request.body)) co_return respond(200, "");
  const auto check = verify_signature(options_.signing_secret, request.header("X-Slack-Request-Timestamp").value_or(""),
                                      request.header("X-Slack-Signature").value_or(""), request.body, clock_.now());
  if (check != SignatureCheck::ok) {
    metrics_.add("coachbot_events_rejected_total", {{"reason", std::string{to_string(check)}}});
    if (const auto held = refusals_.admit())
      spdlog::warn("slack: refused a request from {} to {}: {} ({} more refused since the last line like this)",
                   request.remote, request.path(), to_string(check), *held);
    co_return respond(401, "invalid request signature\n");
  }
  Inbound in;
  const std::string type{request.header("Content-Type").value_or("")};
  if (bot::media_type_is(type, "application/json")) {
    const auto body = nlohmann::json::parse(request.body, nullptr, false);
    if (!body.is_object()) co_return respond(400, "the body is not a JSON object\n");
    in = parse_event_callback(body, context_);
    if (in.kind == InboundKind::url_verification)
      co_return respond(200, nlohmann::json{{"challenge", in.challenge}}.dump(), "application/json");
  } else if (bot::media_type_is(type, "application/x-www-form-urlencoded")) {
    const auto fields = decode_form(request.body);
    if (!fields) co_return respond(400, "the form body is malformed\n");
    if (fields->contains("payload")) {
      const auto payload = interactive_payload(request.body);
      if (!payload) co_return respond(400, "the payload field is not a JSON object\n");
      in = parse_interactive(*payload, context_);
    } else if (fields->contains("command")) {
      in = parse_slash_command(*fields);
    } else {
      co_return respond(400, "neither an interaction payload nor a slash command\n");
    }
  } else {
    co_return respond(415, "expected application/json or application/x-www-form-urlencoded\n");
  }
  if (in.kind != InboundKind::event) {
    spdlog::debug("slack: ignoring a request: {}", in.reason);
    metrics_.add("coachbot_events_acked_total", {{"transport", "http"}});
    co_return respond(200, "");
  }

  // Until auth.test answered, the bot's own user id is unknown, and its own messages
  // would pass for a person's: Slack retries a 503 later. Clicks and slash commands
  // come from people, and Slack would not retry them.
  if (!authed_ && bot::media_type_is(type, "application/json"))
    co_return respond(503, "not ready: signing in to Slack; please retry\n");

  using Settled = std::pair<bool, std::optional<nlohmann::json>>;  // committed, the ack's payload
  auto settled = std::make_shared<net::OneShot<Settled>>(executor_);
  receive(std::move(in), [settled](bool committed, std::optional<nlohmann::json> payload) {
    settled->set(Settled{committed, std::move(payload)});
  });
  const Settled outcome = co_await settled->wait();
  // Not committed: a 500 makes Slack retry later.
  if (!outcome.first) co_return respond(500, "not stored; please retry\n");
  metrics_.add("coachbot_events_acked_total", {{"transport", "http"}});
  if (outcome.second) co_return respond(200, outcome.second->dump(), "application/json");
  co_return respond(200, "");
}

}  // namespace adapters::slack
