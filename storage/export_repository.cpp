#include "storage/export_repository.hpp"

#include <unordered_map>

#include <SQLiteCpp/Transaction.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "bot/text.hpp"
#include "storage/people_repository.hpp"
#include "storage/statement.hpp"

namespace storage {

namespace {

bot::Instant time_of(const SQLite::Column& c) { return bot::from_unix_ms(c.getInt64()); }

// skill_tags is a JSON array of strings; anything else in it is skipped rather than
// failing the whole export.
std::vector<std::string> tags_of(const std::string& text) {
  std::vector<std::string> out;
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_array()) return out;
  for (const auto& t : doc)
    if (t.is_string()) out.push_back(t.get<std::string>());
  return out;
}

}  // namespace

SqliteExportRepository::SqliteExportRepository(SQLite::Database& db)
    : db_(db),
      person_(db,
              "SELECT p.id, p.display_name, p.email, p.time_zone, m.display_name, p.team, p.checkin_weekday, "
              "p.checkin_minute, p.paused_until, p.weekly_budget_minutes, p.visibility FROM people p "
              "LEFT JOIN people m ON m.id = p.manager_id WHERE p.id = ?1"),
      by_user_(db,
               "SELECT p.id, p.display_name, i.platform, i.tenant, i.user_id FROM identities i "
               "JOIN people p ON p.id = i.person_id WHERE i.user_id = ?1 COLLATE NOCASE "
               "ORDER BY p.id, i.platform, i.tenant"),
      plans_(db,
             "SELECT id, period_start, period_end, aspiration_short, aspiration_long, objective, status, "
             "submitted_at, decided_at, created_at FROM plans WHERE person_id = ?1 ORDER BY period_start, id"),
      goals_(db,
             "SELECT g.id, g.plan_id, g.statement, g.measure, g.target, g.support, g.relevance, g.target_date, "
             "g.kind, g.skill_tags, g.progress, g.status, g.achieved_at, g.created_at FROM goals g "
             "LEFT JOIN plans pl ON pl.id = g.plan_id WHERE g.person_id = ?1 "
             "ORDER BY pl.period_start IS NULL, pl.period_start, g.plan_id, g.position, g.id"),
      activities_(db,
                  "SELECT a.goal_id, a.kind, a.title, a.resource, a.planned_minutes, a.status FROM activities a "
                  "JOIN goals g ON g.id = a.goal_id WHERE g.person_id = ?1 ORDER BY a.goal_id, a.id"),
      checkins_(db,
                "SELECT id, iso_week, revision, overall_progress, minutes_spent, learned, blockers, need_help, "
                "confidence, next_step, created_at FROM checkins WHERE person_id = ?1 "
                "ORDER BY created_at, iso_week, revision, id"),
      checkin_goals_(db,
                     "SELECT cg.checkin_id, cg.goal_id, g.statement, cg.progress FROM checkin_goals cg "
                     "JOIN checkins c ON c.id = cg.checkin_id JOIN goals g ON g.id = cg.goal_id "
                     "WHERE c.person_id = ?1 ORDER BY cg.checkin_id, g.position, g.id"),
      reflections_(db,
                   "SELECT r.id, r.checkin_id, c.iso_week, r.learned, r.apply, r.differently, r.visibility, "
                   "r.follow_up_due_at, r.followed_up_at, r.applied, r.created_at, r.follow_up_note FROM reflections r "
                   "LEFT JOIN checkins c ON c.id = r.checkin_id WHERE r.person_id = ?1 ORDER BY r.created_at, r.id"),
      evidence_(db,
                "SELECT e.id, e.goal_id, g.statement, e.content, e.url, e.visibility, e.created_at FROM evidence e "
                "LEFT JOIN goals g ON g.id = e.goal_id WHERE e.person_id = ?1 ORDER BY e.created_at, e.id"),
      achievements_(db,
                    "SELECT a.id, a.goal_id, g.statement, a.text, a.shared, a.channel, a.shared_at, a.created_at "
                    "FROM achievements a LEFT JOIN goals g ON g.id = a.goal_id WHERE a.person_id = ?1 "
                    "ORDER BY a.created_at, a.id"),
      kudos_(db,
             "SELECT k.achievement_id, g.display_name FROM kudos k JOIN achievements a ON a.id = k.achievement_id "
             "JOIN people g ON g.id = k.giver_id WHERE a.person_id = ?1 "
             "ORDER BY k.achievement_id, k.created_at, k.giver_id"),
      reviews_(db,
               "SELECT r.id, r.plan_id, r.kind, r.decision, r.comment, rv.display_name, r.created_at FROM reviews r "
               "JOIN plans p ON p.id = r.plan_id LEFT JOIN people rv ON rv.id = r.reviewer_id "
               "WHERE p.person_id = ?1 ORDER BY r.created_at, r.id") {}

