// The weekly text check-in, as conversation transcripts over the pure dialogs.
#include <catch2/catch.hpp>

#include "tests/support/dialog_harness.hpp"

using Catch::Matchers::Contains;

namespace {
testing::DialogHarness onboarded() { return testing::DialogHarness::onboarded(); }
}  // namespace

TEST_CASE("A person with no goals answers four questions and the check-in is saved for their week") {
  auto chat = onboarded();
  CHECK_THAT(chat.say("checkin"), Contains("Overall, how far along"));
  CHECK_THAT(chat.say("70%"), Contains("What did you learn"));
  CHECK_THAT(chat.say("  How to profile with perf  "), Contains("anything blocking"));
  CHECK_THAT(chat.say("Waiting for a licence"), Contains("next step"));
  const std::string saved = chat.say("Profile the import job");
  CHECK_THAT(saved, Contains("Saved your check-in for 2026-W48") && Contains("Progress: 70%") &&
                        Contains("stays private"));
  REQUIRE(chat.checkins.size() == 1);
  const bot::CheckIn& c = chat.checkins[0];
  CHECK(c.overall_progress == 70);
  CHECK(c.learned == "How to profile with perf");
  CHECK(c.blockers == "Waiting for a licence");
  CHECK(c.next_step == "Profile the import job");
  CHECK(c.goals.empty());
  // The check-in leads into the (optional) reflection.
  CHECK_THAT(saved, Contains("Would you like to reflect on this week?"));
  REQUIRE(chat.state.has_value());
  CHECK(chat.state->dialog == "reflection");
}

TEST_CASE("Progress that is not a number or out of range is re-asked with the reason") {
  auto chat = onboarded();
  chat.say("checkin");
  CHECK_THAT(chat.say("seventy"), Contains("I need a whole number from 0 to 100") && Contains("Overall, how far"));
  CHECK(chat.replies_to_last_input == 1);
  CHECK_THAT(chat.say("101"), Contains("more than 100") && Contains("Overall, how far"));
  CHECK_THAT(chat.say("-3"), Contains("less than 0"));
  CHECK_THAT(chat.say("7.5"), Contains("whole number"));
  CHECK_THAT(chat.say("99999999999999999999"), Contains("more than 100"));
  // A command typed here is refused as an answer, with the way out.
  CHECK_THAT(chat.say("goals"), Contains("whole number") && Contains("To use *goals* instead, type *cancel* first"));
  CHECK_THAT(chat.say("0"), Contains("What did you learn"));
}

TEST_CASE("Back returns to the previous question showing the earlier answer") {
  auto chat = onboarded();
  chat.say("checkin");
  chat.say("30");
  CHECK_THAT(chat.say("back"), Contains("Overall, how far") && Contains("Your answer was: 30%)"));
  CHECK_THAT(chat.say("35"), Contains("What did you learn"));
  chat.say("x");
  chat.say("none");
  chat.say("y");
  REQUIRE(chat.checkins.size() == 1);
  CHECK(chat.checkins[0].overall_progress == 35);
  CHECK(chat.checkins[0].blockers.empty());
}

TEST_CASE("Help explains the current question and keeps the place") {
  auto chat = onboarded();
  chat.say("checkin");
  chat.say("50");
  const std::string help = chat.say("help");
  CHECK_THAT(help, Contains("A sentence or two is plenty") && Contains("What did you learn"));
  CHECK_THAT(chat.say("Something"), Contains("blocking"));
}

TEST_CASE("Cancel ends the check-in without saving anything") {
  auto chat = onboarded();
  chat.say("checkin");
  chat.say("50");
  CHECK_THAT(chat.say("cancel"), Contains("Nothing was saved"));
  CHECK(chat.checkins.empty());
  CHECK_FALSE(chat.state.has_value());
}

TEST_CASE("Blockers can be skipped, required answers cannot be empty") {
  auto chat = onboarded();
  chat.say("checkin");
  chat.say("10");
  CHECK_THAT(chat.say("skip"), Contains("can't be skipped"));
  CHECK_THAT(chat.say("   "), Contains("Please write a few words"));
  chat.say("learned");
  CHECK_THAT(chat.say("skip"), Contains("next step"));
  chat.say("next");
  REQUIRE(chat.checkins.size() == 1);
  CHECK(chat.checkins[0].blockers.empty());
}

TEST_CASE("Very long answers are refused with the limit") {
  auto chat = onboarded();
  chat.say("checkin");
  chat.say("10");
  CHECK_THAT(chat.say(std::string(2500, 'a')), Contains("2500 characters") && Contains("under 2000"));
}

