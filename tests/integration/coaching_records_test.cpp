// Reflections, evidence, achievements with kudos, export and deletion through the
// engine on a real SQLite file: what a person does in chat ends up stored (or removed)
// as they would expect, and the right messages are queued for the right people.
#include <catch2/catch.hpp>

#include "bot/engine.hpp"
#include "dialogs/coach_conversation.hpp"
#include "storage/sqlite_store.hpp"
#include "tests/support/temp_dir.hpp"

using Catch::Matchers::Contains;

namespace {

const bot::Instant kMonday = bot::Instant{std::chrono::sys_days{std::chrono::year{2026} / 11 / 23} + std::chrono::hours{9}};

struct Rig {
  testing::TempDir dir;
  storage::SqliteStore store{{dir.file("records.db")}};
  dialogs::CoachConversation conversation;
  bot::ManualClock clock{kMonday};
  bot::Engine engine{store, conversation, clock,
                     bot::EngineSettings{bot::Defaults{"Europe/Berlin", 1, 540}, std::chrono::hours{168}, {},
                                         {{"Data", "C-DATA"}}, {}, {}, false}};

  bot::HandleResult send(const std::string& user, bot::EventKind kind, const std::string& text,
                         const std::string& action = {}, const std::string& value = {}) {
    bot::Event e;
    e.from = {bot::Platform::slack, "T1", user};
    e.display_name = user;
    e.conversation = "D-" + user;
    e.kind = kind;
    e.text = text;
    e.action = action;
    e.value = value;
    bot::HandleResult r = engine.handle(e);
    // Slack people also get their Home tab refreshed; these tests are about replies.
    std::erase_if(r.queued, [&](bot::OutboxId id) {
      return store.outbox().find(id)->message.to.kind == bot::RecipientKind::home;
    });
    return r;
  }
  bot::HandleResult say(const std::string& user, const std::string& text) { return send(user, bot::EventKind::text, text); }
  bot::HandleResult click(const std::string& user, const std::string& action, const std::string& value) {
    return send(user, bot::EventKind::button, {}, action, value);
  }
  bot::Message message(bot::OutboxId id) { return store.outbox().find(id)->message; }
  std::string reply(const bot::HandleResult& r) {
    REQUIRE_FALSE(r.queued.empty());
    return message(r.queued.front()).plain_text();
  }
  int count(const std::string& sql) { return store.database().execAndGet(sql).getInt(); }

  // alice, onboarded, in team "data", with one goal at 80%.
  bot::Person alice_with_goal() {
    const auto first = say("alice", "hi");
    say("alice", "cancel");  // the welcome setup
    bot::Person p = *store.people().find(first.person);
    p.onboarded = true;
    p.team = "data";
    store.people().update(p);
    bot::Goal g;
    g.person = p.id;
    g.statement = "Pass the CKA exam";
    g.progress = 80;
    goal = store.goals().add(g, clock.now()).id;
    return p;
  }
  void check_in(const std::string& user, const std::string& progress) {
    say(user, "checkin");
    click(user, "progress", progress);
    say(user, "2");
    say(user, "Troubleshooting etcd");
    say(user, "none");
    click(user, "confidence", "4");
  }
  bot::GoalId goal;
};

}  // namespace

