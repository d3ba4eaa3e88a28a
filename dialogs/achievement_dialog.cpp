#include "dialogs/achievement_dialog.hpp"

#include <cctype>

#include "bot/text.hpp"
#include "dialogs/kudos.hpp"

namespace dialogs {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxPost = 1500;

std::string key(const char* what, const json& goal) { return std::string{what} + "_" + std::to_string(goal.at("id").get<std::int64_t>()); }

std::string draft(const json& goal, const json& data, const bot::Context& c) {
  std::string text = "*" + c.person.display_name + "* reached a learning goal: *" + goal.at("statement").get<std::string>() + "*";
  if (const auto learned = data.value("learned", ""); !learned.empty()) text += "\nLearned along the way: " + learned;
  if (const auto& links = goal.at("links"); !links.empty()) {
    std::vector<std::string> l;
    for (const auto& x : links) l.push_back(x.get<std::string>());
    text += "\nEvidence: " + bot::join(l, ", ");
  }
  return text;
}

// Their own words, under their name: the channel reads a post by the bot.
std::string edited_post(const std::string& typed, const bot::Context& c) {
  return "*" + c.person.display_name + "* shared an achievement:\n" + typed;
}

// The text the person settled on for this goal: their edit, or the draft.
std::string post_text(const json& goal, const json& data, const json& answers, const bot::Context& c) {
  if (auto t = answers.find(key("text", goal)); t != answers.end() && t->is_string())
    return edited_post(t->get<std::string>(), c);
  return draft(goal, data, c);
}

bool decided_share(const json& goal, const json& answers) {
  const std::string choice = answers.value(key("choice", goal), "");
  return choice == "share" || (choice == "edit" && answers.value(key("confirm", goal), "") == "share");
}

// Why there is nowhere to share, and who can change it: the person names their team;
// the operator maps teams to channels.
std::string no_channel_reason(const bot::Context& c) {
  if (c.person.team && !c.person.team->empty())
    return "your team *" + *c.person.team + "* has no channel to share in yet (your Coachbot admin adds it under "
           "sharing.team_channels)";
  return "sharing needs a team channel: set your team in *settings* (your admin maps teams to channels)";
}

Question choose(std::string id, std::string prompt, bool can_share, bool with_edit) {
  std::vector<bot::Button> buttons;
  if (can_share) buttons.push_back({"achievement", "Share with the team", "share", bot::ButtonStyle::primary});
  buttons.push_back({"achievement", "Keep private", "private", bot::ButtonStyle::normal});
  if (with_edit) buttons.push_back({"achievement", "Edit the text first", "edit", bot::ButtonStyle::normal});
  return Question{std::move(id), std::move(prompt),
                  "Sharing posts the text in your team's channel, where teammates can send kudos. Private keeps it in "
                  "your portfolio only.",
                  false, std::move(buttons), [can_share, with_edit](std::string_view text, const bot::Context& c) {
                    const std::string t = bot::lower(bot::trim(text));
                    // Only what is on offer is named.
                    std::vector<std::string> offered;
                    if (can_share) offered.emplace_back("*share*");
                    offered.emplace_back("*private*");
                    if (with_edit) offered.emplace_back("*edit*");
                    const std::string choices = offered.size() == 1 ? offered[0]
                                                                    : bot::join({offered.begin(), offered.end() - 1}, ", ") +
                                                                          " or " + offered.back();
                    if (t == "share" || t == "share with the team") {
                      if (can_share) return Answer::accept("share");
                      return Answer::refuse("I can't share it: " + no_channel_reason(c) + ". For now: " + choices + ".");
                    }
                    if (t == "private" || t == "keep private" || t == "keep it private") return Answer::accept("private");
                    if (with_edit && (t == "edit" || t == "edit the text first")) return Answer::accept("edit");
                    return Answer::refuse("Please answer " + choices + ".");
                  }};
}

}  // namespace

