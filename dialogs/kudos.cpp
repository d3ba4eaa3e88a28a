#include "dialogs/kudos.hpp"

#include "bot/text.hpp"

namespace dialogs {

bot::Message achievement_post(const std::string& channel, const std::string& text, bot::GoalId goal,
                              const std::vector<std::string>& kudos_from) {
  bot::Message m = bot::Message::text(bot::Recipient{bot::RecipientKind::channel, {}, channel, {}}, text);
  if (!kudos_from.empty()) m.sections.push_back({"Kudos from " + bot::join(kudos_from, ", ")});
  m.buttons.push_back({std::string{bot::kKudosAction}, "Send kudos", "kudos:" + std::to_string(goal.value), bot::ButtonStyle::primary});
  m.update_key = "achievement:" + std::to_string(goal.value);
  return m;
}

bot::Transition kudos_click(const bot::Input&, const bot::Context& c) {
  const auto me = bot::Recipient::dm(c.person.id);
  bot::Transition t;
  if (!c.achievement || !c.achievement->achievement.shared || !c.achievement->achievement.goal ||
      !c.achievement->achievement.channel) {
    t.messages.push_back(bot::Message::text(me, "That achievement is no longer shared, so it can't get kudos."));
    return t;
  }
  const auto& a = *c.achievement;
  if (a.owner.id == c.person.id) {
    t.messages.push_back(bot::Message::text(me, "That's your own achievement: kudos are for your teammates to give."));
    return t;
  }
  if (a.given_by_viewer) {
    t.messages.push_back(
        bot::Message::text(me, "You already sent kudos to " + a.owner.display_name + " for this. Thank you!"));
    return t;
  }
  t.effects.push_back(bot::GiveKudos{a.achievement.id});
  t.messages.push_back(bot::Message::text(me, "Kudos sent to " + a.owner.display_name + "."));
  std::string note = c.person.display_name + " sent you kudos";
  if (!a.goal_statement.empty()) note += " for reaching \"" + a.goal_statement + "\"";
  t.messages.push_back(bot::Message::text(bot::Recipient::dm(a.owner.id), note + "."));
  auto names = a.kudos_from;
  names.push_back(c.person.display_name);
  t.messages.push_back(achievement_post(*a.achievement.channel, a.achievement.text, *a.achievement.goal, names));
  return t;
}

bot::Transition kudos_withdrawn(const bot::Context& c) {
  bot::Transition t;
  if (!c.achievement || !c.achievement->achievement.shared || !c.achievement->achievement.goal ||
      !c.achievement->achievement.channel)
    return t;
  const auto& a = c.achievement->achievement;
  t.messages.push_back(achievement_post(*a.channel, a.text, *a.goal, c.achievement->kudos_from));
  return t;
}

}  // namespace dialogs
