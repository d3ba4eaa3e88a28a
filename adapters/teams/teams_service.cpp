#include "adapters/teams/teams_service.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "adapters/net/one_shot.hpp"
#include "adapters/teams/adaptive_card.hpp"
#include "bot/json_fields.hpp"
#include "bot/text.hpp"

namespace adapters::teams {

namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;

struct TeamsService::Pending {
  Inbound inbound;
  std::function<void(bool committed, std::optional<nlohmann::json> payload)> done;
  SteadyClock::time_point received = SteadyClock::now();
};

struct TeamsService::Outcome {
  bot::HandleResult result;
  bool ok = false;
  std::optional<nlohmann::json> card;  // an invoke's answer: the card that replaces the pressed one
};

namespace {

using net::respond;

bool loopback_url(const std::string& url) {
  const auto ep = net::parse_endpoint(url);
  return ep && (ep->host == "localhost" || ep->host == "127.0.0.1" || ep->host == "::1" || ep->host == "[::1]");
}

// teams.md §9.6: HTTP 200 whenever the invoke was processed; the outcome is in the body.
net::HttpResponse invoke_answer(const std::optional<nlohmann::json>& card) {
  nlohmann::json body = card ? nlohmann::json{{"statusCode", 200},
                                              {"type", "application/vnd.microsoft.card.adaptive"},
                                              {"value", *card}}
                             : nlohmann::json{{"statusCode", 200},
                                              {"type", "application/vnd.microsoft.activity.message"},
                                              {"value", "Got it."}};
  return respond(200, body.dump(), "application/json; charset=utf-8");
}

}  // namespace

TeamsService::TeamsService(asio::any_io_executor executor, bot::Store& store, bot::Engine& engine,
                           bot::OutboxSender& sender, const bot::Clock& clock, net::HttpClient& http,
                           net::Metrics& metrics, TeamsOptions options)
    : executor_(executor),
      store_(store),
      engine_(engine),
      clock_(clock),
      metrics_(metrics),
      options_(std::move(options)),
      tokens_(options_.dev_mode ? nullptr
                                : std::make_unique<TokenClient>(
                                      executor, http, metrics,
                                      TokenOptions{TokenClient::endpoint(options_.token_url, options_.tenant_id),
                                                   options_.app_id, options_.app_password,
                                                   "https://api.botframework.com/.default", {}})),
      keys_(options_.dev_mode ? nullptr
                              : std::make_unique<OpenIdKeys>(executor, http, metrics,
                                                             OpenIdOptions{options_.openid_url,
                                                                           std::chrono::seconds{24 * 3600},
                                                                           std::chrono::seconds{300}})),
      connector_(http, tokens_.get(), metrics, ConnectorOptions{options_.dev_mode, options_.extra_service_hosts}),
      delivery_(connector_, store, clock, metrics, options_.default_service_url),
      pump_(executor, sender, clock, bot::Platform::teams, options_.limits, options_.max_in_flight,
            [this](bot::OutboxItem item) { return delivery_.deliver(std::move(item)); }, "teams"),
      idle_wait_(executor) {
  rules_.app_id = options_.app_id;
  net::declare_event_metrics(metrics_);
  metrics_.gauge("coachbot_teams_conversations_inactive",
                 "Teams conversations the bot may not write to (removed or blocked)", [&store] {
                   return static_cast<double>(store.conversations().count_inactive(bot::Platform::teams));
                 });
}

TeamsService::~TeamsService() = default;

bool TeamsService::ready() const { return options_.dev_mode || (keys_ && keys_->loaded()); }

void TeamsService::stop() {
  stopping_ = true;
  pump_.stop();
  if (keys_) keys_->stop();
  idle_wait_.cancel();
}

asio::awaitable<void> TeamsService::run() {
  pump_.kick();  // what was queued before a restart
  if (keys_) {
    co_await keys_->run();
    co_return;
  }
  while (!stopping_) {
    idle_wait_.expires_at(SteadyClock::time_point::max());
    boost::system::error_code ec;
    co_await idle_wait_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

asio::awaitable<std::string> TeamsService::authenticate(const net::ServerRequest& request,
                                                        const nlohmann::json& activity) {
  const auto service_url_it = activity.find("serviceUrl");
  const std::string service_url =
      service_url_it != activity.end() && service_url_it->is_string() ? service_url_it->get<std::string>() : "";
  const auto authorization = request.header("Authorization");
  // The key's endorsement is checked for msteams, so the activity must say msteams too.
  if (bot::string_at(activity, "channelId") != rules_.channel_id) co_return "channelId is not " + rules_.channel_id;
  if (options_.dev_mode) {
    // The Playground sends no token; anything that does, or that would make us talk to
    // a host off this machine, is not the Playground.
    if (authorization) co_return "dev mode takes no Authorization header";
    if (!loopback_url(service_url)) co_return "dev mode takes only a loopback serviceUrl";
    co_return "ok";
  }
  auto parsed = parse_bearer(authorization, rules_);
  if (const auto* failed = std::get_if<TokenCheck>(&parsed)) co_return std::string{to_string(*failed)};
  const auto& token = std::get<ParsedToken>(parsed);
  std::optional<SigningKey> key = co_await keys_->find(token.kid());
  if (!key) co_return std::string{to_string(TokenCheck::unknown_key)};
  const KeySet one{{key->kid, *key}};
  const TokenCheck check = verify_token(token, one, rules_, service_url, clock_.now());
  if (check != TokenCheck::ok) co_return std::string{to_string(check)};
  // Only now is the serviceUrl trusted; still, our token goes only to Teams' hosts.
  if (!connector_.allowed(service_url)) co_return "serviceUrl host not allowed";
  co_return "ok";
}

net::HttpResponse TeamsService::refused(const std::string& remote, const std::string& why, std::string body) {
  metrics_.add("coachbot_events_rejected_total", {{"reason", why}});
  if (const auto held = refusals_.admit())
    spdlog::warn("teams: refused an activity from {}: {} ({} more refused since the last line like this)", remote, why,
                 *held);
  return respond(401, std::move(body));
}

asio::awaitable<net::HttpResponse> TeamsService::handle_http(net::ServerRequest request) {
  metrics_.add("coachbot_events_received_total", {{"transport", "teams"}});
  if (request.method != "POST") co_return net::method_not_allowed("POST");
  // A stranger's request ends here, before its body is parsed.
  if (!options_.dev_mode) {
    const auto parsed = parse_bearer(request.header("Authorization"), rules_);
    if (const auto* failed = std::get_if<TokenCheck>(&parsed)) {
      co_return refused(request.remote, std::string{to_string(*failed)}, "missing or malformed token\n");
    }
  }
  if (!bot::media_type_is(request.header("Content-Type").value_or(""), "application/json"))
    co_return respond(415, "expected application/json\n");
  const auto activity = nlohmann::json::parse(request.body, nullptr, false);
  if (!activity.is_object()) {
    metrics_.add("coachbot_events_rejected_total", {{"reason", "malformed"}});
    co_return respond(400, "the body is not a JSON object\n");
  }
  const std::string why = co_await authenticate(request, activity);
  if (why != "ok") {
    co_return refused(request.remote, why, "invalid token\n");
  }
  Inbound in = parse_activity(activity);
  if (in.kind != InboundKind::event) {
    spdlog::debug("teams: ignoring a {} activity: {}", in.activity_type, in.reason);
    if (in.bot_membership != Membership::unchanged) {
      try {
        record_membership(in);
      } catch (const std::exception& e) {
        spdlog::error("teams: recording an install change failed: {}", e.what());
        co_return respond(500, "not stored; please retry\n");
      }
    }
    metrics_.add("coachbot_events_acked_total", {{"transport", "teams"}});
    // An invoke nobody here handles: what Microsoft's SDKs answer.
    co_return respond(in.invoke ? 501 : 200);
  }

  using Settled = std::pair<bool, std::optional<nlohmann::json>>;  // committed, the invoke's card
  auto settled = std::make_shared<net::OneShot<Settled>>(executor_);
  const bool invoke = in.invoke;
  receive(std::move(in), [settled](bool committed, std::optional<nlohmann::json> card) {
    settled->set(Settled{committed, std::move(card)});
  });
  const Settled outcome = co_await settled->wait();
  if (!outcome.first) co_return respond(500, "not stored; please retry\n");
  metrics_.add("coachbot_events_acked_total", {{"transport", "teams"}});
  if (invoke) co_return invoke_answer(outcome.second);
  co_return respond(200);
}

void TeamsService::receive(Inbound inbound, std::function<void(bool, std::optional<nlohmann::json>)> done) {
  inbound.event.received_at = clock_.now();
  auto p = std::make_unique<Pending>();
  p->inbound = std::move(inbound);
  p->done = std::move(done);
  batch_.push_back(std::move(p));
  schedule_batch();
}

void TeamsService::schedule_batch() {
  if (batch_scheduled_) return;
  batch_scheduled_ = true;
  // Posted, so that every request already read in this turn joins the same commit.
  asio::post(executor_, [this] {
    batch_scheduled_ = false;
    process_batch();
  });
}

void TeamsService::process_batch() {
  std::vector<std::unique_ptr<Pending>> items = std::move(batch_);
  batch_.clear();
  if (items.empty()) return;
  std::vector<Outcome> outcomes(items.size());
  try {
    auto tx = store_.begin();
    for (std::size_t i = 0; i < items.size(); ++i) {
      try {
        // Its own savepoint: a failure undoes this event only.
        auto one = store_.begin();
        handle_one(items[i]->inbound, outcomes[i]);
        one->commit();
      } catch (const std::exception& e) {
        outcomes[i].ok = false;
        spdlog::error("teams: handling a {} activity failed; answered 500: {}", items[i]->inbound.activity_type,
                      e.what());
      }
    }
    tx->commit();
  } catch (const std::exception& e) {
    spdlog::error("teams: committing {} activities failed; none is acknowledged: {}", items.size(), e.what());
    for (auto& p : items) p->done(false, std::nullopt);
    return;
  }
  const auto now = SteadyClock::now();
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (outcomes[i].result.status == bot::Handled::duplicate) metrics_.add("coachbot_events_duplicate_total");
    items[i]->done(outcomes[i].ok, std::move(outcomes[i].card));
    metrics_.observe("coachbot_event_handling_seconds",
                     std::chrono::duration<double>(now - items[i]->received).count());
  }
  pump_.kick();
}

void TeamsService::handle_one(const Inbound& in, Outcome& o) {
  o.result = engine_.handle(in.event);
  o.ok = o.result.status != bot::Handled::conflict;
  if (o.result.status == bot::Handled::duplicate) {
    // A reinstall on the day of the first install greets nobody twice, but the chat is
    // open again all the same.
    if (const auto p = store_.people().find_by_identity(in.event.from)) remember_conversation(in, p->id);
    return;
  }
  if (o.result.status != bot::Handled::done) return;
  remember_conversation(in, o.result.person);
  if (in.card_submit) answer_card(in, o);
  else if (in.from_channel) point_to_chat(in, o);
}

void TeamsService::remember_conversation(const Inbound& in, std::optional<bot::PersonId> person) {
  const ConversationInfo& c = in.conversation;
  if (c.id.empty() || c.service_url.empty()) return;
  auto& refs = store_.conversations();
  bot::ConversationRef ref;
  ref.platform = bot::Platform::teams;
  ref.tenant = c.tenant;
  ref.service_url = c.service_url;
  ref.updated_at = clock_.now();
  if (c.type == "personal" || c.type.empty()) {
    ref.conversation = c.id;
    ref.kind = "personal";
    if (person && *person) ref.person = *person;
    ref.user_id = c.user_id;
    refs.save(ref);
    return;
  }
  // A channel or group chat: remember it (for posts there), and the writer's user id,
  // so that a 1:1 chat can be opened with them if they have none yet.
  ref.conversation = c.type == "channel" && !c.channel_id.empty() ? c.channel_id : c.id;
  ref.kind = c.type == "channel" ? "channel" : "groupChat";
  ref.team = c.team_id;
  refs.save(ref);
  if (!person || !*person || c.user_id.empty()) return;
  // A closed 1:1 chat (app removed) does not count: a new one can be opened from here.
  if (const auto mine = refs.personal(bot::Platform::teams, *person); mine && mine->kind == "personal" && mine->active)
    return;
  bot::ConversationRef user = ref;
  user.conversation = c.user_id;
  user.kind = "user";
  user.team.clear();
  user.person = *person;
  user.user_id = c.user_id;
  refs.save(user);
}

void TeamsService::answer_card(const Inbound& in, Outcome& o) {
  if (in.reply_to_id.empty()) return;
  const std::string ref = activity_ref(in.conversation.id, in.reply_to_id);
  const auto original = store_.outbox().find_by_ref(bot::Platform::teams, ref);
  const bot::Instant now = clock_.now();
  // Refused answers: the same card comes back with the reasons under the fields.
  for (const auto id : o.result.queued) {
    const auto item = store_.outbox().find(id);
    if (!item || !item->message.form || item->message.form->errors.empty()) continue;
    if (in.invoke) {
      o.card = render_card(item->message);
      store_.outbox().mark_delivered(id, now, std::string{"invoke"});
    } else if (original) {
      bot::Message again = item->message;
      again.edits = ref;
      store_.outbox().add(bot::Platform::teams, again, now, o.result.person);
      store_.outbox().mark_delivered(id, now, std::string{"card"});
    }
    return;
  }
  // Channel posts keep their buttons: everyone there may give kudos. A click that was
  // not taken leaves the card as it was.
  if (!original || in.from_channel || o.result.declined) return;
  if (bot::rewritten_by(store_.outbox(), *original, o.result.queued)) return;
  const std::string label = !in.clicked_label.empty() ? in.clicked_label
                            : in.event.kind == bot::EventKind::form_submit ? std::string{"Sent"}
                                                                           : in.event.value;
  if (in.invoke) {
    o.card = answered_activity(original->message, "✓ " + label)["attachments"][0]["content"];
    return;
  }
  bot::Message answered = original->message;
  answered.buttons.clear();
  answered.form.reset();
  answered.update_key.reset();
  answered.sections.push_back(bot::Section{"✓ " + label});
  answered.to = bot::Recipient{bot::RecipientKind::channel, {}, in.conversation.id, {}};
  answered.edits = ref;
  store_.outbox().add(bot::Platform::teams, answered, clock_.now(), o.result.person);
}

void TeamsService::point_to_chat(const Inbound& in, const Outcome& o) {
  // Coaching is personal: answers go to the 1:1 chat, and the channel hears only where.
  bool answered_privately = false;
  for (const auto id : o.result.queued) {
    const auto item = store_.outbox().find(id);
    if (item && item->message.to.kind == bot::RecipientKind::person && item->message.to.person == o.result.person)
      answered_privately = true;
  }
  if (!answered_privately) return;
  const std::string who = in.event.display_name.empty() ? std::string{"You"} : in.event.display_name;
  bot::Recipient here = in.event.thread.empty()
                            ? bot::Recipient{bot::RecipientKind::channel, {}, in.conversation.id, {}}
                            : bot::Recipient{bot::RecipientKind::thread, {}, in.event.conversation, in.event.thread};
  store_.outbox().add(bot::Platform::teams,
                      bot::Message::text(here, who + ", I answered you in our 1:1 chat, where your plan stays private."),
                      clock_.now(), o.result.person);
}

void TeamsService::record_membership(const Inbound& in) {
  const ConversationInfo& c = in.conversation;
  if (c.id.empty()) return;
  auto tx = store_.begin();
  const std::string conversation = c.type == "channel" && !c.channel_id.empty() ? c.channel_id : c.id;
  if (in.bot_membership == Membership::removed) {
    store_.conversations().deactivate(bot::Platform::teams, conversation, "uninstalled", clock_.now());
    spdlog::info("teams: removed from a {} conversation; no more messages go there", c.type);
  } else {
    remember_conversation(in, std::nullopt);
    spdlog::info("teams: installed in a {} conversation", c.type.empty() ? "personal" : c.type);
  }
  tx->commit();
}

}  // namespace adapters::teams
