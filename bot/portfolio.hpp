#pragma once
// A person's whole learning record as one value, and the two ways of exporting it:
// Markdown to read, JSON to keep or import elsewhere. The learner owns this data, so
// an export holds everything stored about them (private items too); it is produced
// only for the person themselves or an operator running `coachbot export`.
//
// Portfolio is filled by storage (storage::SqliteExportRepository) and rendered by
// pure functions here: no clock (exported_at is a field), no I/O. Value types; safe to
// copy between threads.
//
// JSON schema, version 1 (`to_json`). Times are UTC ISO-8601 strings ending in 'Z'
// ("2026-09-14T08:00:00Z", with ".mmm" only when the milliseconds are not zero);
// calendar dates are "YYYY-MM-DD"; a field documented "or null" is always present.
// Arrays are in the order things happened (oldest first) unless said otherwise.
//
//   schema_version  1; a reader must check it. Fields may be added within a version,
//                   never renamed or removed.
//   exported_at     time of the export
//   person          { id, display_name, email (or null), time_zone (IANA name),
//                     manager_name (or null), team (or null), settings }
//   person.settings { checkin_weekday (1..7, ISO: 1 = Monday), checkin_time ("HH:MM",
//                     local), paused_until (date, or null), weekly_budget_minutes (or
//                     null), visibility { checkins, reflections, evidence,
//                     achievements: "private" | "manager" | "team" } }: who may see
//                     each kind of item by default
//   plans[]         { id, period_start, period_end (exclusive), aspiration_short,
//                     aspiration_long, objective, status ("draft" | "submitted" |
//                     "approved" | "changes_requested" | "active" | "completed" |
//                     "archived"), submitted_at (or null), decided_at (or null),
//                     created_at }  ordered by period
//   goals[]         { id, plan_id (or null), statement, measure, target, support,
//                     relevance, target_date (or null), kind ("current_role" | "career"
//                     | "leadership"), skill_tags [string], progress (0..100), status
//                     ("active" | "achieved" | "dropped"), achieved_at (or null),
//                     created_at, activities[] }  ordered by plan, then as the person
//                     ordered them
//   goals[].activities[]
//                   { kind ("course" | "on_the_job" | "mentoring" | "reading" |
//                     "conference" | "cross_team" | "other"), title, resource,
//                     planned_minutes (or null), status ("planned" | "in_progress" |
//                     "done" | "dropped") }
//   checkins[]      { id, iso_week ("2026-W38"), revision (1 for the first answer of a
//                     week, then 2, 3 ...), overall_progress (0..100 or null),
//                     goals [{ goal_id, goal_statement, progress }], minutes_spent (or
//                     null), learned, blockers, need_help (bool), confidence (1..5 or
//                     null), next_step, created_at }  every revision is kept
//   reflections[]   { id, checkin_id (or null), iso_week (of that check-in, or null),
//                     learned, apply, differently, visibility ("private" | "manager" |
//                     "team"), follow_up_due_at (or null), followed_up_at (or null),
//                     applied ("yes" | "partly" | "no", or null), follow_up_note
//                     (what they said when asked; "" when nothing), created_at }
//   evidence[]      { id, goal_id (or null), goal_statement (or null), content, url (or
//                     null), visibility, created_at }
//   achievements[]  { id, goal_id (or null), goal_statement (or null), text, shared
//                     (bool), channel (or null), shared_at (or null), created_at,
//                     kudos (how many people gave kudos), kudos_from [display name]
//                     in the order they gave it }
//   reviews[]       { id, plan_id, kind ("plan_approval" | "progress"), decision
//                     ("approved" | "changes_requested" or null), comment,
//                     reviewer_name (or null when the reviewer was deleted), created_at }
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "bot/clock.hpp"
#include "bot/ids.hpp"
#include "bot/model.hpp"

