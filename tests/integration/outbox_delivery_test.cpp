// The reliable outbox on a real SQLite file: a fake platform that fails, rate-limits
// and recovers, token-bucket pacing, message updates and dead letters, and the real
// binary's `coachbot outbox --failed` / `--retry`. Time is a ManualClock: no sleeps.
#include <catch2/catch.hpp>

#include <algorithm>
#include <deque>
#include <map>

#include "bot/outbox_sender.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

using Catch::Matchers::Contains;

namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Answers from a script per recipient key, then accepts. Remembers every attempt and
// every message it accepted, with the `replaces` it was given.
struct FakePlatform : bot::Messenger {
  std::map<std::string, std::deque<bot::Delivery>> script;
  std::deque<bot::Delivery> any;  // for whoever comes next, after the recipient's own script
  bot::RateLimits rate = bot::RateLimits::none();
  std::vector<bot::OutboxId> attempts;
  std::vector<bot::OutboxId> accepted;
  std::vector<std::string> shown;
  std::map<std::int64_t, std::optional<std::string>> replaced;
  int next_ts = 1;

  bot::Platform platform() const override { return bot::Platform::slack; }
  bot::RateLimits limits() const override { return rate; }
  bot::Delivery deliver(const bot::OutboxItem& item) override {
    attempts.push_back(item.id);
    bot::Delivery d = bot::Delivery::ok("1790000000." + std::to_string(next_ts));
    auto& own = script[item.recipient_key];
    if (!own.empty()) {
      d = own.front();
      own.pop_front();
    } else if (!any.empty()) {
      d = any.front();
      any.pop_front();
    }
    if (d.outcome == bot::Delivery::Outcome::delivered) {
      // Slack's chat.update keeps the message's ts; a new post gets a new one.
      if (item.replaces) d.platform_ref = item.replaces;
      else ++next_ts;
      accepted.push_back(item.id);
      shown.push_back(item.message.plain_text());
      replaced[item.id.value] = item.replaces;
    }
    return d;
  }
};

struct Rig {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("o.db")}};
  bot::ManualClock clock{bot::from_unix_ms(1'790'000'000'000)};
  bot::OutboxSender sender{store, clock, 5};
  FakePlatform slack;
  bot::PersonId alice, bob;
  Rig() {
    bot::Person p;
    p.prefs.time_zone = "UTC";
    p.display_name = "alice";
    alice = store.people().create(p, {bot::Platform::slack, "T", "A"}).id;
    p.display_name = "bob";
    bob = store.people().create(p, {bot::Platform::slack, "T", "B"}).id;
  }
  bot::OutboxId queue(bot::Recipient to, const std::string& text, std::optional<std::string> update_key = {}) {
    bot::Message m = bot::Message::text(std::move(to), text);
    m.update_key = std::move(update_key);
    return store.outbox().add(bot::Platform::slack, m, clock.now());
  }
  bot::OutboxId queue(bot::PersonId to, const std::string& text) { return queue(bot::Recipient::dm(to), text); }
  bot::OutboxStatus status(bot::OutboxId id) { return store.outbox().find(id)->status; }
};

bot::Recipient channel(const std::string& id) {
  bot::Recipient r;
  r.kind = bot::RecipientKind::channel;
  r.channel = id;
  return r;
}

std::string key(bot::PersonId p) { return "person:" + std::to_string(p.value); }

// What the Slack and Teams adapters answer for a 429.
bot::Delivery too_many(milliseconds retry_after) { return bot::Delivery::held("HTTP 429", retry_after); }

}  // namespace

