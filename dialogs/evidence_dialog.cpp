#include "dialogs/evidence_dialog.hpp"

#include "bot/text.hpp"
#include "dialogs/links.hpp"

namespace dialogs {

using nlohmann::json;

namespace {
constexpr std::size_t kMaxEvidence = 2000;
constexpr std::size_t kLabelBytes = 60;
}  // namespace

Answer evidence_text(std::string_view text) { return short_text(text, kMaxEvidence, "what you want to keep"); }

json EvidenceDialog::with_content(const std::string& text) { return {{"content", text}}; }

json EvidenceDialog::initial_data(const bot::Context& c) const {
  // Goals are fixed at the start so that a resumed dialog offers the same choices.
  json goals = json::array();
  for (const auto& g : c.goals) goals.push_back({{"id", g.id.value}, {"statement", g.statement}});
  return {{"goals", goals}};
}

std::vector<Question> EvidenceDialog::questions(const json& data, const json&, const bot::Context&) const {
  std::vector<Question> qs;
  if (!data.contains("content")) {
    qs.push_back({"content",
                  "What would you like to keep in your portfolio? A note, or a link to a certificate, an article, "
                  "a pull request...",
                  "Anything that shows what you learned or did. Links are kept as links.", false, {},
                  [](std::string_view t, const bot::Context&) { return evidence_text(t); }});
  }
  const json& goals = data.at("goals");
  if (goals.empty()) return qs;
  std::vector<bot::Button> choices;
  std::string listing;
  int n = 0;
  for (const auto& g : goals) {
    const std::string statement = g.at("statement").get<std::string>();
    choices.push_back({"evidence_goal", bot::truncate_utf8(statement, kLabelBytes), std::to_string(g.at("id").get<std::int64_t>()),
                       bot::ButtonStyle::normal});
    listing += "\n" + std::to_string(++n) + ". " + statement;
  }
  choices.push_back({"evidence_goal", "No goal", "none", bot::ButtonStyle::normal});
  qs.push_back({"goal", "Which goal does it belong to?" + listing + "\n(Or *none*.)",
                "Attaching evidence to a goal shows it with that goal in your portfolio and in an achievement post.",
                false, choices, [goals](std::string_view text, const bot::Context&) {
                  const std::string t = bot::lower(bot::trim(text));
                  if (t == "none" || t == "no" || t == "no goal") return Answer::accept(nullptr);
                  // A click sends the goal id; a typed answer is the goal's number in the list.
                  for (const auto& g : goals)
                    if (std::to_string(g.at("id").get<std::int64_t>()) == t) return Answer::accept(g.at("id"));
                  for (std::size_t i = 0; i < goals.size(); ++i)
                    if (std::to_string(i + 1) == t) return Answer::accept(goals[i].at("id"));
                  return Answer::refuse("Pick one of the goals by its number, or type *none*.");
                }});
  return qs;
}

bot::Transition EvidenceDialog::finish(const json& data, const json& a, const bot::Context& c) const {
  bot::Evidence e;
  e.content = a.contains("content") ? a.at("content").get<std::string>() : data.at("content").get<std::string>();
  e.url = first_link(e.content);
  e.visibility = c.person.prefs.visibility.evidence;
  std::string where = "in your portfolio";
  if (const auto& g = a.value("goal", json{}); g.is_number_integer()) {
    e.goal = bot::GoalId{g.get<std::int64_t>()};
    for (const auto& goal : data.at("goals"))
      if (goal.at("id") == g) where += " under \"" + goal.at("statement").get<std::string>() + "\"";
  }
  std::string text = "Saved " + where + ".";
  if (e.visibility == bot::Visibility::owner) text += " Only you can see it.";
  return bot::Transition{std::nullopt, {bot::SaveEvidence{std::move(e)}},
                         {bot::Message::text(bot::Recipient::dm(c.person.id), std::move(text))}};
}

}  // namespace dialogs
