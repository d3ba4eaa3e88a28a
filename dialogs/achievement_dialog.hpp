#pragma once
// After a check-in moves goals to 100%: for each achieved goal, shows a draft team
// post (the goal, what the person learned, their evidence links) and asks whether to
// share it in the team channel, keep it private, or edit the text first. Only an
// explicit "share" posts anything; cancelling keeps the achievements private. Without
// a team channel (no team set, or no channel configured for it) sharing is not offered.
// Stateless; thread-safe.
#include "dialogs/questionnaire.hpp"

namespace dialogs {

class AchievementDialog final : public Questionnaire {
 public:
  std::string_view name() const override { return "achievement"; }
  std::string_view title() const override { return "achievement post"; }
  // Seed: the goals just achieved and what the person said they learned this week.
  static nlohmann::json for_goals(const std::vector<bot::Goal>& achieved, const std::string& learned,
                                  const bot::Context& c);

 protected:
  nlohmann::json initial_data(const bot::Context& c) const override;
  std::vector<Question> questions(const nlohmann::json& data, const nlohmann::json& answers,
                                  const bot::Context& c) const override;
  bot::Transition finish(const nlohmann::json& data, const nlohmann::json& answers,
                         const bot::Context& c) const override;
  bot::Transition cancelled(const nlohmann::json& data, const bot::Context& c) const override;
};

}  // namespace dialogs
