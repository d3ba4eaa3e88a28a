#pragma once
// The domain model: people, goals and check-ins as plain values. Storage maps them to
// rows, dialogs read them through Context, adapters never see them. Value types; safe
// to copy between threads.
#include <optional>
#include <string>
#include <vector>

#include "bot/clock.hpp"
#include "bot/ids.hpp"

namespace bot {

// Who may see a kind of item besides its owner. Reflections and check-in text are
// private unless the person changes it.
enum class Visibility { owner, manager, team };
enum class ItemKind { checkins, reflections, evidence, achievements };

struct VisibilityDefaults {
  Visibility checkins = Visibility::owner;
  Visibility reflections = Visibility::owner;
  Visibility evidence = Visibility::owner;
  Visibility achievements = Visibility::owner;
  Visibility of(ItemKind k) const;
  void set(ItemKind k, Visibility v);
  bool operator==(const VisibilityDefaults&) const = default;
};

struct Preferences {
  std::string time_zone;          // IANA name
  int checkin_weekday = 1;        // ISO: 1 = Monday
  int checkin_minute = 9 * 60;    // local minutes after midnight
  std::optional<std::string> paused_until;   // ISO date, inclusive
  std::optional<int> weekly_budget_minutes;  // learning-time budget
  VisibilityDefaults visibility;
  bool operator==(const Preferences&) const = default;
};

struct Person {
  PersonId id;
  std::string display_name;
  std::optional<std::string> email;
  std::string locale = "en";
  std::optional<PersonId> manager;
  std::optional<std::string> team;
  std::optional<std::string> region;  // for holiday calendars; set by the directory import
  Preferences prefs;
  bool onboarded = false;           // finished the onboarding dialog
  bool onboarding_offered = false;  // told once how to run it after a first command
  Instant created_at{};
  bool operator==(const Person&) const = default;
};

enum class PlanStatus { draft, submitted, approved, changes_requested, active, completed, archived };

// One learning plan per person and period (default: the current half-year).
struct Plan {
  PlanId id;
  PersonId person;
  std::string period_start;  // ISO date, inclusive
  std::string period_end;    // ISO date, exclusive
  std::string aspiration_short;
  std::string aspiration_long;
  std::string objective;     // the team or organisation objective it supports
  PlanStatus status = PlanStatus::draft;
};

enum class GoalStatus { active, achieved, dropped };
enum class GoalKind { current_role, career, leadership };
enum class ActivityKind { course, on_the_job, mentoring, reading, conference, cross_team, other };

struct Activity {
  ActivityKind kind = ActivityKind::other;
  std::string resource;  // a validated URL or free text
  std::optional<int> planned_minutes;
};

// A SMART goal: specific statement, measure and target, support (achievable),
// relevance, target date (time-bound).
struct Goal {
  GoalId id;
  PersonId person;
  std::string statement;
  int progress = 0;  // 0..100
  GoalStatus status = GoalStatus::active;
  std::optional<std::string> target_date;  // ISO date
  std::optional<PlanId> plan;
  std::string measure;
  std::string target;
  std::string support;
  std::string relevance;
  GoalKind kind = GoalKind::current_role;
  std::vector<std::string> skill_tags;
  std::vector<Activity> activities;
};

std::string_view to_string(Visibility v);
std::string_view to_string(ItemKind k);
bool parse(std::string_view text, Visibility& out);
bool parse(std::string_view text, ItemKind& out);

// The one visibility check: may `viewer` see `owner`'s items of this kind? The owner
// always may; the manager when the owner shares that kind with their manager (or the
// team); a teammate only when the owner shares it with the team.
bool may_see(const Person& owner, const Person& viewer, ItemKind kind);

std::string_view to_string(PlanStatus s);
std::string_view to_string(GoalKind k);
std::string_view to_string(ActivityKind k);
std::string_view to_string(GoalStatus s);
// Inverse of to_string; false when the text names no value.
bool parse(std::string_view text, PlanStatus& out);
bool parse(std::string_view text, GoalKind& out);
bool parse(std::string_view text, ActivityKind& out);
bool parse(std::string_view text, GoalStatus& out);

struct CheckInGoalProgress {
  GoalId goal;
  int progress = 0;
};

// One answer to the weekly check-in. A later answer for the same week is stored as a
// new revision; earlier revisions are kept.
struct CheckIn {
  CheckInId id;
  PersonId person;
  std::string iso_week;  // "2026-W48": the week in the person's zone the check-in was started in
  int revision = 1;
  std::optional<int> overall_progress;  // asked when the person has no goals
  std::vector<CheckInGoalProgress> goals;
  std::optional<int> minutes_spent;
  std::string learned;
  std::string blockers;
  bool need_help = false;
  std::optional<int> confidence;
  std::string next_step;
  Instant created_at{};
};

// A short reflection: after a check-in or on `reflect`. Two weeks later the person
// is asked once whether they applied it (the follow-up).
struct Reflection {
  ReflectionId id;
  PersonId person;
  std::optional<CheckInId> checkin;  // the check-in it followed, if any
  std::string learned;
  std::string apply;        // how they will apply it
  std::string differently;  // what they would do differently
  Visibility visibility = Visibility::owner;
  std::optional<Instant> follow_up_due_at;
  std::optional<Instant> followed_up_at;  // when the follow-up was asked
  std::optional<std::string> applied;     // "yes" | "partly" | "no", once answered
  std::string follow_up_note;
  Instant created_at{};
};

// Something the person keeps in their portfolio: a note, a link, a certificate.
struct Evidence {
  EvidenceId id;
  PersonId person;
  std::optional<GoalId> goal;
  std::string content;
  std::optional<std::string> url;  // the first link in the content, if any
  Visibility visibility = Visibility::owner;
  Instant created_at{};
};

// A goal reached, with the post text the person approved. Shared only on their
// explicit choice; one per goal.
struct Achievement {
  AchievementId id;
  PersonId person;
  std::optional<GoalId> goal;
  std::string text;
  bool shared = false;
  std::optional<std::string> channel;  // platform channel it was posted to
  std::optional<Instant> shared_at;
  Instant created_at{};
};

}  // namespace bot