TEST_CASE("A 429 for one recipient moves only that recipient's messages, the others are delivered") {
  Rig rig;
  const auto a1 = rig.queue(rig.alice, "a1");
  rig.queue(rig.alice, "a2");
  rig.queue(rig.bob, "b1");
  rig.queue(rig.bob, "b2");
  rig.slack.script[key(rig.alice)] = {too_many(seconds{120})};

  CHECK(rig.sender.drain(rig.slack) == 2);
  CHECK(rig.slack.shown == std::vector<std::string>{"b1", "b2"});
  const auto held = rig.store.outbox().find(a1);
  CHECK(held->status == bot::OutboxStatus::pending);
  CHECK(held->attempts == 0);  // the platform's limit, not a fault of the message
  CHECK(held->last_error == "HTTP 429");
  CHECK(held->next_attempt_at >= rig.clock.now() + seconds{120});
  CHECK(rig.sender.next_due() == held->next_attempt_at);

  // Bob keeps going while Alice waits out her Retry-After.
  rig.queue(rig.bob, "b3");
  rig.clock.advance(seconds{60});
  CHECK(rig.sender.drain(rig.slack) == 1);
  CHECK(rig.slack.shown.back() == "b3");

  rig.clock.set(held->next_attempt_at);
  CHECK(rig.sender.drain(rig.slack) == 2);
  CHECK(rig.slack.shown == std::vector<std::string>{"b1", "b2", "b3", "a1", "a2"});
  CHECK_FALSE(rig.sender.next_due());
}

TEST_CASE("A platform that fails, rate-limits and recovers: nothing lost, nothing delivered twice") {
  Rig rig;
  std::vector<bot::OutboxId> ids;
  for (int i = 0; i < 6; ++i) {
    for (const auto& to : {bot::Recipient::dm(rig.alice), bot::Recipient::dm(rig.bob), channel("C1")}) {
      const std::string text = std::to_string(i);
      ids.push_back(rig.queue(to, text));
    }
  }
  rig.slack.rate.per_recipient_interval = seconds{1};
  rig.slack.rate.burst = 2;
  rig.slack.any = {bot::Delivery::retry_later("connection reset"), bot::Delivery::retry_later("HTTP 503"),
                   too_many(seconds{30}), bot::Delivery::retry_later("timeout"), too_many(seconds{5}),
                   bot::Delivery::retry_later("HTTP 502")};

  std::size_t delivered = 0;
  for (int round = 0; round < 100 && delivered < ids.size(); ++round) {
    delivered += rig.sender.drain(rig.slack);
    const auto next = rig.sender.next_due();
    if (!next) break;
    REQUIRE(*next > rig.clock.now());  // a service loop would sleep, not spin
    rig.clock.set(*next);
  }
  CHECK(delivered == ids.size());
  CHECK(rig.slack.any.empty());
  // Every message accepted exactly once, and only after every failure was retried.
  std::vector<bot::OutboxId> accepted = rig.slack.accepted;
  std::sort(accepted.begin(), accepted.end());
  CHECK(accepted == ids);
  CHECK(rig.slack.attempts.size() == ids.size() + 6);
  for (const auto id : ids) CHECK(rig.status(id) == bot::OutboxStatus::delivered);
  CHECK(rig.store.outbox().count(bot::OutboxStatus::pending) == 0);
  CHECK(rig.store.outbox().count(bot::OutboxStatus::dead) == 0);
  // In order per recipient: each recipient's messages were accepted as 0, 1, ... 5.
  std::map<std::string, std::vector<std::string>> seen;
  for (const auto id : rig.slack.accepted) {
    const auto item = rig.store.outbox().find(id);
    seen[item->recipient_key].push_back(item->message.plain_text());
  }
  const std::vector<std::string> in_order{"0", "1", "2", "3", "4", "5"};
  CHECK(seen.size() == 3);
  for (const auto& [recipient, texts] : seen) {
    INFO(recipient);
    CHECK(texts == in_order);
  }
  CHECK(rig.sender.drain(rig.slack) == 0);
}