bool SqliteExportRepository::exists(bot::PersonId person) {
  Use s{person_};
  s->bind(1, person.value);
  return s->executeStep();
}

std::vector<PersonMatch> SqliteExportRepository::find_by_user(const std::string& user) {
  std::string key{bot::trim(user)};
  if (key.starts_with('@')) key.erase(0, 1);
  std::vector<PersonMatch> out;
  if (key.empty()) return out;
  Use s{by_user_};
  s->bind(1, key);
  while (s->executeStep()) {
    PersonMatch m;
    m.id = bot::PersonId{s->getColumn(0).getInt64()};
    m.display_name = s->getColumn(1).getString();
    bot::parse_platform(s->getColumn(2).getString(), m.identity.platform);
    m.identity.tenant = s->getColumn(3).getString();
    m.identity.user = s->getColumn(4).getString();
    out.push_back(std::move(m));
  }
  return out;
}

std::optional<bot::Portfolio> SqliteExportRepository::load(bot::PersonId id) {
  // One snapshot: with WAL, a concurrent writer cannot make a check-in point at a goal
  // this export has not seen. Inside the caller's transaction (the engine exporting for
  // the person who asked) that transaction already is the snapshot, and SQLite has no
  // nested BEGIN. Nothing is written, so leaving scope (rollback) is fine.
  std::optional<SQLite::Transaction> tx;
  if (sqlite3_get_autocommit(db_.getHandle()) != 0) tx.emplace(db_, SQLite::TransactionBehavior::DEFERRED);
  bot::Portfolio p;
  {
    Use s{person_};
    s->bind(1, id.value);
    if (!s->executeStep()) return std::nullopt;
    p.person.id = bot::PersonId{s->getColumn(0).getInt64()};
    p.person.display_name = s->getColumn(1).getString();
    p.person.email = optional_text(s->getColumn(2));
    p.person.time_zone = s->getColumn(3).getString();
    p.person.manager_name = optional_text(s->getColumn(4));
    p.person.team = optional_text(s->getColumn(5));
    p.person.checkin_weekday = s->getColumn(6).getInt();
    p.person.checkin_minute = s->getColumn(7).getInt();
    p.person.paused_until = optional_text(s->getColumn(8));
    if (!s->getColumn(9).isNull()) p.person.weekly_budget_minutes = s->getColumn(9).getInt();
    p.person.visibility = parse_visibility(s->getColumn(10).getString());
  }
  {
    Use s{plans_};
    s->bind(1, id.value);
    while (s->executeStep()) {
      bot::PortfolioPlan plan;
      plan.id = bot::PlanId{s->getColumn(0).getInt64()};
      plan.period_start = s->getColumn(1).getString();
      plan.period_end = s->getColumn(2).getString();
      plan.aspiration_short = s->getColumn(3).getString();
      plan.aspiration_long = s->getColumn(4).getString();
      plan.objective = s->getColumn(5).getString();
      bot::parse(s->getColumn(6).getString(), plan.status);
      plan.submitted_at = optional_time(s->getColumn(7));
      plan.decided_at = optional_time(s->getColumn(8));
      plan.created_at = time_of(s->getColumn(9));
      p.plans.push_back(std::move(plan));
    }
  }
  std::unordered_map<std::int64_t, std::size_t> goal_index;
  {
    Use s{goals_};
    s->bind(1, id.value);
    while (s->executeStep()) {
      bot::PortfolioGoal g;
      g.id = bot::GoalId{s->getColumn(0).getInt64()};
      g.plan = optional_id<bot::PlanId>(s->getColumn(1));
      g.statement = s->getColumn(2).getString();
      g.measure = s->getColumn(3).getString();
      g.target = s->getColumn(4).getString();
      g.support = s->getColumn(5).getString();
      g.relevance = s->getColumn(6).getString();
      g.target_date = optional_text(s->getColumn(7));
      bot::parse(s->getColumn(8).getString(), g.kind);
      g.skill_tags = tags_of(s->getColumn(9).getString());
      g.progress = s->getColumn(10).getInt();
      bot::parse(s->getColumn(11).getString(), g.status);
      g.achieved_at = optional_time(s->getColumn(12));
      g.created_at = time_of(s->getColumn(13));
      goal_index.emplace(g.id.value, p.goals.size());
      p.goals.push_back(std::move(g));
    }
  }
  {
    Use s{activities_};
    s->bind(1, id.value);
    while (s->executeStep()) {
      const auto it = goal_index.find(s->getColumn(0).getInt64());
      if (it == goal_index.end()) continue;
      bot::PortfolioActivity a;
      bot::parse(s->getColumn(1).getString(), a.kind);
      a.title = s->getColumn(2).getString();
      a.resource = s->getColumn(3).getString();
      a.planned_minutes = optional_int(s->getColumn(4));
      a.status = s->getColumn(5).getString();
      p.goals[it->second].activities.push_back(std::move(a));
    }
  }
  std::unordered_map<std::int64_t, std::size_t> checkin_index;
  {
    Use s{checkins_};
    s->bind(1, id.value);
    while (s->executeStep()) {
      bot::PortfolioCheckIn c;
      c.id = bot::CheckInId{s->getColumn(0).getInt64()};
      c.iso_week = s->getColumn(1).getString();
      c.revision = s->getColumn(2).getInt();
      c.overall_progress = optional_int(s->getColumn(3));
      c.minutes_spent = optional_int(s->getColumn(4));
      c.learned = s->getColumn(5).getString();
      c.blockers = s->getColumn(6).getString();
      c.need_help = s->getColumn(7).getInt() != 0;
      c.confidence = optional_int(s->getColumn(8));
      c.next_step = s->getColumn(9).getString();
      c.created_at = time_of(s->getColumn(10));
      checkin_index.emplace(c.id.value, p.checkins.size());
      p.checkins.push_back(std::move(c));
    }
  }
  {
    Use s{checkin_goals_};
    s->bind(1, id.value);
    while (s->executeStep()) {
      const auto it = checkin_index.find(s->getColumn(0).getInt64());
      if (it == checkin_index.end()) continue;
      bot::PortfolioCheckInGoal g;
      g.goal = bot::GoalId{s->getColumn(1).getInt64()};
      g.goal_statement = s->getColumn(2).getString();
      g.progress = s->getColumn(3).getInt();
      p.checkins[it->second].goals.push_back(std::move(g));
    }
  }
  {
    Use s{reflections_};
    s->bind(1, id.value);
    while (s->executeStep()) {
      bot::PortfolioReflection r;
      r.id = s->getColumn(0).getInt64();
      r.checkin = optional_id<bot::CheckInId>(s->getColumn(1));
      r.iso_week = optional_text(s->getColumn(2));
      r.learned = s->getColumn(3).getString();
      r.apply = s->getColumn(4).getString();
      r.differently = s->getColumn(5).getString();
      r.visibility = s->getColumn(6).getString();
      r.follow_up_due_at = optional_time(s->getColumn(7));
      r.followed_up_at = optional_time(s->getColumn(8));
      r.applied = optional_text(s->getColumn(9));
      r.created_at = time_of(s->getColumn(10));
      r.follow_up_note = s->getColumn(11).getString();
      p.reflections.push_back(std::move(r));
    }
  }
  {
    Use s{evidence_};
    s->bind(1, id.value);
    while (s->executeStep()) {
      bot::PortfolioEvidence e;
      e.id = s->getColumn(0).getInt64();
      e.goal = optional_id<bot::GoalId>(s->getColumn(1));
      e.goal_statement = optional_text(s->getColumn(2));
      e.content = s->getColumn(3).getString();
      e.url = optional_text(s->getColumn(4));
      e.visibility = s->getColumn(5).getString();
      e.created_at = time_of(s->getColumn(6));
      p.evidence.push_back(std::move(e));
    }
  }
  std::unordered_map<std::int64_t, std::size_t> achievement_index;
  {
    Use s{achievements_};
    s->bind(1, id.value);
    while (s->executeStep()) {
      bot::PortfolioAchievement a;
      a.id = s->getColumn(0).getInt64();
      a.goal = optional_id<bot::GoalId>(s->getColumn(1));
      a.goal_statement = optional_text(s->getColumn(2));
      a.text = s->getColumn(3).getString();
      a.shared = s->getColumn(4).getInt() != 0;
      a.channel = optional_text(s->getColumn(5));
      a.shared_at = optional_time(s->getColumn(6));
      a.created_at = time_of(s->getColumn(7));
      achievement_index.emplace(a.id, p.achievements.size());
      p.achievements.push_back(std::move(a));
    }
  }
  {
    Use s{kudos_};
    s->bind(1, id.value);
    while (s->executeStep()) {
      const auto it = achievement_index.find(s->getColumn(0).getInt64());
      if (it == achievement_index.end()) continue;
      p.achievements[it->second].kudos_from.push_back(s->getColumn(1).getString());
    }
  }
  {
    Use s{reviews_};
    s->bind(1, id.value);
    while (s->executeStep()) {
      bot::PortfolioReview r;
      r.id = s->getColumn(0).getInt64();
      r.plan = bot::PlanId{s->getColumn(1).getInt64()};
      r.kind = s->getColumn(2).getString();
      if (bot::PlanStatus d{}; !s->getColumn(3).isNull() && bot::parse(s->getColumn(3).getString(), d)) r.decision = d;
      r.comment = s->getColumn(4).getString();
      r.reviewer_name = optional_text(s->getColumn(5));
      r.created_at = time_of(s->getColumn(6));
      p.reviews.push_back(std::move(r));
    }
  }
  if (tx) tx->commit();
  return p;
}

}  // namespace storage
