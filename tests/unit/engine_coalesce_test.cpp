// Every message a person sends gets exactly one answer: the replies the dialogs produced
// for the author are merged, while messages to anyone else are left as they are.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "bot/engine.hpp"

using bot::Message;
using bot::PersonId;
using bot::Recipient;

namespace {

const PersonId kAuthor{1};
const PersonId kOther{2};

std::vector<std::string> texts(const Message& m) {
  std::vector<std::string> out;
  for (const auto& s : m.sections) out.push_back(s.text);
  return out;
}

Message with_buttons(Message m, std::vector<std::string> labels) {
  for (auto& l : labels) m.buttons.push_back({l, l, l, bot::ButtonStyle::normal});
  return m;
}

bot::Form form(std::string id) { return bot::Form{std::move(id), "Title", "Submit", {}, {}, false}; }

}  // namespace

TEST_CASE("several replies to the author become one message with all sections in order", "[engine][coalesce]") {
  const auto out = bot::coalesce_replies({Message::text(Recipient::dm(kAuthor), "Thanks!"),
                                          Message::text(Recipient::dm(kAuthor), "Saved your answers."),
                                          Message::text(Recipient::dm(kAuthor), "See you next week.")},
                                         kAuthor);
  REQUIRE(out.size() == 1);
  CHECK(out[0].to == Recipient::dm(kAuthor));
  CHECK(texts(out[0]) == std::vector<std::string>{"Thanks!", "Saved your answers.", "See you next week."});
}

TEST_CASE("a single reply and an empty list pass through unchanged", "[engine][coalesce]") {
  CHECK(bot::coalesce_replies({}, kAuthor).empty());
  const Message one = with_buttons(Message::text(Recipient::dm(kAuthor), "Ready?"), {"Yes", "No"});
  const auto out = bot::coalesce_replies({one}, kAuthor);
  REQUIRE(out.size() == 1);
  CHECK(out[0] == one);
}

TEST_CASE("the merged reply takes its buttons and form from the last message that had them", "[engine][coalesce]") {
  SECTION("buttons of an earlier question are replaced by the buttons of the last question") {
    const auto out = bot::coalesce_replies(
        {with_buttons(Message::text(Recipient::dm(kAuthor), "First question"), {"A", "B"}),
         with_buttons(Message::text(Recipient::dm(kAuthor), "Second question"), {"C"})},
        kAuthor);
    REQUIRE(out.size() == 1);
    REQUIRE(out[0].buttons.size() == 1);
    CHECK(out[0].buttons[0].label == "C");
  }
  SECTION("a plain message after a question keeps the question's buttons and form") {
    Message question = with_buttons(Message::text(Recipient::dm(kAuthor), "Pick one"), {"A", "B"});
    question.form = form("pick");
    const auto out =
        bot::coalesce_replies({question, Message::text(Recipient::dm(kAuthor), "(type help any time)")}, kAuthor);
    REQUIRE(out.size() == 1);
    CHECK(texts(out[0]) == std::vector<std::string>{"Pick one", "(type help any time)"});
    CHECK(out[0].buttons == question.buttons);
    CHECK(out[0].form == question.form);
  }
  SECTION("a plain message before a question takes the question's buttons") {
    const auto out = bot::coalesce_replies(
        {Message::text(Recipient::dm(kAuthor), "Done."),
         with_buttons(Message::text(Recipient::dm(kAuthor), "Anything else?"), {"Yes", "No"})},
        kAuthor);
    REQUIRE(out.size() == 1);
    CHECK(texts(out[0]) == std::vector<std::string>{"Done.", "Anything else?"});
    REQUIRE(out[0].buttons.size() == 2);
    CHECK(out[0].buttons[0].label == "Yes");
  }
  SECTION("a later form replaces an earlier one") {
    Message a = Message::text(Recipient::dm(kAuthor), "Form one");
    a.form = form("one");
    Message b = Message::text(Recipient::dm(kAuthor), "Form two");
    b.form = form("two");
    const auto out = bot::coalesce_replies({a, b}, kAuthor);
    REQUIRE(out.size() == 1);
    REQUIRE(out[0].form.has_value());
    CHECK(out[0].form->id == "two");
  }
}

TEST_CASE("messages to other people stay separate and keep their order", "[engine][coalesce]") {
  bot::Recipient channel;
  channel.kind = bot::RecipientKind::channel;
  channel.channel = "C42";
  const auto out = bot::coalesce_replies({Message::text(Recipient::dm(kAuthor), "Saved."),
                                          Message::text(Recipient::manager_of(kAuthor), "Your report checked in."),
                                          Message::text(Recipient::dm(kOther), "FYI one"),
                                          Message::text(Recipient::dm(kAuthor), "Anything else?"),
                                          Message::text(Recipient::dm(kOther), "FYI two"),
                                          Message::text(channel, "Team update")},
                                         kAuthor);
  REQUIRE(out.size() == 5);
  CHECK(out[0].to == Recipient::dm(kAuthor));
  CHECK(texts(out[0]) == std::vector<std::string>{"Saved.", "Anything else?"});
  CHECK(out[1].to == Recipient::manager_of(kAuthor));
  CHECK(texts(out[1]) == std::vector<std::string>{"Your report checked in."});
  CHECK(out[2].to == Recipient::dm(kOther));
  CHECK(texts(out[2]) == std::vector<std::string>{"FYI one"});
  CHECK(out[3].to == Recipient::dm(kOther));
  CHECK(texts(out[3]) == std::vector<std::string>{"FYI two"});
  CHECK(out[4].to == channel);
}

TEST_CASE("messages to someone else first do not stop the author's replies from merging", "[engine][coalesce]") {
  const auto out = bot::coalesce_replies({Message::text(Recipient::manager_of(kAuthor), "Heads up"),
                                          Message::text(Recipient::dm(kAuthor), "One"),
                                          Message::text(Recipient::dm(kAuthor), "Two")},
                                         kAuthor);
  REQUIRE(out.size() == 2);
  CHECK(out[0].to == Recipient::manager_of(kAuthor));
  CHECK(out[1].to == Recipient::dm(kAuthor));
  CHECK(texts(out[1]) == std::vector<std::string>{"One", "Two"});
}
