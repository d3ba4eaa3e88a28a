// Form mode: the check-in also offered as one form (a Slack modal opened on a click),
// a sent form checked like typed answers, and buttons that run commands.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "bot/engine.hpp"
#include "tests/support/dialog_harness.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

using Values = std::map<std::string, std::string>;

// The harness keeps the open dialog and the Context; forms are sent straight to the
// conversation, as the engine would pass them on.
struct FormChat {
  testing::DialogHarness chat = testing::DialogHarness::onboarded();
  dialogs::CoachConversation conversation;

  bot::Transition send_form(const std::string& id, Values values) {
    const bot::Input in{bot::Input::Kind::form, {}, id, {}, std::move(values)};
    bot::Transition t = conversation.handle(chat.state, in, chat.context);
    chat.state = t.next;
    return t;
  }
};

// What the person reads after the transition, as the harness shows it.
std::string reply_text(const bot::Transition& t) {
  std::string text;
  for (const auto& m : bot::coalesce_replies(t.messages, bot::PersonId{1}))
    if (m.to == bot::Recipient::dm(bot::PersonId{1})) text = m.plain_text();
  return text;
}

const bot::CheckIn* recorded(const bot::Transition& t) {
  for (const auto& e : t.effects)
    if (const auto* r = std::get_if<bot::RecordCheckIn>(&e)) return &r->checkin;
  return nullptr;
}

const bot::Field& field(const bot::Form& form, const std::string& id) {
  for (const auto& f : form.fields)
    if (f.id == id) return f;
  static const bot::Field none;
  FAIL("no field " << id);
  return none;
}

void with_goal_and_manager(testing::DialogHarness& chat) {
  bot::Goal g;
  g.id = bot::GoalId{3};
  g.statement = "Pass the *CKA* exam";
  g.progress = 80;
  chat.context.goals = {g};
  chat.context.person.manager = bot::PersonId{2};
  bot::Person bob;
  bob.id = bot::PersonId{2};
  bob.display_name = "bob";
  chat.context.manager = bob;
}

void check_same(const bot::CheckIn& a, const bot::CheckIn& b) {
  CHECK(a.overall_progress == b.overall_progress);
  REQUIRE(a.goals.size() == b.goals.size());
  for (std::size_t i = 0; i < a.goals.size(); ++i) {
    CHECK(a.goals[i].goal == b.goals[i].goal);
    CHECK(a.goals[i].progress == b.goals[i].progress);
  }
  CHECK(a.minutes_spent == b.minutes_spent);
  CHECK(a.learned == b.learned);
  CHECK(a.blockers == b.blockers);
  CHECK(a.need_help == b.need_help);
  CHECK(a.confidence == b.confidence);
  CHECK(a.next_step == b.next_step);
}

}  // namespace

TEST_CASE("A typed checkin asks the first question and carries every question as a form", "[form]") {
  auto chat = testing::DialogHarness::onboarded();
  CHECK_THAT(chat.say("checkin"), Contains("Overall, how far along"));
  REQUIRE(chat.last_reply.form.has_value());
  const bot::Form& form = *chat.last_reply.form;
  CHECK(form.id == "checkin");
  CHECK(form.title == "Weekly check-in");
  CHECK(form.submit_label == "Save");
  CHECK(form.also_asked);
  CHECK(form.errors.empty());
  REQUIRE(form.fields.size() == 4);
  CHECK(form.fields[0].id == "overall_progress");
  CHECK(form.fields[0].kind == bot::FieldKind::number);
  CHECK(form.fields[0].min == 0);
  CHECK(form.fields[0].max == 100);
  CHECK(form.fields[0].required);
  CHECK_THAT(form.fields[0].label, StartsWith("Overall, how far along"));
  CHECK_THAT(form.fields[0].hint, Contains("Your own estimate"));
  CHECK(form.fields[1].id == "learned");
  CHECK(form.fields[1].kind == bot::FieldKind::long_text);
  CHECK(form.fields[1].max_length == 2000);
  CHECK(form.fields[2].id == "blockers");
  CHECK_FALSE(form.fields[2].required);
  // No chat markup in a form, and no "type none": an optional field is left empty.
  CHECK(form.fields[2].label == "Is anything blocking you? Leave it empty if not.");
  CHECK(form.fields[3].id == "next_step");
  for (const auto& f : form.fields) {
    CHECK(f.label.size() <= 150);
    CHECK_FALSE(f.initial.has_value());
  }
  // Answering one at a time goes on as before: later questions carry no form.
  chat.say("40");
  CHECK_FALSE(chat.last_reply.form.has_value());
}

