#include "storage/plan_repository.hpp"

#include "storage/statement.hpp"

namespace storage {

namespace {

constexpr const char* kPlanColumns =
    "SELECT id, person_id, period_start, period_end, aspiration_short, aspiration_long, objective, status FROM plans ";

bot::Plan read_plan(SQLite::Statement& s) {
  bot::Plan p;
  p.id = bot::PlanId{s.getColumn(0).getInt64()};
  p.person = bot::PersonId{s.getColumn(1).getInt64()};
  p.period_start = s.getColumn(2).getString();
  p.period_end = s.getColumn(3).getString();
  p.aspiration_short = s.getColumn(4).getString();
  p.aspiration_long = s.getColumn(5).getString();
  p.objective = s.getColumn(6).getString();
  bot::parse(s.getColumn(7).getString(), p.status);
  return p;
}

// Binds ?1..?7 in the column order both INSERT and UPDATE use.
void bind_plan(SQLite::Statement& s, const bot::Plan& p) {
  s.bind(1, p.person.value);
  s.bind(2, p.period_start);
  s.bind(3, p.period_end);
  s.bind(4, p.aspiration_short);
  s.bind(5, p.aspiration_long);
  s.bind(6, p.objective);
  s.bind(7, std::string{bot::to_string(p.status)});
}

}  // namespace

SqlitePlanRepository::SqlitePlanRepository(SQLite::Database& db)
    : db_(db),
      find_(db, std::string{kPlanColumns} + "WHERE id = ?1"),
      current_(db, std::string{kPlanColumns} +
                       "WHERE person_id = ?1 AND period_start <= ?2 AND ?2 < period_end AND status <> 'archived' "
                       "ORDER BY period_start DESC LIMIT 1"),
      insert_(db,
              "INSERT INTO plans (person_id, period_start, period_end, aspiration_short, aspiration_long, objective, "
              "status, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)"),
      update_(db,
              "UPDATE plans SET person_id = ?1, period_start = ?2, period_end = ?3, aspiration_short = ?4, "
              "aspiration_long = ?5, objective = ?6, status = ?7, updated_at = ?8, "
              "submitted_at = CASE WHEN ?7 = 'submitted' AND status <> 'submitted' THEN ?8 ELSE submitted_at END, "
              "decided_at = CASE WHEN ?7 IN ('approved', 'changes_requested') AND status <> ?7 THEN ?8 "
              "ELSE decided_at END WHERE id = ?9") {}

std::optional<bot::Plan> SqlitePlanRepository::find(bot::PlanId id) {
  Use s{find_};
  s->bind(1, id.value);
  if (!s->executeStep()) return std::nullopt;
  return read_plan(*s);
}

std::optional<bot::Plan> SqlitePlanRepository::current(bot::PersonId person, const std::string& day) {
  Use s{current_};
  s->bind(1, person.value);
  s->bind(2, day);
  if (!s->executeStep()) return std::nullopt;
  return read_plan(*s);
}

bot::Plan SqlitePlanRepository::save(const bot::Plan& plan, bot::Instant now) {
  bot::Plan stored = plan;
  Use s{plan.id ? update_ : insert_};
  bind_plan(*s, plan);
  s->bind(8, bot::to_unix_ms(now));
  if (plan.id) s->bind(9, plan.id.value);
  s->exec();
  if (!plan.id) stored.id = bot::PlanId{db_.getLastInsertRowid()};
  return stored;
}

}  // namespace storage
