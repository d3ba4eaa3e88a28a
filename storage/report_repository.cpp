#include "storage/report_repository.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <SQLiteCpp/Transaction.h>
#include <nlohmann/json.hpp>

#include "storage/statement.hpp"

namespace storage {

namespace {

// The team a row is counted under: NULL and blank are "no team" alike, and stray
// spaces typed in settings do not make a second team. Every statement groups by the
// same expression, so that their rows meet in one map.
std::string team_of_sql(std::string_view column) { return "NULLIF(trim(" + std::string{column} + "), '')"; }

using TeamKey = std::optional<std::string>;

TeamKey team_of(const SQLite::Column& c) { return optional_text(c); }

}  // namespace

SqliteReportRepository::SqliteReportRepository(SQLite::Database& db)
    : db_(db),
      team_sizes_(db, "SELECT " + team_of_sql("team") + ", count(*) FROM people GROUP BY 1"),
      active_goal_people_(db,
                          "SELECT " + team_of_sql("p.team") + ", count(DISTINCT g.person_id) FROM goals g "
                          "JOIN people p ON p.id = g.person_id WHERE g.status = 'active' GROUP BY 1"),
      // skill_tags should be a JSON array of strings; a damaged value counts as no tags
      // instead of failing the report (json_each raises on malformed JSON, and CASE
      // tests its branches in order, so json_type never sees one).
      tag_people_(db,
                  "SELECT " + team_of_sql("p.team") + ", t.value, count(DISTINCT g.person_id) FROM goals g "
                  "JOIN people p ON p.id = g.person_id, "
                  "json_each(CASE WHEN NOT json_valid(g.skill_tags) THEN '[]' "
                  "WHEN json_type(g.skill_tags) = 'array' THEN g.skill_tags ELSE '[]' END) t "
                  "WHERE g.status = 'active' AND t.type = 'text' AND t.value <> '' GROUP BY 1, 2"),
      // period_end is exclusive. A person counts once however many plans cover today.
      plans_(db,
             "SELECT " + team_of_sql("p.team") + ", count(DISTINCT p.id), "
             "count(DISTINCT CASE WHEN pl.status IN ('approved', 'active', 'completed') THEN p.id END) "
             "FROM plans pl JOIN people p ON p.id = pl.person_id "
             "WHERE pl.status <> 'archived' AND pl.period_start <= ?1 AND pl.period_end > ?1 GROUP BY 1"),
      // Only the latest revision of a person's week counts: one check-in per person-week,
      // with the minutes they last gave. The weeks come as a JSON array so that the
      // statement does not depend on how many there are.
      checkins_(db,
                "SELECT " + team_of_sql("p.team") + ", count(*), coalesce(sum(c.minutes_spent), 0) "
                "FROM checkins c JOIN people p ON p.id = c.person_id "
                "WHERE c.iso_week IN (SELECT value FROM json_each(?1)) "
                "AND c.revision = (SELECT max(r.revision) FROM checkins r "
                "WHERE r.person_id = c.person_id AND r.iso_week = c.iso_week) GROUP BY 1") {}

std::vector<bot::TeamSkills> SqliteReportRepository::skills() {
  // One snapshot: a goal added between two of these reads cannot make a tag count
  // exceed the team it belongs to. Nothing is written.
  SQLite::Transaction tx{db_, SQLite::TransactionBehavior::DEFERRED};
  std::map<TeamKey, bot::TeamSkills> teams;
  {
    Use s{team_sizes_};
    while (s->executeStep()) {
      auto& t = teams[team_of(s->getColumn(0))];
      t.team = team_of(s->getColumn(0));
      t.people = s->getColumn(1).getInt();
    }
  }
  {
    Use s{active_goal_people_};
    while (s->executeStep()) {
      const auto it = teams.find(team_of(s->getColumn(0)));
      if (it != teams.end()) it->second.people_with_active_goals = s->getColumn(1).getInt();
    }
  }
  {
    Use s{tag_people_};
    while (s->executeStep()) {
      const auto it = teams.find(team_of(s->getColumn(0)));
      if (it == teams.end()) continue;
      bot::TagCount c;
      c.tag = s->getColumn(1).getString();
      c.people = s->getColumn(2).getInt();
      it->second.tags.push_back(std::move(c));
    }
  }
  tx.commit();
  std::vector<bot::TeamSkills> out;
  for (auto& [key, t] : teams) out.push_back(std::move(t));
  return out;
}

std::vector<bot::TeamParticipation> SqliteReportRepository::participation(const bot::ReportPeriod& period) {
  SQLite::Transaction tx{db_, SQLite::TransactionBehavior::DEFERRED};
  std::map<TeamKey, bot::TeamParticipation> teams;
  {
    Use s{team_sizes_};
    while (s->executeStep()) {
      auto& t = teams[team_of(s->getColumn(0))];
      t.team = team_of(s->getColumn(0));
      t.people = s->getColumn(1).getInt();
    }
  }
  {
    Use s{plans_};
    s->bind(1, period.today);
    while (s->executeStep()) {
      const auto it = teams.find(team_of(s->getColumn(0)));
      if (it == teams.end()) continue;
      it->second.people_with_plan = s->getColumn(1).getInt();
      it->second.plans_approved = s->getColumn(2).getInt();
    }
  }
  {
    Use s{checkins_};
    s->bind(1, nlohmann::json(period.weeks).dump());
    while (s->executeStep()) {
      const auto it = teams.find(team_of(s->getColumn(0)));
      if (it == teams.end()) continue;
      it->second.checkins = s->getColumn(1).getInt();
      it->second.learning_minutes = s->getColumn(2).getInt64();
    }
  }
  tx.commit();
  std::vector<bot::TeamParticipation> out;
  for (auto& [key, t] : teams) out.push_back(std::move(t));
  return out;
}

}  // namespace storage