TEST_CASE("A note held for someone's sending window does not hold back the answers to what they type meanwhile") {
  Rig rig;
  // 21:00: a report asked for help; the manager (alice) hears of it at 08:00.
  const auto note = rig.store.outbox().add(bot::Platform::slack, bot::Message::text(bot::Recipient::dm(rig.alice), "note"),
                                           rig.clock.now(), rig.bob, rig.clock.now() + hours{11});
  // 21:05: alice writes to the bot herself and gets her answer at once.
  rig.clock.advance(std::chrono::minutes{5});
  rig.queue(rig.alice, "answer");
  CHECK(rig.sender.drain(rig.slack) == 1);
  CHECK(rig.slack.shown == std::vector<std::string>{"answer"});
  CHECK(rig.status(note) == bot::OutboxStatus::pending);
  CHECK(rig.sender.next_due() == rig.clock.now() + hours{11} - std::chrono::minutes{5});
  // A message that failed and waits for its retry still holds back those behind it.
  rig.slack.script[key(rig.alice)] = {bot::Delivery::retry_later("HTTP 503")};
  rig.queue(rig.alice, "first");
  rig.queue(rig.alice, "second");
  CHECK(rig.sender.drain(rig.slack) == 0);
  rig.clock.set(*rig.sender.next_due());
  CHECK(rig.sender.drain(rig.slack) == 2);
  CHECK(rig.slack.shown == std::vector<std::string>{"answer", "first", "second"});
  // At 08:00 the note goes.
  rig.clock.set(*rig.sender.next_due());
  CHECK(rig.sender.drain(rig.slack) == 1);
  CHECK(rig.slack.shown.back() == "note");

  // A held message and a younger one with the same update key keep their order: the
  // younger edits what the held one posts, never the other way round.
  bot::Message request = bot::Message::text(bot::Recipient::dm(rig.alice), "review request");
  request.update_key = "plan:1";
  rig.store.outbox().add(bot::Platform::slack, request, rig.clock.now(), rig.bob, rig.clock.now() + hours{11});
  bot::Message approved = bot::Message::text(bot::Recipient::dm(rig.alice), "approved");
  approved.update_key = "plan:1";
  rig.store.outbox().add(bot::Platform::slack, approved, rig.clock.now());
  CHECK(rig.sender.drain(rig.slack) == 0);
  rig.clock.set(*rig.sender.next_due());
  CHECK(rig.sender.drain(rig.slack) == 2);
  CHECK(rig.slack.shown == std::vector<std::string>{"answer", "first", "second", "note", "review request", "approved"});
  CHECK(rig.slack.replaced.rbegin()->second.has_value());  // "approved" edited the request
}

TEST_CASE("More 429s than max attempts do not park a message as dead: it goes when the platform lets it") {
  Rig rig;  // max attempts 5
  const auto a1 = rig.queue(rig.alice, "a1");
  for (int i = 0; i < 8; ++i) rig.slack.script[key(rig.alice)].push_back(too_many(seconds{1}));
  for (int round = 0; round < 20 && rig.status(a1) == bot::OutboxStatus::pending; ++round) {
    rig.sender.drain(rig.slack);
    if (const auto next = rig.sender.next_due()) rig.clock.set(*next);
  }
  CHECK(rig.status(a1) == bot::OutboxStatus::delivered);
  CHECK(rig.slack.attempts.size() == 9);
  CHECK(rig.store.outbox().count(bot::OutboxStatus::dead) == 0);
}

TEST_CASE("A token the platform refuses holds every message, tried by one probe a minute, none given up on") {
  Rig rig;  // max attempts 5
  std::vector<bot::OutboxId> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(rig.queue(rig.alice, "a" + std::to_string(i)));
    ids.push_back(rig.queue(rig.bob, "b" + std::to_string(i)));
  }
  const auto revoked = bot::Delivery::platform_unusable("chat.postMessage: token_revoked", seconds{60});
  for (int i = 0; i < 10; ++i) rig.slack.any.push_back(revoked);

  // The first failure stops the drain: nobody else's message is tried and parked.
  CHECK(rig.sender.drain(rig.slack) == 0);
  CHECK(rig.slack.attempts.size() == 1);
  CHECK(rig.sender.next_due() == rig.clock.now() + seconds{60});
  // Ten minutes of a revoked token: one attempt a minute, nothing dead, nothing counted.
  for (int minute = 0; minute < 9; ++minute) {
    rig.clock.advance(seconds{60});
    CHECK(rig.sender.drain(rig.slack) == 0);
  }
  CHECK(rig.slack.attempts.size() == 10);
  CHECK(rig.store.outbox().count(bot::OutboxStatus::dead) == 0);
  for (const auto id : ids) CHECK(rig.store.outbox().find(id)->attempts == 0);

  // The operator fixed the app: the next probe goes through and everyone follows, in order.
  rig.clock.advance(seconds{60});
  CHECK(rig.sender.drain(rig.slack) == ids.size());
  CHECK(rig.slack.shown == std::vector<std::string>{"a0", "b0", "a1", "b1", "a2", "b2"});
  CHECK_FALSE(rig.sender.next_due());
}

