#include "dialogs/delete_data_dialog.hpp"

#include "bot/text.hpp"

namespace dialogs {

using nlohmann::json;

std::vector<Question> DeleteDataDialog::questions(const json&, const json&, const bot::Context&) const {
  return {{"confirm",
           "This deletes everything I keep about you: your plans and goals, every check-in, reflections, portfolio "
           "evidence, achievements, kudos you gave, your settings and any messages about you still waiting to be "
           "sent; and what I posted for you where others see it (shared achievements, notes to your manager) is "
           "deleted in the chat too. It cannot be undone. You may want to type *cancel* and run *export* first.\n"
           "Type *delete* to delete everything now.",
           "Deleting removes your record from this Coachbot's database at once. Your manager keeps nothing of it "
           "here either.",
           false,
           {{"delete_data", "Delete everything", "delete", bot::ButtonStyle::danger},
            {"delete_data", "Keep my data", "keep", bot::ButtonStyle::normal}},
           [](std::string_view text, const bot::Context&) {
             const std::string t = bot::lower(bot::trim(text));
             if (t == "delete") return Answer::accept(true);
             if (t == "keep" || t == "no") return Answer::accept(false);
             return Answer::refuse("To delete everything, type *delete*. To keep your data, type *cancel*.");
           }}};
}

bot::Transition DeleteDataDialog::finish(const json&, const json& a, const bot::Context& c) const {
  const auto me = bot::Recipient::dm(c.person.id);
  if (!a.at("confirm").get<bool>()) return bot::Transition{std::nullopt, {}, {bot::Message::text(me, cancelled_text())}};
  return bot::Transition{
      std::nullopt,
      {bot::EraseMe{}},
      {bot::Message::text(me,
                          "Done: I deleted your record. What remains is only an anonymous count of deletions per "
                          "month, with nothing that identifies you. In Slack and Teams, what I posted for you where "
                          "others see it is being deleted there too, and your name leaves the kudos on others' "
                          "posts. If you write to me again, I'll start fresh.")}};
}

std::string DeleteDataDialog::cancelled_text() const { return "Okay, nothing was deleted."; }

}  // namespace dialogs
