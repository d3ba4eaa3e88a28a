#include "storage/evidence_repository.hpp"

#include "storage/statement.hpp"

namespace storage {

SqliteEvidenceRepository::SqliteEvidenceRepository(SQLite::Database& db)
    : db_(db),
      insert_(db,
              "INSERT INTO evidence (person_id, goal_id, content, url, visibility, created_at) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
      for_goal_(db,
                "SELECT id, person_id, goal_id, content, url, visibility, created_at FROM evidence "
                "WHERE goal_id = ?1 ORDER BY created_at, id") {}

bot::Evidence SqliteEvidenceRepository::add(const bot::Evidence& e) {
  bot::Evidence stored = e;
  Use s{insert_};
  s->bind(1, e.person.value);
  bind_optional(*s, 2, e.goal);
  s->bind(3, e.content);
  bind_optional(*s, 4, e.url);
  s->bind(5, std::string{bot::to_string(e.visibility)});
  s->bind(6, bot::to_unix_ms(e.created_at));
  s->exec();
  stored.id = bot::EvidenceId{db_.getLastInsertRowid()};
  return stored;
}

std::vector<bot::Evidence> SqliteEvidenceRepository::for_goal(bot::GoalId goal) {
  std::vector<bot::Evidence> out;
  Use s{for_goal_};
  s->bind(1, goal.value);
  while (s->executeStep()) {
    bot::Evidence e;
    e.id = bot::EvidenceId{s->getColumn(0).getInt64()};
    e.person = bot::PersonId{s->getColumn(1).getInt64()};
    e.goal = optional_id<bot::GoalId>(s->getColumn(2));
    e.content = s->getColumn(3).getString();
    e.url = optional_text(s->getColumn(4));
    bot::parse(s->getColumn(5).getString(), e.visibility);
    e.created_at = bot::from_unix_ms(s->getColumn(6).getInt64());
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace storage