TEST_CASE("A shared achievement is posted to the team channel, and kudos are counted once per person") {
  Rig rig;
  const bot::Person alice = rig.alice_with_goal();
  rig.say("alice", "save Certificate https://example.com/cka/77");
  rig.click("alice", "evidence_goal", std::to_string(rig.goal.value));
  rig.check_in("alice", "100");
  const auto preview = rig.say("alice", "Celebrate");
  CHECK_THAT(rig.reply(preview), Contains("Evidence: https://example.com/cka/77") && Contains("Share it in the team channel"));
  CHECK(rig.count("SELECT count(*) FROM achievements") == 0);

  const auto shared = rig.click("alice", "achievement", "share");
  REQUIRE(shared.queued.size() == 2);
  const bot::Message post = rig.message(shared.queued[1]);
  CHECK(post.to.kind == bot::RecipientKind::channel);
  CHECK(post.to.channel == "C-DATA");
  CHECK(rig.store.goals().find(rig.goal)->status == bot::GoalStatus::achieved);
  const auto achievement = rig.store.achievements().for_goal(rig.goal);
  REQUIRE(achievement);
  CHECK(achievement->shared);
  CHECK(achievement->channel == "C-DATA");

  const auto kudos = rig.click("bob", post.buttons.at(0).id, post.buttons.at(0).value);
  CHECK_THAT(rig.reply(kudos), Contains("Kudos sent to alice"));
  REQUIRE(kudos.queued.size() == 3);
  const bot::Message note = rig.message(kudos.queued[1]);
  CHECK(note.to == bot::Recipient::dm(alice.id));
  CHECK_THAT(note.plain_text(), Contains("bob sent you kudos for reaching \"Pass the CKA exam\""));
  CHECK_THAT(rig.message(kudos.queued[2]).plain_text(), Contains("Kudos from bob"));
  CHECK(rig.message(kudos.queued[2]).update_key == post.update_key);

  const auto again = rig.click("bob", post.buttons.at(0).id, post.buttons.at(0).value);
  CHECK_THAT(rig.reply(again), Contains("already sent kudos"));
  CHECK(again.queued.size() == 1);
  const auto own = rig.click("alice", post.buttons.at(0).id, post.buttons.at(0).value);
  CHECK_THAT(rig.reply(own), Contains("your own achievement"));
  CHECK(rig.store.achievements().kudos(achievement->id).size() == 1);
}

TEST_CASE("Someone who deletes their data leaves the kudos lines of the posts they praised") {
  Rig rig;
  rig.alice_with_goal();
  rig.check_in("alice", "100");
  rig.say("alice", "Celebrate");
  const bot::Message post = rig.message(rig.click("alice", "achievement", "share").queued[1]);
  rig.click("bob", post.buttons.at(0).id, post.buttons.at(0).value);
  rig.click("carol", post.buttons.at(0).id, post.buttons.at(0).value);

  rig.say("bob", "delete my data");
  const auto gone = rig.click("bob", "delete_data", "delete");
  REQUIRE(gone.queued.size() == 2);
  CHECK_THAT(rig.reply(gone), Contains("deleted"));
  const bot::Message updated = rig.message(gone.queued[1]);
  CHECK(updated.to == post.to);
  CHECK(updated.update_key == post.update_key);  // edits the post in place
  CHECK_THAT(updated.plain_text(), Contains("Kudos from carol") && !Contains("bob"));
  REQUIRE(updated.buttons.size() == 1);

  // With nobody left, the post loses its kudos line.
  rig.say("carol", "delete my data");
  const auto last = rig.click("carol", "delete_data", "delete");
  REQUIRE(last.queued.size() == 2);
  CHECK_THAT(rig.message(last.queued[1]).plain_text(), !Contains("Kudos from"));
}

TEST_CASE("A forged kudos button changes nothing") {
  Rig rig;
  rig.alice_with_goal();
  const auto forged = rig.click("bob", "kudos", "kudos:" + std::to_string(rig.goal.value));
  CHECK_THAT(rig.reply(forged), Contains("no longer shared"));
  CHECK(rig.count("SELECT count(*) FROM kudos") == 0);
  CHECK_THAT(rig.reply(rig.click("bob", "kudos", "kudos:abc")), Contains("no longer shared"));
}

