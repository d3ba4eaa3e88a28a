#include "dialogs/commands.hpp"

#include "bot/text.hpp"

namespace dialogs {

const std::vector<CommandInfo>& commands() {
  static const std::vector<CommandInfo> table{
      {Command::checkin, "checkin", {"check-in", "check in", "check"}, "answer this week's check-in"},
      {Command::edit_checkin, "edit checkin", {"edit check-in", "edit check in", "change checkin"}, "change this week's check-in answers (the earlier ones are kept)"},
      {Command::reflect, "reflect", {"reflection"}, "reflect on what you learned and how you'll apply it"},
      {Command::save, "save", {"evidence"}, "keep a note or link as evidence in your portfolio (*save* followed by it)"},
      {Command::plan, "plan", {"my plan", "learning plan"}, "build or edit your learning plan for this half-year"},
      {Command::goal, "goal", {"new goal", "add goal"}, "add a SMART goal with learning activities"},
      {Command::goals, "goals", {"my goals", "list goals"}, "your goals with progress and target dates"},
      {Command::submit, "submit", {"submit plan", "send plan"}, "send your plan to your manager for review"},
      {Command::team, "team", {"my team", "reviews", "digest", "team digest"}, "for managers: plans waiting for your review, who asked for your help, your team's check-ins"},
      {Command::setup, "setup", {"onboarding", "start"}, "time zone, check-in day and time, manager"},
      {Command::settings, "settings", {"preferences", "privacy"}, "change one setting: zone, check-in time, pause, budget, manager, team, sharing"},
      {Command::export_data, "export", {"export my data", "my data"}, "your whole record as a Markdown portfolio"},
      {Command::delete_data, "delete my data", {"delete me", "erase my data", "forget me"}, "delete everything I keep about you (asks first)"},
      {Command::help, "help", {"?", "commands", "menu"}, "this list"},
      {Command::greeting, "hi", {"hello", "hey", "hallo", "good morning"}, ""},
  };
  return table;
}

namespace {
std::string normalise(std::string_view text) {
  std::string t = bot::lower(bot::trim(text));
  if (t.starts_with('/')) t.erase(0, 1);
  while (!t.empty() && (t.back() == '!' || t.back() == '?' || t.back() == '.') && t != "?") t.pop_back();
  return t;
}
}  // namespace

std::optional<Command> parse_command(std::string_view text) {
  const std::string t = normalise(text);
  for (const auto& c : commands()) {
    if (t == c.name) return c.command;
    for (auto a : c.aliases)
      if (t == a) return c.command;
  }
  return std::nullopt;
}

std::optional<CommandLine> parse_command_line(std::string_view text) {
  if (auto c = parse_command(text)) return CommandLine{*c, {}};
  std::string_view t = bot::trim(text);
  if (t.starts_with('/')) t.remove_prefix(1);
  for (std::string_view word : {"save", "evidence"}) {
    if (t.size() <= word.size() || bot::lower(t.substr(0, word.size())) != word) continue;
    const char after = t[word.size()];
    if (after == ' ' || after == '\t' || after == ':') {
      return CommandLine{Command::save, std::string{bot::trim(t.substr(word.size() + 1))}};
    }
  }
  return std::nullopt;
}

std::optional<std::string_view> suggest_command(std::string_view text) {
  const std::string t = normalise(text);
  if (t.empty() || t.size() > 20) return std::nullopt;
  std::optional<std::string_view> best;
  std::size_t best_distance = 3;  // more than two edits is not a typo
  for (const auto& c : commands()) {
    if (c.summary.empty()) continue;
    const std::size_t d = bot::edit_distance(t, c.name);
    if (d < best_distance) {
      best_distance = d;
      best = c.name;
    }
  }
  return best;
}

std::string help_text() {
  std::string text = "Here is what I can do:";
  for (const auto& c : commands()) {
    if (c.summary.empty()) continue;
    text += "\n- *" + std::string{c.name} + "*: " + std::string{c.summary};
  }
  text += "\nIn the middle of a question you can type *back*, *skip* (where it's optional), *help* or *cancel*.";
  return text;
}

}  // namespace dialogs
