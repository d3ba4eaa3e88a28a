#pragma once
// Drives the pure conversation (dialogs::CoachConversation) like a person would, with
// no storage: keeps the open dialog state, applies the effects that change the
// Context (preferences, manager, onboarding flags) and records the other effects, so that
// dialogs can be tested as transcripts.
#include <string>
#include <vector>

#include "bot/dialog.hpp"
#include "dialogs/coach_conversation.hpp"

namespace testing {

class DialogHarness {
 public:
  DialogHarness();
  // A person who finished onboarding and is not new: commands run without the welcome.
  static DialogHarness onboarded();
  // Sends typed text; returns the reply to the person as plain text.
  std::string say(const std::string& text);
  std::string click(const std::string& value);
  std::string click(const std::string& action, const std::string& value);
  std::string open();  // the person opens the chat (or the app)

  bot::Context context;
  std::optional<bot::DialogState> state;
  std::vector<bot::CheckIn> checkins;
  std::vector<bot::Message> to_others;  // messages not addressed to the person
  std::vector<std::string> manager_handles;
  std::vector<bot::DecidePlan> decisions;
  std::vector<bot::Reflection> reflections;
  std::vector<bot::ReflectionId> follow_ups_asked;
  std::vector<bot::RecordFollowUp> follow_ups;
  std::vector<bot::Evidence> evidence;
  std::vector<bot::Achievement> achievements;
  std::vector<bot::AchievementId> kudos;
  int exports = 0;
  bool erased = false;
  bot::Message last_reply;
  int replies_to_last_input = 0;

 private:
  std::string run(const bot::Input& in);
  dialogs::CoachConversation conversation_;
};

}  // namespace testing