TEST_CASE("A recipient's token bucket lets a burst through, then one a second, others are unaffected") {
  Rig rig;
  rig.slack.rate.per_recipient_interval = seconds{1};
  rig.slack.rate.burst = 3;
  std::vector<bot::OutboxId> to_alice;
  for (int i = 1; i <= 5; ++i) to_alice.push_back(rig.queue(rig.alice, "a" + std::to_string(i)));
  rig.queue(rig.bob, "b1");
  rig.queue(rig.bob, "b2");

  CHECK(rig.sender.drain(rig.slack) == 5);
  CHECK(rig.slack.shown == std::vector<std::string>{"a1", "b1", "a2", "b2", "a3"});
  // Held back, not tried: no attempt used up.
  const auto fourth = rig.store.outbox().find(to_alice[3]);
  CHECK(fourth->status == bot::OutboxStatus::pending);
  CHECK(fourth->attempts == 0);
  CHECK(rig.sender.next_due() == rig.clock.now() + seconds{1});

  rig.queue(rig.bob, "b3");  // Bob still has tokens left
  rig.clock.advance(milliseconds{999});
  CHECK(rig.sender.drain(rig.slack) == 1);
  CHECK(rig.slack.shown.back() == "b3");

  rig.clock.advance(milliseconds{1});
  CHECK(rig.sender.drain(rig.slack) == 1);
  CHECK(rig.slack.shown.back() == "a4");
  CHECK(rig.sender.next_due() == rig.clock.now() + seconds{1});
  CHECK(rig.sender.drain(rig.slack) == 0);

  rig.clock.advance(seconds{1});
  CHECK(rig.sender.drain(rig.slack) == 1);
  CHECK(rig.slack.shown.back() == "a5");
  CHECK(rig.store.outbox().find(to_alice[4])->attempts == 1);
  CHECK_FALSE(rig.sender.next_due());
}

TEST_CASE("A platform-wide limit paces everyone together") {
  Rig rig;
  rig.slack.rate.per_platform_interval = milliseconds{100};
  rig.slack.rate.platform_burst = 2;
  rig.queue(rig.alice, "a1");
  rig.queue(rig.bob, "b1");
  rig.queue(channel("C1"), "c1");
  CHECK(rig.sender.drain(rig.slack) == 2);
  CHECK(rig.sender.next_due() == rig.clock.now() + milliseconds{100});
  rig.clock.advance(milliseconds{100});
  CHECK(rig.sender.drain(rig.slack) == 1);
  CHECK(rig.slack.shown == std::vector<std::string>{"a1", "b1", "c1"});
}

TEST_CASE("A message with an update key replaces the one delivered before it to the same recipient") {
  Rig rig;
  const auto first = rig.queue(channel("C1"), "3 kudos", std::string{"kudos:7"});
  rig.queue(channel("C1"), "other post", std::string{"kudos:8"});
  rig.queue(channel("C2"), "same key, other channel", std::string{"kudos:7"});
  CHECK(rig.sender.drain(rig.slack) == 3);
  const auto ref = rig.store.outbox().find(first)->platform_ref;
  REQUIRE(ref);
  for (const auto& [id, replaces] : rig.slack.replaced) CHECK_FALSE(replaces);

  const auto second = rig.queue(channel("C1"), "4 kudos", std::string{"kudos:7"});
  const auto plain = rig.queue(channel("C1"), "no key");
  CHECK(rig.sender.drain(rig.slack) == 2);
  CHECK(rig.slack.replaced[second.value] == ref);
  CHECK_FALSE(rig.slack.replaced[plain.value]);
  CHECK(rig.store.outbox().find(second)->platform_ref == ref);

  // A later update still finds the message, through the update that kept its ref.
  const auto third = rig.queue(channel("C1"), "5 kudos", std::string{"kudos:7"});
  rig.slack.script["channel:C1"] = {bot::Delivery::retry_later("timeout")};
  CHECK(rig.sender.drain(rig.slack) == 0);
  const auto waiting = rig.store.outbox().due(bot::Platform::slack, std::nullopt, rig.clock.now() + hours{1}, 10,
                                              bot::OutboxId{0});
  REQUIRE(waiting.size() == 1);
  CHECK(waiting[0].replaces == ref);
  rig.clock.advance(hours{1});
  CHECK(rig.sender.drain(rig.slack) == 1);
  CHECK(rig.slack.replaced[third.value] == ref);
}

