#include "dialogs/checkin_dialog.hpp"

#include "bot/text.hpp"

namespace dialogs {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxAnswer = 2000;

Answer check_progress(std::string_view text, const bot::Context&) { return whole_number(text, 0, 100, "%"); }

bool says_none(std::string_view text) {
  const std::string t = bot::lower(bot::trim(text));
  return t == "none" || t == "no" || t == "nothing" || t == "n/a" || t == "-";
}

std::string progress_key(std::int64_t goal) { return "progress_" + std::to_string(goal); }

}  // namespace

json CheckInDialog::initial_data(const bot::Context& c) const {
  // The goals are fixed when the check-in starts so that a resumed check-in asks the
  // same questions even if goals changed meanwhile.
  json goals = json::array();
  for (const auto& g : c.goals) goals.push_back({{"id", g.id.value}, {"statement", g.statement}, {"progress", g.progress}});
  return {{"goals", goals}};
}

std::string CheckInDialog::intro(const json&, const bot::Context& c) const {
  std::string text = "Weekly check-in for *" + c.iso_week + "*. Four short questions.";
  if (c.this_week) {
    text += "\nYou already checked in this week; answering again keeps your earlier answers in your history.";
  }
  return text;
}

std::vector<Question> CheckInDialog::questions(const json& data, const json&, const bot::Context&) const {
  std::vector<Question> qs;
  const json& goals = data.at("goals");
  if (goals.empty()) {
    qs.push_back({"overall_progress",
                  "Overall, how far along are you with what you want to learn? A number from 0 to 100.",
                  "Your own estimate, in percent: 0 is not started, 100 is done. Once you have goals, I'll ask "
                  "per goal instead.",
                  false, {}, check_progress});
  } else {
    for (const auto& g : goals) {
      const auto id = g.at("id").get<std::int64_t>();
      qs.push_back({progress_key(id),
                    "Progress on \"" + g.at("statement").get<std::string>() + "\"? Last time: " +
                        std::to_string(g.at("progress").get<int>()) + "%. A number from 0 to 100.",
                    "Your own estimate for this goal, in percent: 0 is not started, 100 is achieved.", false, {},
                    check_progress});
    }
  }
  qs.push_back({"learned", "What did you learn this week?",
                "A sentence or two is plenty: a skill you practised, something you read, feedback you got.", false, {},
                [](std::string_view t, const bot::Context&) { return short_text(t, kMaxAnswer, "what you learned"); }});
  qs.push_back({"blockers", "Is anything blocking you? Type *none* if not.",
                "Anything that slows your learning: time, access, unclear expectations. This stays private to you.",
                true, {},
                [](std::string_view t, const bot::Context&) {
                  if (says_none(t)) return Answer::accept("");
                  return short_text(t, kMaxAnswer, "what is blocking you");
                }});
  qs.push_back({"next_step", "What is your next step?",
                "One concrete thing you will do before the next check-in, like \"finish chapter 3\".", false, {},
                [](std::string_view t, const bot::Context&) { return short_text(t, kMaxAnswer, "your next step"); }});
  return qs;
}

bot::Transition CheckInDialog::finish(const json& data, const json& a, const bot::Context& c) const {
  bot::CheckIn checkin;
  std::string summary;
  if (auto p = a.find("overall_progress"); p != a.end()) {
    checkin.overall_progress = p->get<int>();
    summary = "Progress: " + std::to_string(*checkin.overall_progress) + "%.";
  }
  for (const auto& g : data.at("goals")) {
    const auto id = g.at("id").get<std::int64_t>();
    const int progress = a.at(progress_key(id)).get<int>();
    checkin.goals.push_back({bot::GoalId{id}, progress});
    summary += (summary.empty() ? "" : "\n") + std::string{"- "} + g.at("statement").get<std::string>() + ": " +
               std::to_string(progress) + "%";
  }
  checkin.learned = a.at("learned").get<std::string>();
  if (const auto& b = a.value("blockers", json{}); b.is_string()) checkin.blockers = b.get<std::string>();
  checkin.next_step = a.at("next_step").get<std::string>();

  std::string text = "Saved your check-in for " + c.iso_week + ". " + summary + "\nNext step: " + checkin.next_step;
  if (!checkin.blockers.empty()) text += "\nI noted the blocker; it stays private to you.";
  return bot::Transition{std::nullopt,
                         {bot::RecordCheckIn{std::move(checkin)}},
                         {bot::Message::text(bot::Recipient::dm(c.person.id), std::move(text))}};
}

}  // namespace dialogs