TEST_CASE("A command button starts the check-in exactly as typing the command does", "[form]") {
  auto typed = testing::DialogHarness::onboarded();
  auto clicked = testing::DialogHarness::onboarded();
  const std::string said = typed.say("checkin");
  CHECK(clicked.click(std::string{bot::kCommandAction}, "checkin") == said);
  CHECK(clicked.last_reply == typed.last_reply);
  REQUIRE(clicked.state.has_value());
  CHECK(clicked.state == typed.state);
  REQUIRE(clicked.last_reply.form.has_value());
  CHECK(clicked.last_reply.form->also_asked);
}

TEST_CASE("With goals and a manager the form has a field per goal and choices where the chat has buttons", "[form]") {
  auto chat = testing::DialogHarness::onboarded();
  with_goal_and_manager(chat);
  chat.click(std::string{bot::kCommandAction}, "checkin");
  REQUIRE(chat.last_reply.form.has_value());
  const bot::Form& form = *chat.last_reply.form;
  std::vector<std::string> ids;
  for (const auto& f : form.fields) ids.push_back(f.id);
  CHECK(ids == std::vector<std::string>{"progress_3", "minutes_spent", "learned", "blockers", "need_help",
                                        "confidence", "next_step"});
  // The 25/50/75/100 buttons are shortcuts: the form takes any percentage.
  const bot::Field& progress = field(form, "progress_3");
  CHECK(progress.kind == bot::FieldKind::number);
  CHECK(progress.label == "Progress on \"Pass the CKA exam\"? Last time: 80%.");
  CHECK(progress.max == 100);
  CHECK(field(form, "minutes_spent").kind == bot::FieldKind::text);
  const bot::Field& help = field(form, "need_help");
  CHECK(help.kind == bot::FieldKind::single_select);
  CHECK(help.choices == std::vector<bot::Choice>{{"yes", "Yes"}, {"no", "No"}});
  const bot::Field& confidence = field(form, "confidence");
  CHECK(confidence.kind == bot::FieldKind::single_select);
  REQUIRE(confidence.choices.size() == 5);
  CHECK(confidence.choices[0] == bot::Choice{"1", "1"});
}

TEST_CASE("A sent form saves the same check-in, with the same messages, as answering one at a time", "[form]") {
  auto step = testing::DialogHarness::onboarded();
  with_goal_and_manager(step);
  step.say("checkin");
  step.click("90");
  step.say("3");
  step.say("etcd backups");
  step.say("No lab cluster to practise on");
  step.click("yes");
  step.click("3");
  const std::string saved = step.say("Book the exam");
  REQUIRE(step.checkins.size() == 1);

  FormChat f;
  with_goal_and_manager(f.chat);
  f.chat.say("checkin");
  const bot::Transition t = f.send_form("checkin", {{"progress_3", "90"},
                                                    {"minutes_spent", "3"},
                                                    {"learned", "etcd backups"},
                                                    {"blockers", "No lab cluster to practise on"},
                                                    {"need_help", "yes"},
                                                    {"confidence", "3"},
                                                    {"next_step", "Book the exam"}});
  const bot::CheckIn* checkin = recorded(t);
  REQUIRE(checkin != nullptr);
  check_same(*checkin, step.checkins[0]);
  CHECK(reply_text(t) == saved);
  // The manager hears the same, and the reflection offer follows as after a typed check-in.
  std::vector<bot::Message> to_manager;
  for (const auto& m : t.messages)
    if (m.to.kind == bot::RecipientKind::manager) to_manager.push_back(m);
  CHECK(to_manager == step.to_others);
  REQUIRE(f.chat.state.has_value());
  CHECK(f.chat.state->dialog == "reflection");
  CHECK(f.chat.state == step.state);
}