namespace bot {

struct PortfolioPerson {
  PersonId id;
  std::string display_name;
  std::optional<std::string> email;
  std::string time_zone;  // IANA name
  std::optional<std::string> manager_name;
  std::optional<std::string> team;
  // The settings, as `settings` shows them (the time zone is above).
  int checkin_weekday = 1;
  int checkin_minute = 9 * 60;
  std::optional<std::string> paused_until;
  std::optional<int> weekly_budget_minutes;
  VisibilityDefaults visibility;
};

struct PortfolioPlan {
  PlanId id;
  std::string period_start;  // ISO date, inclusive
  std::string period_end;    // ISO date, exclusive
  std::string aspiration_short;
  std::string aspiration_long;
  std::string objective;
  PlanStatus status = PlanStatus::draft;
  std::optional<Instant> submitted_at;
  std::optional<Instant> decided_at;
  Instant created_at{};
};

struct PortfolioActivity {
  ActivityKind kind = ActivityKind::other;
  std::string title;
  std::string resource;
  std::optional<int> planned_minutes;
  std::string status = "planned";  // as stored: planned, in_progress, done, dropped
};

struct PortfolioGoal {
  GoalId id;
  std::optional<PlanId> plan;
  std::string statement;
  std::string measure;
  std::string target;
  std::string support;
  std::string relevance;
  std::optional<std::string> target_date;  // ISO date
  GoalKind kind = GoalKind::current_role;
  std::vector<std::string> skill_tags;
  int progress = 0;  // 0..100
  GoalStatus status = GoalStatus::active;
  std::optional<Instant> achieved_at;
  Instant created_at{};
  std::vector<PortfolioActivity> activities;
};

struct PortfolioCheckInGoal {
  GoalId goal;
  std::string goal_statement;
  int progress = 0;
};

struct PortfolioCheckIn {
  CheckInId id;
  std::string iso_week;
  int revision = 1;
  std::optional<int> overall_progress;
  std::vector<PortfolioCheckInGoal> goals;
  std::optional<int> minutes_spent;
  std::string learned;
  std::string blockers;
  bool need_help = false;
  std::optional<int> confidence;  // 1..5
  std::string next_step;
  Instant created_at{};
};

// Visibility of reflections, evidence and achievements as stored: private, manager or
// team.
struct PortfolioReflection {
  std::int64_t id = 0;
  std::optional<CheckInId> checkin;
  std::optional<std::string> iso_week;  // of that check-in
  std::string learned;
  std::string apply;
  std::string differently;
  std::string visibility = "private";
  std::optional<Instant> follow_up_due_at;
  std::optional<Instant> followed_up_at;
  std::optional<std::string> applied;
  std::string follow_up_note;
  Instant created_at{};
};

struct PortfolioEvidence {
  std::int64_t id = 0;
  std::optional<GoalId> goal;
  std::optional<std::string> goal_statement;
  std::string content;
  std::optional<std::string> url;
  std::string visibility = "private";
  Instant created_at{};
};

struct PortfolioAchievement {
  std::int64_t id = 0;
  std::optional<GoalId> goal;
  std::optional<std::string> goal_statement;
  std::string text;
  bool shared = false;
  std::optional<std::string> channel;
  std::optional<Instant> shared_at;
  Instant created_at{};
  std::vector<std::string> kudos_from;  // display names, in the order kudos were given
};

struct PortfolioReview {
  std::int64_t id = 0;
  PlanId plan;
  std::string kind = "plan_approval";       // as stored: plan_approval or progress
  std::optional<PlanStatus> decision;       // approved or changes_requested
  std::string comment;
  std::optional<std::string> reviewer_name;  // empty when the reviewer was deleted
  Instant created_at{};
};

struct Portfolio {
  Instant exported_at{};
  PortfolioPerson person;
  std::vector<PortfolioPlan> plans;
  std::vector<PortfolioGoal> goals;
  std::vector<PortfolioCheckIn> checkins;
  std::vector<PortfolioReflection> reflections;
  std::vector<PortfolioEvidence> evidence;
  std::vector<PortfolioAchievement> achievements;
  std::vector<PortfolioReview> reviews;
};

inline constexpr int kPortfolioSchemaVersion = 1;

std::string to_markdown(const Portfolio& portfolio);
nlohmann::json to_json(const Portfolio& portfolio);

}  // namespace bot
