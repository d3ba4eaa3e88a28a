#include "bot/model.hpp"

#include <array>
#include <utility>

namespace bot {

namespace {

// One table per enum gives both directions, so the names stored in SQLite and shown
// in exports cannot drift apart.
template <class E, std::size_t N>
using Names = std::array<std::pair<E, std::string_view>, N>;

constexpr Names<PlanStatus, 7> kPlanStatus{{{PlanStatus::draft, "draft"},
                                            {PlanStatus::submitted, "submitted"},
                                            {PlanStatus::approved, "approved"},
                                            {PlanStatus::changes_requested, "changes_requested"},
                                            {PlanStatus::active, "active"},
                                            {PlanStatus::completed, "completed"},
                                            {PlanStatus::archived, "archived"}}};
constexpr Names<GoalKind, 3> kGoalKind{
    {{GoalKind::current_role, "current_role"}, {GoalKind::career, "career"}, {GoalKind::leadership, "leadership"}}};
constexpr Names<ActivityKind, 7> kActivityKind{{{ActivityKind::course, "course"},
                                                {ActivityKind::on_the_job, "on_the_job"},
                                                {ActivityKind::mentoring, "mentoring"},
                                                {ActivityKind::reading, "reading"},
                                                {ActivityKind::conference, "conference"},
                                                {ActivityKind::cross_team, "cross_team"},
                                                {ActivityKind::other, "other"}}};
constexpr Names<GoalStatus, 3> kGoalStatus{
    {{GoalStatus::active, "active"}, {GoalStatus::achieved, "achieved"}, {GoalStatus::dropped, "dropped"}}};

template <class E, std::size_t N>
std::string_view name_of(const Names<E, N>& names, E e) {
  for (const auto& [v, n] : names)
    if (v == e) return n;
  return "unknown";
}

template <class E, std::size_t N>
bool value_of(const Names<E, N>& names, std::string_view text, E& out) {
  for (const auto& [v, n] : names) {
    if (n == text) {
      out = v;
      return true;
    }
  }
  return false;
}

}  // namespace

std::string_view to_string(PlanStatus s) { return name_of(kPlanStatus, s); }
std::string_view to_string(GoalKind k) { return name_of(kGoalKind, k); }
std::string_view to_string(ActivityKind k) { return name_of(kActivityKind, k); }
std::string_view to_string(GoalStatus s) { return name_of(kGoalStatus, s); }
bool parse(std::string_view t, PlanStatus& out) { return value_of(kPlanStatus, t, out); }
bool parse(std::string_view t, GoalKind& out) { return value_of(kGoalKind, t, out); }
bool parse(std::string_view t, ActivityKind& out) { return value_of(kActivityKind, t, out); }
bool parse(std::string_view t, GoalStatus& out) { return value_of(kGoalStatus, t, out); }

}  // namespace bot