TEST_CASE("Refused answers come back as errors on the form and the check-in stays open", "[form]") {
  FormChat f;
  f.chat.say("checkin");
  const auto open = f.chat.state;
  REQUIRE(open.has_value());

  bot::Transition t = f.send_form("checkin", {{"overall_progress", "150"}, {"learned", "Flame graphs"}});
  CHECK(recorded(t) == nullptr);
  CHECK(t.effects.empty());
  CHECK(t.next == open);
  REQUIRE(t.messages.size() == 1);
  const bot::Message& m = t.messages[0];
  CHECK_THAT(m.plain_text(), StartsWith("A few answers need another look:"));
  CHECK_THAT(m.plain_text(), Contains("- Overall, how far along") && Contains("That is more than 100") &&
                                 Contains("- What is your next step?: Please answer this."));
  REQUIRE(m.form.has_value());
  CHECK_FALSE(m.form->also_asked);
  CHECK(m.form->id == "checkin");
  REQUIRE(m.form->errors.size() == 2);
  CHECK_THAT(m.form->errors.at("overall_progress"), Contains("more than 100"));
  CHECK(m.form->errors.at("next_step") == "Please answer this.");
  // What was sent is filled in again.
  CHECK(field(*m.form, "learned").initial == "Flame graphs");
  CHECK(field(*m.form, "overall_progress").initial == "150");

  t = f.send_form("checkin", {{"overall_progress", "abc"}, {"learned", "Flame graphs"}, {"next_step", "Profile it"}});
  REQUIRE(t.messages.size() == 1);
  REQUIRE(t.messages[0].form.has_value());
  CHECK(t.messages[0].form->errors.size() == 1);
  CHECK_THAT(t.messages[0].form->errors.at("overall_progress"), Contains("whole number"));
  CHECK(f.chat.state == open);

  // Corrected; the empty optional blocker is skipped.
  t = f.send_form("checkin",
                  {{"overall_progress", "70"}, {"learned", "Flame graphs"}, {"blockers", "  "}, {"next_step", "Profile it"}});
  const bot::CheckIn* checkin = recorded(t);
  REQUIRE(checkin != nullptr);
  CHECK(checkin->overall_progress == 70);
  CHECK(checkin->learned == "Flame graphs");
  CHECK(checkin->blockers.empty());
  CHECK(checkin->next_step == "Profile it");
  CHECK_THAT(reply_text(t), Contains("Saved your check-in for 2026-W48") && Contains("Would you like to reflect"));
  REQUIRE(f.chat.state.has_value());
  CHECK(f.chat.state->dialog == "reflection");
}

TEST_CASE("A form that is no longer open is said so and the open dialog is untouched", "[form]") {
  FormChat f;
  const Values answers{{"overall_progress", "70"}, {"learned", "x"}, {"next_step", "y"}};

  SECTION("another dialog is open") {
    f.chat.say("goal");
    const auto open = f.chat.state;
    const bot::Transition t = f.send_form("checkin", answers);
    CHECK_THAT(reply_text(t), Contains("That form is no longer open") && Contains("What exactly do you want to achieve?"));
    CHECK(t.next == open);
    CHECK(t.effects.empty());
  }
  SECTION("the check-in was finished in the chat, then its modal is sent") {
    f.chat.say("checkin");
    f.chat.say("70");
    f.chat.say("x");
    f.chat.say("none");
    f.chat.say("y");
    REQUIRE(f.chat.state.has_value());
    const auto reflection = f.chat.state;
    const bot::Transition t = f.send_form("checkin", answers);
    CHECK_THAT(reply_text(t), Contains("That form is no longer open"));
    CHECK(t.next == reflection);
    CHECK(recorded(t) == nullptr);
  }
  SECTION("nothing is open") {
    const bot::Transition t = f.send_form("checkin", answers);
    CHECK_THAT(reply_text(t), Contains("That form is no longer open"));
    CHECK_FALSE(t.next.has_value());
    CHECK(t.effects.empty());
  }
}