json AchievementDialog::for_goals(const std::vector<bot::Goal>& achieved, const std::string& learned,
                                  const bot::Context& c) {
  json goals = json::array();
  for (const auto& g : achieved) {
    json links = json::array();
    for (const auto& e : c.evidence)
      if (e.goal == g.id && e.url) links.push_back(*e.url);
    goals.push_back({{"id", g.id.value}, {"statement", g.statement}, {"links", links}});
  }
  return {{"goals", goals}, {"learned", learned}};
}

json AchievementDialog::initial_data(const bot::Context& c) const {
  return {{"channel", c.team_channel}, {"goals", json::array()}};
}

std::vector<Question> AchievementDialog::questions(const json& data, const json& answers, const bot::Context& c) const {
  std::vector<Question> qs;
  const bool can_share = !data.value("channel", "").empty();
  for (const auto& goal : data.at("goals")) {
    std::string where = "Share it in the team channel";
    if (!can_share) {
      where = no_channel_reason(c) + ". Keep it";
      where[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(where[0])));
    }
    qs.push_back(choose(key("choice", goal),
                        "Here is a post I could share with your team about \"" + goal.at("statement").get<std::string>() +
                            "\":\n\n" + draft(goal, data, c) + "\n\n" + where +
                            (can_share ? ", keep it private, or edit the text first?" : " private, or edit the text first?"),
                        can_share, true));
    if (answers.value(key("choice", goal), "") != "edit") continue;
    qs.push_back({key("text", goal), "Type the text to post (up to 1500 characters).",
                  "Write it the way you'd like your team to read it. Nothing is posted until you say share.", false, {},
                  [](std::string_view t, const bot::Context&) { return short_text(t, kMaxPost, "your achievement"); }});
    if (!answers.contains(key("text", goal))) continue;
    qs.push_back(choose(key("confirm", goal),
                        "Your post:\n\n" + edited_post(answers.at(key("text", goal)).get<std::string>(), c) + "\n\n" +
                            (can_share ? "Share it with the team, or keep it private?" : "Keep it private?"),
                        can_share, false));
  }
  return qs;
}

bot::Transition AchievementDialog::finish(const json& data, const json& a, const bot::Context& c) const {
  bot::Transition t;
  const std::string channel = data.value("channel", "");
  std::vector<std::string> lines;
  for (const auto& goal : data.at("goals")) {
    bot::Achievement x;
    x.goal = bot::GoalId{goal.at("id").get<std::int64_t>()};
    x.text = post_text(goal, data, a, c);
    x.shared = decided_share(goal, a) && !channel.empty();
    const std::string statement = goal.at("statement").get<std::string>();
    if (x.shared) {
      x.channel = channel;
      t.messages.push_back(achievement_post(channel, x.text, *x.goal, {}));
      lines.push_back("Shared \"" + statement + "\" with your team.");
    } else {
      lines.push_back("Kept \"" + statement + "\" private: it's in your portfolio.");
    }
    t.effects.push_back(bot::RecordAchievement{std::move(x)});
  }
  t.messages.insert(t.messages.begin(), bot::Message::text(bot::Recipient::dm(c.person.id), bot::join(lines, "\n")));
  return t;
}

bot::Transition AchievementDialog::cancelled(const json& data, const bot::Context& c) const {
  // The goal is achieved either way: keep the record, post nothing.
  bot::Transition t;
  for (const auto& goal : data.at("goals")) {
    bot::Achievement x;
    x.goal = bot::GoalId{goal.at("id").get<std::int64_t>()};
    x.text = draft(goal, data, c);
    t.effects.push_back(bot::RecordAchievement{std::move(x)});
  }
  t.messages.push_back(bot::Message::text(bot::Recipient::dm(c.person.id),
                                          "Okay, nothing was posted. The achievement is kept private in your portfolio."));
  return t;
}

}  // namespace dialogs
