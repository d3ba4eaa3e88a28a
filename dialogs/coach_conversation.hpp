#pragma once
// The conversation as a whole, for one person: routes a message (or a command button,
// as if its command were typed) to the open dialog or to a command, greets newcomers with onboarding, offers onboarding once to someone
// who started with a command, resumes an open dialog when the person comes back, and
// closes dialogs that were left too long. A finished check-in leads into the
// achievement post (goals reached) or the reflection offer, and a due reflection
// follow-up is asked after whatever the person came for. Pure (bot::Conversation);
// thread-safe.
#include "bot/dialog.hpp"
#include "dialogs/achievement_dialog.hpp"
#include "dialogs/checkin_dialog.hpp"
#include "dialogs/commands.hpp"
#include "dialogs/delete_data_dialog.hpp"
#include "dialogs/evidence_dialog.hpp"
#include "dialogs/goal_dialog.hpp"
#include "dialogs/onboarding_dialog.hpp"
#include "dialogs/plan_dialog.hpp"
#include "dialogs/plan_review.hpp"
#include "dialogs/reflection_dialog.hpp"
#include "dialogs/settings_dialog.hpp"

namespace dialogs {

class CoachConversation final : public bot::Conversation {
 public:
  bot::Transition handle(const std::optional<bot::DialogState>& open, const bot::Input& input,
                         const bot::Context& context) const override;
  bool needs_team(const bot::Input& input) const override;

 private:
  bot::Transition on_timer(const std::optional<bot::DialogState>& open, const bot::Input& input,
                           const bot::Context& c) const;
  bot::Transition route(const std::optional<bot::DialogState>& open, const bot::Input& input,
                        const bot::Context& c) const;
  const Questionnaire* find(std::string_view name) const;
  bot::Transition run(const CommandLine& command, const bot::Context& c) const;
  // The team overview shown while a dialog is open, which stays open.
  bot::Transition alongside(const bot::DialogState& open, const Questionnaire& dialog, const bot::Context& c) const;
  bot::Transition after_checkin(bot::Transition t, const bot::Context& c) const;
  bot::Transition follow_up(bot::Transition t, const bot::Input& input, const bot::Context& c) const;
  bot::Transition fresh(const bot::Input& input, const bot::Context& c, std::string preface) const;
  bot::Transition welcome(const bot::Context& c) const;
  bot::Transition offer_onboarding(bot::Transition t, const bot::Context& c) const;

  OnboardingDialog onboarding_;
  CheckInDialog checkin_;
  PlanDialog plan_;
  GoalDialog goal_;
  ReviewCommentDialog review_comment_;
  SettingsDialog settings_;
  ReflectionDialog reflection_;
  FollowUpDialog follow_up_;
  EvidenceDialog evidence_;
  AchievementDialog achievement_;
  DeleteDataDialog delete_data_;
};

}  // namespace dialogs