TEST_CASE("edit checkin fills the form with this week's answers", "[form]") {
  FormChat f;
  f.chat.say("checkin");
  f.chat.say("40");
  f.chat.say("Flame graphs");
  f.chat.say("none");
  f.chat.say("Profile the importer");
  f.chat.say("cancel");  // no reflection
  f.chat.say("edit checkin");
  REQUIRE(f.chat.last_reply.form.has_value());
  const bot::Form& form = *f.chat.last_reply.form;
  CHECK(form.also_asked);
  CHECK(field(form, "overall_progress").initial == "40");
  CHECK(field(form, "learned").initial == "Flame graphs");
  CHECK_FALSE(field(form, "blockers").initial.has_value());
  // No "Last time" or keep buttons in the form: the values are filled in.
  CHECK(field(form, "learned").label == "What did you learn this week?");
  CHECK(field(form, "learned").kind == bot::FieldKind::long_text);

  const bot::Transition t = f.send_form(
      "checkin", {{"overall_progress", "40"}, {"learned", "Flame graphs and perf stat"}, {"next_step", "Profile the importer"}});
  REQUIRE(recorded(t) != nullptr);
  CHECK(recorded(t)->learned == "Flame graphs and perf stat");
  CHECK_THAT(reply_text(t), Contains("Updated your check-in for 2026-W48"));
}

TEST_CASE("A command button runs its command even where typing it would be an answer", "[form]") {
  SECTION("help explains the open question, as typed") {
    auto typed = testing::DialogHarness::onboarded();
    auto clicked = testing::DialogHarness::onboarded();
    typed.say("checkin");
    clicked.say("checkin");
    CHECK(clicked.click(std::string{bot::kCommandAction}, "help") == typed.say("help"));
    CHECK(clicked.state == typed.state);
  }
  SECTION("another command closes the dialog the person asked for, with a note") {
    auto clicked = testing::DialogHarness::onboarded();
    clicked.say("checkin");
    const std::string said = clicked.click(std::string{bot::kCommandAction}, "goals");
    CHECK_THAT(said, Contains("(I closed your open check-in.)"));
    CHECK_FALSE(clicked.state.has_value());
  }
  SECTION("an offer the bot started unasked yields to the command, as typed") {
    auto typed = testing::DialogHarness::onboarded();
    auto clicked = testing::DialogHarness::onboarded();
    for (auto* chat : {&typed, &clicked}) {
      chat->say("checkin");
      chat->say("70");
      chat->say("x");
      chat->say("none");
      chat->say("y");
      REQUIRE(chat->state.has_value());
      REQUIRE(chat->state->dialog == "reflection");
    }
    const std::string said = clicked.click(std::string{bot::kCommandAction}, "goal");
    CHECK(said == typed.say("goal"));
    CHECK_THAT(said, Contains("(I closed your open reflection.)"));
    REQUIRE(clicked.state.has_value());
    CHECK(clicked.state->dialog == "goal");
    CHECK(clicked.state == typed.state);
  }
}

TEST_CASE("Dialogs whose questions depend on earlier answers offer no form", "[form]") {
  auto chat = testing::DialogHarness::onboarded();
  chat.say("goal");
  CHECK_FALSE(chat.last_reply.form.has_value());
  chat.say("cancel");
  chat.say("setup");
  CHECK_FALSE(chat.last_reply.form.has_value());
}

TEST_CASE("A long question becomes a short label and the rest goes to the hint", "[form]") {
  auto chat = testing::DialogHarness::onboarded();
  bot::Goal g;
  g.id = bot::GoalId{4};
  g.statement = "Give a talk about " + std::string(40, 'x') + " and " + std::string(40, 'y') + " and " +
                std::string(40, 'z') + " at the yearly meetup";
  g.progress = 10;
  chat.context.goals = {g};
  chat.say("checkin");
  REQUIRE(chat.last_reply.form.has_value());
  const bot::Field& progress = field(*chat.last_reply.form, "progress_4");
  CHECK(progress.label.size() <= 150);
  CHECK_THAT(progress.label, StartsWith("Progress on \"Give a talk about"));
  CHECK_THAT(progress.label, Catch::EndsWith("\u2026"));
  CHECK_THAT(progress.hint, StartsWith("\u2026") && Contains("at the yearly meetup\"? Last time: 10%.") &&
                                Contains("Your own estimate for this goal"));
}