TEST_CASE("A message queued after the newest one was erased on its way gets an id of its own and still goes") {
  Rig rig;
  rig.queue(rig.bob, "for bob");
  const auto taken = rig.sender.take(bot::Platform::slack, bot::RateLimits::none(), {}, 8);
  REQUIRE(taken.size() == 1);
  // Bob erases himself while his message is on its way (his rows go by cascade), and
  // the same moment queues something for Alice: it must not take the freed id.
  rig.store.database().exec("DELETE FROM people WHERE id = " + std::to_string(rig.bob.value));
  const auto fresh = rig.queue(rig.alice, "for alice");
  CHECK(fresh.value > taken.front().id.value);
  // The delivery on its way lands: Alice's message is not marked with it.
  rig.sender.settle({{taken.front(), bot::Delivery::ok("1790000000.9")}});
  CHECK(rig.status(fresh) == bot::OutboxStatus::pending);
  CHECK(rig.sender.drain(rig.slack) == 1);
  CHECK(rig.slack.shown == std::vector<std::string>{"for alice"});
  CHECK(rig.status(fresh) == bot::OutboxStatus::delivered);
}

TEST_CASE("A dead message is listed, counted, and delivered after a retry") {
  Rig rig;
  const auto doomed = rig.queue(rig.alice, "doomed");
  const auto fine = rig.queue(rig.bob, "fine");
  rig.slack.script[key(rig.alice)] = {bot::Delivery::failure("channel_not_found")};
  CHECK(rig.sender.drain(rig.slack) == 1);
  CHECK(rig.status(doomed) == bot::OutboxStatus::dead);
  CHECK(rig.store.outbox().count(bot::OutboxStatus::dead) == 1);
  CHECK(rig.store.outbox().count(bot::OutboxStatus::delivered) == 1);
  const auto dead = rig.store.outbox().dead(10);
  REQUIRE(dead.size() == 1);
  CHECK(dead[0].id == doomed);
  CHECK(dead[0].recipient_key == key(rig.alice));
  CHECK(dead[0].last_error == "channel_not_found");

  CHECK_FALSE(rig.store.outbox().retry(fine, rig.clock.now()));  // delivered
  CHECK_FALSE(rig.store.outbox().retry(bot::OutboxId{999}, rig.clock.now()));
  rig.clock.advance(hours{1});
  CHECK(rig.store.outbox().retry(doomed, rig.clock.now()));
  CHECK_FALSE(rig.store.outbox().retry(doomed, rig.clock.now()));  // pending now
  const auto again = rig.store.outbox().find(doomed);
  CHECK(again->status == bot::OutboxStatus::pending);
  CHECK(again->attempts == 0);
  CHECK(again->next_attempt_at == rig.clock.now());
  CHECK(again->last_error == "channel_not_found");  // kept as history

  CHECK(rig.sender.drain(rig.slack) == 1);
  CHECK(rig.status(doomed) == bot::OutboxStatus::delivered);
  CHECK(rig.store.outbox().count(bot::OutboxStatus::dead) == 0);
  CHECK(rig.store.outbox().dead(10).empty());
  CHECK(rig.slack.shown == std::vector<std::string>{"fine", "doomed"});
}

namespace {

testing::ChildProcess coachbot(std::vector<std::string> args) {
  args.insert(args.begin(), COACHBOT_BINARY);
  return testing::ChildProcess{std::move(args)};
}

}  // namespace

