// Outbox delivery on a real SQLite file with a fake platform that fails and recovers.
#include <catch2/catch.hpp>

#include <deque>

#include "bot/outbox_sender.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

struct FakePlatform : bot::Messenger {
  std::deque<bot::Delivery> script;  // outcomes to return, then success
  std::vector<std::string> shown;
  bot::Platform platform() const override { return bot::Platform::slack; }
  bot::Delivery deliver(const bot::OutboxItem& item) override {
    bot::Delivery d = bot::Delivery::ok();
    if (!script.empty()) {
      d = script.front();
      script.pop_front();
    }
    if (d.outcome == bot::Delivery::Outcome::delivered) shown.push_back(item.message.plain_text());
    return d;
  }
};

struct Rig {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("o.db")}};
  bot::ManualClock clock{bot::from_unix_ms(1'790'000'000'000)};
  bot::OutboxSender sender{store, clock, 3};
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
  bot::OutboxId queue(bot::PersonId to, const std::string& text) {
    return store.outbox().add(bot::Platform::slack, bot::Message::text(bot::Recipient::dm(to), text), clock.now());
  }
};

}  // namespace

TEST_CASE("Messages are delivered oldest first and marked delivered once") {
  Rig rig;
  rig.queue(rig.alice, "one");
  rig.queue(rig.alice, "two");
  CHECK(rig.sender.drain(rig.slack) == 2);
  CHECK(rig.slack.shown == std::vector<std::string>{"one", "two"});
  CHECK(rig.sender.drain(rig.slack) == 0);
}

TEST_CASE("A failed message is retried later, and holds back younger messages to the same person only") {
  Rig rig;
  const auto first = rig.queue(rig.alice, "a1");
  rig.queue(rig.alice, "a2");
  rig.queue(rig.bob, "b1");
  rig.slack.script = {bot::Delivery::retry_later("HTTP 503", std::chrono::seconds{30})};
  CHECK(rig.sender.drain(rig.slack) == 1);
  CHECK(rig.slack.shown == std::vector<std::string>{"b1"});
  const auto item = rig.store.outbox().find(first);
  CHECK(item->attempts == 1);
  CHECK(item->last_error == "HTTP 503");
  CHECK(item->next_attempt_at >= rig.clock.now() + std::chrono::seconds{30});

  CHECK(rig.sender.drain(rig.slack) == 0);  // not due yet
  rig.clock.advance(std::chrono::hours{1});
  CHECK(rig.sender.drain(rig.slack) == 2);
  CHECK(rig.slack.shown == std::vector<std::string>{"b1", "a1", "a2"});
}

TEST_CASE("A retry that falls due between looking for due messages and asking when to wake is still waited for") {
  Rig rig;
  rig.slack.script = {bot::Delivery::retry_later("ratelimited", std::chrono::seconds{5})};
  const auto id = rig.queue(rig.alice, "a1");
  CHECK(rig.sender.drain(rig.slack) == 0);
  const bot::Instant due = rig.store.outbox().find(id)->next_attempt_at;
  // An adapter's delivery loop looks a millisecond too early and finds nothing...
  rig.clock.set(due - std::chrono::milliseconds{1});
  CHECK(rig.sender.take(bot::Platform::slack, bot::RateLimits::none(), {}, 10).empty());
  // ...and by the time it asks when to look again, the retry is due: it must hear
  // "now", not "never".
  rig.clock.set(due + std::chrono::milliseconds{1});
  CHECK(rig.sender.refresh_next_due(bot::Platform::slack) == due);
  CHECK(rig.sender.take(bot::Platform::slack, bot::RateLimits::none(), {}, 10).size() == 1);
}

TEST_CASE("After max attempts a message is parked as dead and the queue moves on") {
  Rig rig;
  const auto doomed = rig.queue(rig.alice, "doomed");
  rig.queue(rig.alice, "next");
  rig.slack.script = {bot::Delivery::retry_later("timeout"), bot::Delivery::retry_later("timeout"),
                      bot::Delivery::retry_later("timeout")};
  for (int i = 0; i < 3; ++i) {
    rig.sender.drain(rig.slack);
    rig.clock.advance(std::chrono::hours{2});
  }
  CHECK(rig.store.outbox().find(doomed)->status == bot::OutboxStatus::dead);
  CHECK(rig.slack.shown == std::vector<std::string>{"next"});
}

TEST_CASE("A permanent failure is parked at once") {
  Rig rig;
  const auto id = rig.queue(rig.alice, "x");
  rig.slack.script = {bot::Delivery::failure("channel_not_found")};
  rig.sender.drain(rig.slack);
  const auto item = rig.store.outbox().find(id);
  CHECK(item->status == bot::OutboxStatus::dead);
  CHECK(item->last_error == "channel_not_found");
}

TEST_CASE("Draining for one person leaves everyone else's messages queued") {
  Rig rig;
  rig.queue(rig.alice, "for alice");
  rig.queue(rig.bob, "for bob");
  CHECK(rig.sender.drain(rig.slack, rig.bob) == 1);
  CHECK(rig.slack.shown == std::vector<std::string>{"for bob"});
  CHECK(rig.sender.drain(rig.slack) == 1);
}

TEST_CASE("Backoff grows with each attempt and is capped") {
  Rig rig;
  CHECK(rig.sender.backoff(0) >= std::chrono::milliseconds{500});
  CHECK(rig.sender.backoff(4) > rig.sender.backoff(0));
  CHECK(rig.sender.backoff(50) <= std::chrono::hours{2});
}

