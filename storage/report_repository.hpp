#pragma once
// Reads the raw per-team figures of `coachbot report` (bot/report.hpp): team sizes,
// skill tags on active goals, plans, check-ins and minutes of learning. Every team is
// returned, small ones included: the privacy rule is applied afterwards by
// bot::make_skills_report / bot::make_participation_report, which the caller must use
// before showing anything. People whose team is NULL or blank are one row with team
// nullopt; team names are trimmed.
//
// Each call reads in one read transaction, so the figures are a consistent snapshot
// even while the service writes. Read-only. Not thread-safe: one per connection, and
// not inside another transaction on the same connection.
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "bot/report.hpp"

namespace storage {

class SqliteReportRepository {
 public:
  explicit SqliteReportRepository(SQLite::Database& db);

  // Per team: people, people with an active goal, and per skill tag the number of
  // distinct people with an active goal carrying it.
  std::vector<bot::TeamSkills> skills();

  // Per team: people, plans covering period.today, and the check-ins (latest revision
  // per person and week) of period.weeks.
  std::vector<bot::TeamParticipation> participation(const bot::ReportPeriod& period);

 private:
  SQLite::Database& db_;
  SQLite::Statement team_sizes_;
  SQLite::Statement active_goal_people_;
  SQLite::Statement tag_people_;
  SQLite::Statement plans_;
  SQLite::Statement checkins_;
};

}  // namespace storage