TEST_CASE("coachbot outbox --failed lists dead messages and --retry sends one again") {
  testing::TempDir dir;
  const std::string db = dir.file("coachbot.db");
  const std::string long_text = std::string(58, 'x') + "ab" + "SECRET-TAIL-NOT-SHOWN";
  bot::OutboxId dead_id, delivered_id;
  bot::PersonId alice;
  {
    storage::SqliteStore store{{db}};
    bot::Person p;
    p.prefs.time_zone = "UTC";
    p.display_name = "alice";
    alice = store.people().create(p, {bot::Platform::slack, "T", "A"}).id;
    const auto now = bot::from_unix_ms(1'790'000'000'000);
    dead_id = store.outbox().add(bot::Platform::slack, bot::Message::text(bot::Recipient::dm(alice), long_text), now);
    delivered_id = store.outbox().add(bot::Platform::slack, bot::Message::text(channel("C1"), "posted"), now);
    store.outbox().mark_retry(dead_id, "HTTP 503", now);
    store.outbox().mark_dead(dead_id, "HTTP 503\nupstream");
    store.outbox().mark_delivered(delivered_id, now, std::string{"1790000000.1"});
  }

  {
    auto child = coachbot({"outbox", "--db", db, "--failed"});
    const std::string text = child.read_until("sends one again\n");
    CHECK(child.wait() == 0);
    CHECK(child.read_stderr().empty());
    CHECK_THAT(text, Contains("id") && Contains("recipient") && Contains("last error"));
    CHECK_THAT(text, Contains(std::to_string(dead_id.value) + "   slack"));
    CHECK_THAT(text, Contains("person:" + std::to_string(alice.value)));
    CHECK_THAT(text, Contains("  2  "));  // attempts
    CHECK_THAT(text, Contains("HTTP 503 upstream"));
    CHECK_THAT(text, Contains("2026-09-21T"));
    CHECK_THAT(text, Contains(std::string(58, 'x') + "ab…"));
    CHECK_THAT(text, !Contains("SECRET"));
    CHECK_THAT(text, !Contains("posted"));
    CHECK_THAT(text, Contains("1 dead message;"));
  }
  {
    auto child = coachbot({"outbox", "--db", db, "--retry", std::to_string(delivered_id.value)});
    CHECK(child.wait() == 3);
    CHECK_THAT(child.read_stderr(), Contains("already delivered"));
  }
  {
    auto child = coachbot({"outbox", "--db", db, "--retry", "999"});
    CHECK(child.wait() == 2);
    CHECK_THAT(child.read_stderr(), Contains("no message 999"));
  }
  {
    auto child = coachbot({"outbox", "--db", dir.file("missing.db"), "--failed"});
    CHECK(child.wait() == 2);
    CHECK_THAT(child.read_stderr(), Contains("no database at"));
  }
  {
    auto child = coachbot({"outbox", "--db", db});
    CHECK(child.wait() != 0);  // neither --failed nor --retry: CLI11's usage error
  }
  {
    auto child = coachbot({"outbox", "--db", db, "--retry", std::to_string(dead_id.value)});
    CHECK(child.read_until("queued again") != "");
    CHECK(child.wait() == 0);
  }
  {
    storage::SqliteStore store{{db}};
    const auto item = store.outbox().find(dead_id);
    CHECK(item->status == bot::OutboxStatus::pending);
    CHECK(item->attempts == 0);
    // The running service's sender picks it up: here, a fake platform.
    bot::ManualClock clock{bot::from_unix_ms(4'000'000'000'000)};  // 2096: after `--retry` made it due
    bot::OutboxSender sender{store, clock, 5};
    FakePlatform slack;
    CHECK(sender.drain(slack) == 1);
    CHECK(slack.shown == std::vector<std::string>{long_text});
    CHECK(store.outbox().find(dead_id)->status == bot::OutboxStatus::delivered);
  }
  {
    auto child = coachbot({"outbox", "--db", db, "--failed"});
    CHECK(child.read_until("No dead messages.\n") != "");
    CHECK(child.wait() == 0);
  }
}