TEST_CASE("A person with goals is asked for progress per goal") {
  auto chat = onboarded();
  const auto goal = [](std::int64_t id, std::string statement, int progress) {
    bot::Goal g;
    g.id = bot::GoalId{id};
    g.person = bot::PersonId{1};
    g.statement = std::move(statement);
    g.progress = progress;
    return g;
  };
  chat.context.goals = {goal(7, "Give a conference talk", 20), goal(9, "Learn Rust basics", 50)};
  CHECK_THAT(chat.say("checkin"), Contains("Progress on \"Give a conference talk\"? Last time: 20%"));
  CHECK_THAT(chat.say("30"), Contains("Progress on \"Learn Rust basics\"? Last time: 50%"));
  // The goals were fixed at the start: a change meanwhile does not change the questions.
  chat.context.goals.clear();
  CHECK_THAT(chat.say("60"), Contains("How many hours"));
  CHECK_THAT(chat.say("lots"), Contains("I need a number of hours"));
  CHECK_THAT(chat.say("1,5"), Contains("What did you learn"));
  chat.say("Ownership rules");
  chat.say("none");
  CHECK_THAT(chat.last_reply.plain_text(), Contains("How confident"));
  CHECK_THAT(chat.say("6"), Contains("more than 5"));
  chat.say("4");
  const std::string saved = chat.say("Write the abstract");
  CHECK_THAT(saved, Contains("- Give a conference talk: 30%") && Contains("- Learn Rust basics: 60%"));
  REQUIRE(chat.checkins.size() == 1);
  CHECK_FALSE(chat.checkins[0].overall_progress.has_value());
  REQUIRE(chat.checkins[0].goals.size() == 2);
  CHECK(chat.checkins[0].goals[0].goal == bot::GoalId{7});
  CHECK(chat.checkins[0].goals[0].progress == 30);
  CHECK(chat.checkins[0].goals[1].progress == 60);
  CHECK(chat.checkins[0].minutes_spent == 90);
  CHECK(chat.checkins[0].confidence == 4);
  CHECK_FALSE(chat.checkins[0].need_help);
  CHECK(chat.to_others.empty());
}

TEST_CASE("A second click on a progress button answers nothing else: the open question is asked again") {
  auto chat = onboarded();
  bot::Goal a;
  a.id = bot::GoalId{7};
  a.statement = "Give a conference talk";
  bot::Goal b = a;
  b.id = bot::GoalId{9};
  b.statement = "Learn Rust basics";
  chat.context.goals = {a, b};
  chat.say("checkin");
  const bot::Button fifty = chat.last_reply.buttons.at(1);
  CHECK_THAT(chat.click(fifty.id, fifty.value), Contains("Progress on \"Learn Rust basics\""));
  // The same button again, before Slack showed the edited message without it.
  const std::string again = chat.click(fifty.id, fifty.value);
  CHECK_THAT(again, Contains("earlier question") && Contains("Progress on \"Learn Rust basics\""));
  CHECK_THAT(chat.click(chat.last_reply.buttons.at(3).id, "100"), Contains("How many hours"));
}

namespace {
testing::DialogHarness with_goal_and_manager() {
  auto chat = onboarded();
  bot::Goal g;
  g.id = bot::GoalId{3};
  g.statement = "Pass the CKA exam";
  g.progress = 80;
  chat.context.goals = {g};
  chat.context.person.manager = bot::PersonId{2};
  bot::Person bob;
  bob.id = bot::PersonId{2};
  bob.display_name = "bob";
  chat.context.manager = bob;
  chat.context.person.prefs.weekly_budget_minutes = 240;
  return chat;
}
}  // namespace

TEST_CASE("Progress buttons offer common values and free numbers still work") {
  auto chat = with_goal_and_manager();
  chat.say("checkin");
  REQUIRE(chat.last_reply.buttons.size() == 4);
  CHECK(chat.last_reply.buttons[3].value == "100");
  CHECK_THAT(chat.say("85"), Contains("How many hours"));
}

TEST_CASE("Learning time can be typed the way people write it") {
  for (const auto& [typed, minutes] : std::vector<std::pair<std::string, int>>{
           {"1 hour", 60}, {"2 hrs", 120}, {"90 minutes", 90}, {"45 mins", 45}, {"1,5h", 90}, {"3", 180}}) {
    INFO(typed);
    auto chat = with_goal_and_manager();
    chat.say("checkin");
    chat.click("90");
    CHECK_THAT(chat.say(typed), Contains("What did you learn"));
    for (const char* answer : {"etcd backups", "none", "no", "3", "Book the exam"}) chat.say(answer);
    REQUIRE(chat.checkins.size() == 1);
    CHECK(chat.checkins[0].minutes_spent == minutes);
  }
}