TEST_CASE("A reflection after a check-in is followed up once, two weeks later, when the person next writes") {
  Rig rig;
  rig.alice_with_goal();
  rig.check_in("alice", "90");
  CHECK_THAT(rig.reply(rig.say("alice", "Book the exam")), Contains("reflect on this week"));
  rig.click("alice", "reflect", "yes");
  rig.say("alice", "In the on-call rotation");
  CHECK_THAT(rig.reply(rig.say("alice", "skip")), Contains("Saved your reflection"));
  CHECK(rig.count("SELECT count(*) FROM reflections WHERE learned = 'Troubleshooting etcd' AND checkin_id = "
                  "(SELECT max(id) FROM checkins)") == 1);

  rig.clock.advance(std::chrono::days{13});
  CHECK_THAT(rig.reply(rig.say("alice", "goals")), !Contains("Did you apply it?"));
  rig.clock.advance(std::chrono::days{1});
  CHECK_THAT(rig.reply(rig.say("alice", "goals")), Contains("Pass the CKA exam") && Contains("Did you apply it?"));
  CHECK(rig.count("SELECT count(*) FROM reflections WHERE followed_up_at IS NOT NULL") == 1);
  rig.click("alice", "applied", "yes");
  CHECK_THAT(rig.reply(rig.say("alice", "Restored a broken etcd member")), Contains("noted in your portfolio"));
  CHECK(rig.count("SELECT count(*) FROM reflections WHERE applied = 'yes' AND "
                  "follow_up_note = 'Restored a broken etcd member'") == 1);
  CHECK_THAT(rig.reply(rig.say("alice", "goals")), !Contains("Did you apply it?"));
}

TEST_CASE("edit checkin adds a revision and keeps the first") {
  Rig rig;
  rig.alice_with_goal();
  rig.check_in("alice", "85");
  rig.say("alice", "Book the exam");
  rig.say("alice", "edit checkin");
  rig.click("alice", "progress", "90");
  rig.click("alice", "keep", "120m");
  rig.click("alice", "keep", "Troubleshooting etcd");
  rig.click("alice", "keep", "none");
  rig.click("alice", "keep", "4");
  CHECK_THAT(rig.reply(rig.say("alice", "Book the exam for Friday")), Contains("Updated your check-in"));
  CHECK(rig.count("SELECT count(*) FROM checkins") == 2);
  CHECK(rig.count("SELECT max(revision) FROM checkins") == 2);
  CHECK(rig.count("SELECT minutes_spent FROM checkins WHERE revision = 2") == 120);
  CHECK(rig.store.goals().find(rig.goal)->progress == 90);
}

TEST_CASE("export in the chat sends the whole record as a Markdown attachment") {
  Rig rig;
  rig.alice_with_goal();
  const auto r = rig.say("alice", "export");
  const bot::Message m = rig.message(r.queued.front());
  REQUIRE(m.attachment);
  CHECK(m.attachment->filename == "portfolio-2026-11-23.md");
  CHECK(m.attachment->media_type == "text/markdown");
  CHECK_THAT(m.attachment->content, Contains("Pass the CKA exam"));
}

TEST_CASE("delete my data removes the person and leaves only an anonymous count") {
  Rig rig;
  const bot::Person alice = rig.alice_with_goal();
  rig.say("bob", "hi");
  rig.say("bob", "cancel");
  rig.say("alice", "setup");  // some dialog state, then leave it
  rig.say("alice", "cancel");
  rig.check_in("alice", "50");
  rig.say("alice", "Next");
  rig.say("alice", "delete my data");
  const auto done = rig.click("alice", "delete_data", "delete");
  REQUIRE(done.status == bot::Handled::done);
  REQUIRE(done.queued.size() == 1);
  const bot::Message goodbye = rig.message(done.queued[0]);
  CHECK_THAT(goodbye.plain_text(), Contains("I deleted your record"));
  CHECK(goodbye.to.kind == bot::RecipientKind::channel);
  CHECK(goodbye.to.channel == "D-alice");

  CHECK_FALSE(rig.store.people().find(alice.id));
  CHECK(rig.count("SELECT count(*) FROM people") == 1);  // bob
  for (const char* table : {"goals", "checkins", "checkin_goals", "reflections", "evidence", "achievements",
                            "dialog_sessions", "plans"}) {
    INFO(table);
    CHECK(rig.count(std::string{"SELECT count(*) FROM "} + table) == 0);
  }
  CHECK(rig.count("SELECT count(*) FROM identities") == 1);
  CHECK(rig.count("SELECT sum(count) FROM erasures") == 1);

  // Writing again starts fresh.
  const auto back = rig.say("alice", "hi");
  CHECK(back.person != alice.id);
  CHECK_THAT(rig.reply(back), Contains("three quick settings"));
}
