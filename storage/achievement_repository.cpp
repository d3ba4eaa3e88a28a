#include "storage/achievement_repository.hpp"

#include "storage/statement.hpp"

namespace storage {

namespace {

constexpr const char* kAchievementColumns = "id, person_id, goal_id, text, shared, channel, shared_at, created_at";

bot::Achievement read_achievement(SQLite::Statement& s) {
  bot::Achievement a;
  a.id = bot::AchievementId{s.getColumn(0).getInt64()};
  a.person = bot::PersonId{s.getColumn(1).getInt64()};
  a.goal = optional_id<bot::GoalId>(s.getColumn(2));
  a.text = s.getColumn(3).getString();
  a.shared = s.getColumn(4).getInt() != 0;
  a.channel = optional_text(s.getColumn(5));
  a.shared_at = optional_time(s.getColumn(6));
  a.created_at = bot::from_unix_ms(s.getColumn(7).getInt64());
  return a;
}

}  // namespace

SqliteAchievementRepository::SqliteAchievementRepository(SQLite::Database& db)
    // The upsert keeps the row's id, owner and created_at, so kudos already given stay
    // attached; RETURNING gives the stored row whether it was inserted or updated.
    : upsert_(db,
              std::string{"INSERT INTO achievements (person_id, goal_id, text, shared, channel, shared_at, created_at) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                          "ON CONFLICT (goal_id) WHERE goal_id IS NOT NULL DO UPDATE SET text = excluded.text, "
                          "shared = excluded.shared, channel = excluded.channel, shared_at = excluded.shared_at "
                          "RETURNING "} +
                  kAchievementColumns),
      for_goal_(db, std::string{"SELECT "} + kAchievementColumns + " FROM achievements WHERE goal_id = ?1"),
      since_(db, std::string{"SELECT "} + kAchievementColumns +
                     " FROM achievements WHERE person_id = ?1 AND created_at >= ?2 ORDER BY created_at, id"),
      // A second kudos from the same giver conflicts on the primary key and writes nothing.
      add_kudos_(db,
                 "INSERT INTO kudos (achievement_id, giver_id, created_at) VALUES (?1, ?2, ?3) "
                 "ON CONFLICT (achievement_id, giver_id) DO NOTHING"),
      kudos_(db, "SELECT giver_id FROM kudos WHERE achievement_id = ?1 ORDER BY created_at, giver_id"),
      // Through kudos_giver.
      kudos_given_by_(db, "SELECT a.goal_id FROM kudos k JOIN achievements a ON a.id = k.achievement_id "
                          "WHERE k.giver_id = ?1 AND a.goal_id IS NOT NULL ORDER BY k.created_at") {}

bot::Achievement SqliteAchievementRepository::add(const bot::Achievement& a) {
  Use s{upsert_};
  s->bind(1, a.person.value);
  bind_optional(*s, 2, a.goal);
  s->bind(3, a.text);
  s->bind(4, a.shared ? 1 : 0);
  bind_optional(*s, 5, a.channel);
  bind_optional(*s, 6, a.shared_at);
  s->bind(7, bot::to_unix_ms(a.created_at));
  s->executeStep();
  return read_achievement(*s);
}

std::vector<bot::Achievement> SqliteAchievementRepository::since(bot::PersonId person, bot::Instant from) {
  std::vector<bot::Achievement> out;
  Use s{since_};
  s->bind(1, person.value);
  s->bind(2, bot::to_unix_ms(from));
  while (s->executeStep()) out.push_back(read_achievement(*s));
  return out;
}

std::optional<bot::Achievement> SqliteAchievementRepository::for_goal(bot::GoalId goal) {
  Use s{for_goal_};
  s->bind(1, goal.value);
  if (!s->executeStep()) return std::nullopt;
  return read_achievement(*s);
}

bool SqliteAchievementRepository::add_kudos(bot::AchievementId achievement, bot::PersonId giver, bot::Instant now) {
  Use s{add_kudos_};
  s->bind(1, achievement.value);
  s->bind(2, giver.value);
  s->bind(3, bot::to_unix_ms(now));
  return s->exec() == 1;
}

std::vector<bot::PersonId> SqliteAchievementRepository::kudos(bot::AchievementId achievement) {
  std::vector<bot::PersonId> out;
  Use s{kudos_};
  s->bind(1, achievement.value);
  while (s->executeStep()) out.push_back(bot::PersonId{s->getColumn(0).getInt64()});
  return out;
}

std::vector<bot::GoalId> SqliteAchievementRepository::kudos_given_by(bot::PersonId giver) {
  std::vector<bot::GoalId> out;
  Use s{kudos_given_by_};
  s->bind(1, giver.value);
  while (s->executeStep()) out.push_back(bot::GoalId{s->getColumn(0).getInt64()});
  return out;
}

}  // namespace storage