TEST_CASE("Asking for a conversation tells the manager, with the blocker, saying no tells them nothing") {
  auto chat = with_goal_and_manager();
  chat.say("checkin");
  chat.click("90");
  chat.say("3");
  chat.say("etcd backups");
  chat.say("No lab cluster to practise on");
  CHECK_THAT(chat.last_reply.plain_text(), Contains("conversation with your manager"));
  chat.click("yes");
  chat.click("3");
  const std::string saved = chat.say("Book the exam");
  CHECK_THAT(saved, Contains("Learning time: 3h of your 4h weekly budget") && Contains("I've let bob know"));
  REQUIRE(chat.to_others.size() == 1);
  CHECK(chat.to_others[0].to == bot::Recipient::manager_of(bot::PersonId{1}));
  CHECK_THAT(chat.to_others[0].plain_text(), Contains("alice would like a conversation") && Contains("No lab cluster"));
  CHECK(chat.checkins[0].need_help);

  chat.say("checkin");
  chat.click("95");
  chat.say("5h");
  chat.say("more etcd");
  chat.say("Still no lab");
  chat.click("no");
  chat.click("4");
  CHECK_THAT(chat.say("Practice exam"), Contains("budget of 4h is met") && Contains("stays private"));
  CHECK(chat.to_others.size() == 1);
}

TEST_CASE("An edited check-in that keeps the same request does not tell the manager again") {
  auto chat = with_goal_and_manager();
  for (const char* line : {"checkin", "90", "3", "etcd backups", "No lab cluster"}) chat.say(line);
  chat.click("yes");
  chat.click("3");
  chat.say("Book the exam");
  chat.say("cancel");  // no reflection
  REQUIRE(chat.to_others.size() == 1);

  CHECK_THAT(chat.say("edit checkin"), Contains("This week you said: 90%"));
  CHECK_THAT(chat.say("keep"), Contains("This week you said: 3h."));
  CHECK(chat.last_reply.buttons.back().label == "Keep \"3h\"");
  for (int i = 0; i < 6; ++i) chat.say("keep");
  CHECK_THAT(chat.last_reply.plain_text(), Contains("bob already knows you'd like to talk"));
  CHECK(chat.to_others.size() == 1);
  REQUIRE(chat.checkins.size() == 2);
  CHECK(chat.checkins[1].need_help);

  chat.say("cancel");
  chat.say("edit checkin");
  for (int i = 0; i < 3; ++i) chat.say("keep");
  chat.say("A lab cluster, and time");  // a new blocker is news
  for (int i = 0; i < 3; ++i) chat.say("keep");
  CHECK(chat.to_others.size() == 2);
  CHECK_THAT(chat.to_others[1].plain_text(), Contains("A lab cluster, and time"));
}

TEST_CASE("Reaching 100% on a goal marks it achieved") {
  auto chat = with_goal_and_manager();
  chat.say("checkin");
  chat.click("100");
  chat.say("90m");
  chat.say("All of it");
  chat.say("none");
  chat.click("no");
  chat.click("5");
  CHECK_THAT(chat.say("Celebrate"), Contains("You reached 100% on \"Pass the CKA exam\"") && Contains("Learning time: 1h 30min"));
}

TEST_CASE("Without a manager the conversation question is not asked") {
  auto chat = with_goal_and_manager();
  chat.context.person.manager.reset();
  chat.context.manager.reset();
  chat.say("checkin");
  chat.say("85");
  chat.say("1");
  chat.say("x");
  CHECK_THAT(chat.say("none"), Contains("How confident"));
}

TEST_CASE("A second check-in in the same week says the first one is kept") {
  auto chat = onboarded();
  chat.context.this_week = bot::CheckIn{};
  CHECK_THAT(chat.say("checkin"), Contains("keeps your earlier answers"));
}

TEST_CASE("Coming back to an open check-in resumes at the same question") {
  auto chat = onboarded();
  chat.say("checkin");
  chat.say("40");
  CHECK_THAT(chat.open(), Contains("Welcome back! We were in the middle of your check-in") &&
                              Contains("What did you learn"));
}