TEST_CASE("What a person's events showed others is found for erasure: their posts, not others' edits of them") {
  Rig rig;
  auto& outbox = rig.store.outbox();
  const bot::Instant now = rig.clock.now();
  const bot::Recipient channel{bot::RecipientKind::channel, {}, "CTEAM", {}};
  const auto delivered = [&](bot::Platform platform, const bot::Recipient& to, bot::PersonId origin, const std::string& ref) {
    const auto id = outbox.add(platform, bot::Message::text(to, "x"), now, origin);
    outbox.mark_delivered(id, now, ref);
    return id;
  };
  const auto post = delivered(bot::Platform::slack, channel, rig.alice, "CTEAM:1.1");
  // bob's kudos edits alice's post; alice's own edit of it is not a second post.
  delivered(bot::Platform::slack, channel, rig.bob, "CTEAM:1.1");
  delivered(bot::Platform::slack, channel, rig.alice, "CTEAM:1.1");
  const auto note = delivered(bot::Platform::teams, bot::Recipient::dm(rig.bob), rig.alice, "a:bob|7");
  // Her own DM, a console post, a message not delivered yet, a home page (no ref).
  delivered(bot::Platform::slack, bot::Recipient::dm(rig.alice), rig.alice, "DA:2.2");
  delivered(bot::Platform::console, channel, rig.alice, "console:1");
  outbox.add(bot::Platform::slack, bot::Message::text(channel, "pending"), now, rig.alice);
  outbox.mark_delivered(outbox.add(bot::Platform::slack, bot::Message::text(bot::Recipient::home_of(rig.bob), "h"), now,
                                   rig.alice),
                        now);

  const auto alices = outbox.shown_to_others(rig.alice);
  REQUIRE(alices.size() == 2);
  CHECK(alices[0].id == post);
  CHECK(alices[0].platform_ref == std::optional<std::string>{"CTEAM:1.1"});
  CHECK(alices[1].id == note);
  CHECK(alices[1].platform == bot::Platform::teams);
  CHECK(alices[1].message.to == bot::Recipient::dm(rig.bob));
  CHECK(outbox.shown_to_others(rig.bob).empty());
}

TEST_CASE("A message taken back leaves no row with its text, and no pending edit that would post it anew") {
  Rig rig;
  auto& outbox = rig.store.outbox();
  const bot::Instant now = rig.clock.now();
  const bot::Recipient channel{bot::RecipientKind::channel, {}, "CTEAM", {}};
  bot::Message post = bot::Message::text(channel, "alice reached her goal");
  post.update_key = "achievement:3";
  const auto first = outbox.add(bot::Platform::slack, post, now, rig.alice);
  outbox.mark_delivered(first, now, std::string{"CTEAM:1.1"});
  // bob's kudos: one edit delivered, one still pending; a "✓" edit naming the ref.
  post.sections[0].text = "alice reached her goal. Kudos from bob";
  outbox.mark_delivered(outbox.add(bot::Platform::slack, post, now, rig.bob), now, std::string{"CTEAM:1.1"});
  outbox.add(bot::Platform::slack, post, now, rig.bob);
  bot::Message mark = bot::Message::text({bot::RecipientKind::channel, {}, "DBOB", {}}, "alice's plan ✓ Approve");
  mark.edits = "CTEAM:1.1";
  outbox.add(bot::Platform::slack, mark, now, rig.bob);
  // Unrelated: another post in the channel, the same ref on another platform.
  const auto other = outbox.add(bot::Platform::slack, bot::Message::text(channel, "carol's news"), now, rig.bob);
  outbox.mark_delivered(other, now, std::string{"CTEAM:2.2"});
  const auto teams = outbox.add(bot::Platform::teams, bot::Message::text(channel, "x"), now, rig.bob);
  outbox.mark_delivered(teams, now, std::string{"CTEAM:1.1"});

  outbox.forget_message(*outbox.find(first));
  CHECK_FALSE(outbox.find(first));
  const auto left = rig.store.database().execAndGet("SELECT group_concat(id) FROM outbox").getString();
  CHECK(left == std::to_string(other.value) + "," + std::to_string(teams.value));
}

TEST_CASE("A message is delivered as stored: after a retry, with text that is not UTF-8, and under an id a rollback gave back") {
  Rig rig;
  SECTION("a retry reads the same message again") {
    rig.queue(rig.alice, "once more");
    rig.slack.script = {bot::Delivery::retry_later("HTTP 503")};
    CHECK(rig.sender.drain(rig.slack) == 0);
    rig.clock.advance(std::chrono::hours{1});
    CHECK(rig.sender.drain(rig.slack) == 1);
    CHECK(rig.slack.shown == std::vector<std::string>{"once more"});
  }
  SECTION("bytes that are not UTF-8 go out replaced, as they were stored") {
    rig.queue(rig.alice, "caf\xe9 time");
    CHECK(rig.sender.drain(rig.slack) == 1);
    CHECK(rig.slack.shown == std::vector<std::string>{"caf\xef\xbf\xbd time"});
  }
  SECTION("another process's message under an id this one rolled back is the one that goes") {
    // Same recipient, same time: only the text tells the two apart.
    {
      auto tx = rig.store.begin();
      rig.queue(rig.alice, "rolled back");
    }
    storage::SqliteStore other{{rig.dir.file("o.db")}};
    const auto id = other.outbox().add(bot::Platform::slack,
                                       bot::Message::text(bot::Recipient::dm(rig.alice), "from the other process"),
                                       rig.clock.now());
    const auto item = rig.store.outbox().due_item(id);
    REQUIRE(item);
    CHECK(item->message.plain_text() == "from the other process");
    CHECK(rig.sender.drain(rig.slack) == 1);
    CHECK(rig.slack.shown == std::vector<std::string>{"from the other process"});
  }
}
