#include "storage/review_repository.hpp"

#include "storage/statement.hpp"

namespace storage {

SqliteReviewRepository::SqliteReviewRepository(SQLite::Database& db)
    : insert_(db,
              "INSERT INTO reviews (plan_id, reviewer_id, kind, decision, comment, created_at) "
              "VALUES (?1, ?2, 'plan_approval', ?3, ?4, ?5)"),
      for_plan_(db,
                "SELECT plan_id, reviewer_id, decision, comment, created_at FROM reviews WHERE plan_id = ?1 "
                "AND kind = 'plan_approval' ORDER BY created_at, id") {}

void SqliteReviewRepository::add(const bot::PlanReview& r) {
  Use s{insert_};
  s->bind(1, r.plan.value);
  s->bind(2, r.reviewer.value);
  s->bind(3, std::string{bot::to_string(r.decision)});
  s->bind(4, r.comment);
  s->bind(5, bot::to_unix_ms(r.at));
  s->exec();
}

std::vector<bot::PlanReview> SqliteReviewRepository::for_plan(bot::PlanId plan) {
  std::vector<bot::PlanReview> out;
  Use s{for_plan_};
  s->bind(1, plan.value);
  while (s->executeStep()) {
    bot::PlanReview r;
    r.plan = bot::PlanId{s->getColumn(0).getInt64()};
    if (!s->getColumn(1).isNull()) r.reviewer = bot::PersonId{s->getColumn(1).getInt64()};
    bot::parse(s->getColumn(2).getString(), r.decision);
    r.comment = s->getColumn(3).getString();
    r.at = bot::from_unix_ms(s->getColumn(4).getInt64());
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace storage
