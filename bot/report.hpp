#pragma once
// Org-wide figures for L&D (`coachbot report`): which skills people's active goals
// name, and how each team takes part (plans, weekly check-ins, hours of learning).
//
// Storage fills raw per-team figures (TeamSkills, TeamParticipation; see
// storage::SqliteReportRepository). The pure functions here apply the privacy rule
// (make_skills_report, make_participation_report) and render the result as CSV, JSON
// or an aligned text table. No clock (the caller passes the time), no I/O. Value types;
// safe to copy between threads.
//
// Privacy rule. A report is about groups, never people, so no figure may describe a
// group small enough to point at someone:
//   - a team with fewer than kMinGroupPeople people (everyone in the team, with or
//     without a plan) is not shown on its own; its figures are added to one group,
//     "other teams (fewer than 5 people each)". People with no team form the group
//     "(no team)", which follows the same rule.
//   - when that fold-in group itself has fewer than kMinGroupPeople people it is not
//     shown either; the report says how many people were left out (left_out_people).
//   - the skills report's "all teams" total counts the people of the groups shown
//     only, so that subtracting the shown teams from it cannot reveal the left-out
//     people; it is shown when it covers at least kMinGroupPeople people.
//
// Figures.
//   skills: per group, for each skill tag, the number of distinct people with at least
//     one active goal carrying the tag (not the number of goals); the `top` tags with
//     the most people, ties by tag name.
//   participation: per group, people; people with a plan (not archived) whose period
//     covers today; of those, people whose plan is approved (status approved, active or
//     completed); check-ins = distinct (person, ISO week) pairs with a check-in in the
//     last kReportWeeks ISO weeks (the current one included), a week answered twice
//     counting once; completion = check-ins / (people x kReportWeeks) as a percentage;
//     hours of learning = the minutes of each person-week's latest revision, summed.
//   Today and the weeks are UTC (report_period), whatever zone people live in.
//
// JSON schema, version 1 (`to_json`). Times are UTC ISO-8601 strings ending in 'Z';
// fields may be added within a version, never renamed or removed.
//   common      { schema_version 1, report ("skills" | "participation"), generated_at,
//                 min_group_size (5), left_out_people (people in groups too small to
//                 show even when folded together; 0 when none), groups[] }
//   groups[]    { kind ("team" | "no_team" | "other_teams" | "all_teams"), name (the
//                 label shown in tables: the team name, "(no team)", "other teams
//                 (fewer than 5 people each)" or "all teams"), team (the team name for
//                 kind "team", else null), people, ... }  ordered: teams by name, then
//                 "(no team)", "other teams", "all teams"
//   skills      adds top (N); groups[] add people_with_active_goals and
//                 tags [{ tag, people }] (most people first, at most N)
//   participation
//               adds today ("YYYY-MM-DD"), weeks (["2026-W35", ... "2026-W38"], oldest
//                 first); groups[] add people_with_plan, plans_approved, checkins,
//                 checkin_completion_percent (number, one decimal), learning_minutes,
//                 learning_hours (number, one decimal)
//
// CSV (`to_csv`): RFC 4180, a header row, CRLF line ends, fields quoted when they hold
// a comma, a double quote, CR or LF. A text cell starting with '=', '+', '-', '@', tab
// or CR is prefixed with a single quote so that a spreadsheet does not run it as a
// formula (team names and tags are typed by people). When people were left out, a last
// row names them: group "(left out: fewer than 5 people)" with their number in
// `people` and the other cells empty.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "bot/clock.hpp"

namespace bot {

inline constexpr int kReportSchemaVersion = 1;
inline constexpr int kMinGroupPeople = 5;
inline constexpr int kReportWeeks = 4;

// What "today" and "the last weeks" are for a report made at some instant, in UTC.
struct ReportPeriod {
  std::string today;               // "2026-09-14"
  std::vector<std::string> weeks;  // kReportWeeks ISO weeks, oldest first, the current one last
};

ReportPeriod report_period(Instant now);

struct TagCount {
  std::string tag;
  int people = 0;  // distinct people with an active goal carrying the tag
};

// ---- Raw per-team figures, as storage reads them (no privacy rule applied) ----------

struct TeamSkills {
  std::optional<std::string> team;  // nullopt: people with no team
  int people = 0;                   // everyone in the team
  int people_with_active_goals = 0;
  std::vector<TagCount> tags;  // every tag, any order
};

struct TeamParticipation {
  std::optional<std::string> team;  // nullopt: people with no team
  int people = 0;
  int people_with_plan = 0;  // a plan covering today
  int plans_approved = 0;    // people whose plan covering today is approved
  int checkins = 0;          // distinct (person, week) pairs in the period
  std::int64_t learning_minutes = 0;
};

// ---- Reports, privacy rule applied ---------------------------------------------------

enum class GroupKind { team, no_team, other_teams, all_teams };

struct SkillsGroup {
  GroupKind kind = GroupKind::team;
  std::optional<std::string> team;  // set for GroupKind::team only
  int people = 0;
  int people_with_active_goals = 0;
  std::vector<TagCount> tags;  // at most `top`, most people first, ties by tag
};

struct SkillsReport {
  Instant generated_at{};
  int top = 10;
  std::vector<SkillsGroup> groups;
  int left_out_people = 0;
};

struct ParticipationGroup {
  GroupKind kind = GroupKind::team;
  std::optional<std::string> team;  // set for GroupKind::team only
  int people = 0;
  int people_with_plan = 0;
  int plans_approved = 0;
  int checkins = 0;
  std::int64_t learning_minutes = 0;
};

struct ParticipationReport {
  Instant generated_at{};
  ReportPeriod period;
  std::vector<ParticipationGroup> groups;
  int left_out_people = 0;
};

// The label of a group in every format: the team name, "(no team)", "other teams
// (fewer than 5 people each)" or "all teams".
std::string group_label(GroupKind kind, const std::optional<std::string>& team);
std::string_view to_string(GroupKind kind);  // "team", "no_team", "other_teams", "all_teams"

// Check-in completion in tenths of a percent (714 = 71.4%), rounded half up; 0 for an
// empty group.
std::int64_t completion_tenths(const ParticipationGroup& group, int weeks);
// Hours of learning in tenths of an hour (125 = 12.5 h), rounded half up.
std::int64_t hours_tenths(std::int64_t minutes);
// "71.4" from 714.
std::string format_tenths(std::int64_t tenths);

// Apply the privacy rule to every team's figures. `top` >= 1.
SkillsReport make_skills_report(const std::vector<TeamSkills>& teams, int top, Instant generated_at);
ParticipationReport make_participation_report(const std::vector<TeamParticipation>& teams, ReportPeriod period,
                                              Instant generated_at);

std::string to_csv(const SkillsReport& report);
std::string to_csv(const ParticipationReport& report);
nlohmann::json to_json(const SkillsReport& report);
nlohmann::json to_json(const ParticipationReport& report);
// A title, a note on the privacy rule (and on anyone left out), then a table with
// text left-aligned and numbers right-aligned; widths count UTF-8 characters.
std::string to_table(const SkillsReport& report);
std::string to_table(const ParticipationReport& report);

}  // namespace bot
