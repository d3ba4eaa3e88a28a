#pragma once
// The weekly check-in. A person with no goals answers four questions: overall
// progress, what they learned, blockers, next step. A person with goals answers per
// goal (buttons for common values), then hours of learning time (compared with their
// weekly budget), what they learned, blockers, whether a conversation with their
// manager would help (only a yes tells the manager, with the blocker), confidence 1-5
// and next step; 100% marks a goal achieved. Saved for the person's current ISO week
// in their own time zone; answering again in the same week adds a revision and keeps
// the earlier one (`edit checkin` starts from this week's answers). The questions never
// depend on earlier answers, so the check-in also offers itself as one form (with this
// week's answers filled in for an edit). Stateless; thread-safe.
#include "dialogs/questionnaire.hpp"

namespace dialogs {

class CheckInDialog final : public Questionnaire {
 public:
  std::string_view name() const override { return "checkin"; }
  std::string_view title() const override { return "check-in"; }
  bool offers_form() const override { return true; }
  // Seed for `edit checkin`: every question offers to keep the answer of `latest`.
  static nlohmann::json edit_seed(const bot::CheckIn& latest);

 protected:
  nlohmann::json initial_data(const bot::Context& c) const override;
  std::vector<Question> questions(const nlohmann::json& data, const nlohmann::json& answers,
                                  const bot::Context& c) const override;
  std::vector<Question> form_questions(const nlohmann::json& data, const nlohmann::json& answers,
                                       const bot::Context& c) const override;
  std::string form_title(const nlohmann::json&) const override { return "Weekly check-in"; }
  std::map<std::string, std::string> form_initial(const nlohmann::json& data) const override;
  std::string intro(const nlohmann::json& data, const bot::Context& c) const override;
  bot::Transition finish(const nlohmann::json& data, const nlohmann::json& answers,
                         const bot::Context& c) const override;
};

}  // namespace dialogs