TEST_CASE("A check-in left for longer than the expiry ends politely") {
  auto chat = onboarded();
  chat.say("checkin");
  chat.say("40");
  chat.context.now += std::chrono::days{9};
  const std::string reply = chat.say("I learned a lot");
  CHECK_THAT(reply, Contains("Your check-in from 9 days ago had expired") && Contains("I don't know"));
  CHECK_FALSE(chat.state.has_value());
  CHECK(chat.checkins.empty());
}

TEST_CASE("Text that is not valid UTF-8 is refused and the question stays open") {
  auto chat = onboarded();
  chat.say("checkin");
  CHECK_THAT(chat.say("\xff\xfe"), Contains("not valid UTF-8"));
  CHECK(chat.state.has_value());
  CHECK_THAT(chat.say("5"), Contains("What did you learn"));
}

TEST_CASE("State saved by a newer dialog layout is closed politely instead of crashing") {
  auto chat = onboarded();
  chat.state = bot::DialogState{"checkin", 99, nlohmann::json::object()};
  CHECK_THAT(chat.say("help"), Contains("couldn't continue our earlier conversation") && Contains("*checkin*"));
  CHECK_FALSE(chat.state.has_value());
}

TEST_CASE("Blockers reach the manager without asking only when check-ins are shared with them in settings") {
  auto chat = with_goal_and_manager();
  chat.context.person.prefs.visibility.checkins = bot::Visibility::manager;
  chat.say("checkin");
  chat.click("85");
  chat.say("2");
  chat.say("x");
  chat.say("Waiting on access");
  chat.click("no");
  chat.click("3");
  CHECK_THAT(chat.say("y"), Contains("I shared the blocker with bob, as your settings say"));
  REQUIRE(chat.to_others.size() == 1);
  CHECK_THAT(chat.to_others[0].plain_text(), Contains("alice noted a blocker") && Contains("Waiting on access"));
}

TEST_CASE("edit checkin offers this week's answers to keep and saves a new revision") {
  auto chat = onboarded();
  CHECK_THAT(chat.say("edit checkin"), Contains("haven't checked in this week"));
  CHECK_FALSE(chat.state.has_value());
  chat.say("checkin");
  chat.say("40");
  chat.say("Flame graphs");
  chat.say("none");
  chat.say("Profile the importer");
  chat.say("cancel");  // no reflection this time
  REQUIRE(chat.checkins.size() == 1);

  CHECK_THAT(chat.say("edit checkin"), Contains("Editing your check-in for *2026-W48*") && Contains("This week you said: 40%"));
  CHECK_THAT(chat.click("keep", "keep"), Contains("This week you said: Flame graphs"));
  CHECK_THAT(chat.say("Flame graphs and perf stat"), Contains("This week you said: none"));
  chat.click("keep", "keep");
  const std::string saved = chat.say("keep");  // typing it works too
  CHECK_THAT(saved, Contains("Updated your check-in for 2026-W48") && Contains("earlier answers for this week stay"));
  REQUIRE(chat.checkins.size() == 2);
  CHECK(chat.checkins[1].overall_progress == 40);
  CHECK(chat.checkins[1].learned == "Flame graphs and perf stat");
  CHECK(chat.checkins[1].blockers.empty());
  CHECK(chat.checkins[1].next_step == "Profile the importer");
  CHECK(chat.checkins[0].learned == "Flame graphs");
}

TEST_CASE("Keeping a long answer in edit checkin keeps all of it, not what fits in a button") {
  auto chat = onboarded();
  // 1900 characters, 3797 bytes: within the 2000-character limit for an answer, but a
  // button value holding it would be cut at Slack's 2000 bytes.
  std::string learned = "Caf";
  for (int i = 0; i < 1897; ++i) learned += "\xc3\xa9";  // é
  for (const std::string& answer : {std::string{"checkin"}, std::string{"40"}, learned, std::string{"none"},
                                    std::string{"Profile the importer"}, std::string{"cancel"}})
    chat.say(answer);
  REQUIRE(chat.checkins.size() == 1);
  REQUIRE(chat.checkins[0].learned == learned);

  chat.say("edit checkin");
  chat.click("keep", "keep");
  REQUIRE_FALSE(chat.last_reply.buttons.empty());
  const bot::Button keep = chat.last_reply.buttons.back();
  CHECK(keep.value == "keep");
  CHECK(keep.label.size() < 60);
  chat.click(keep.id, keep.value);
  chat.click("keep", "keep");
  chat.click("keep", "keep");
  REQUIRE(chat.checkins.size() == 2);
  CHECK(chat.checkins[1].learned == learned);
  CHECK(chat.checkins[1].overall_progress == 40);
  CHECK(chat.checkins[1].next_step == "Profile the importer");
}
