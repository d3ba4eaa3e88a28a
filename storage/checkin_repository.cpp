#include "storage/checkin_repository.hpp"

#include "storage/statement.hpp"

namespace storage {

namespace {

constexpr const char* kCheckinColumns =
    "SELECT id, person_id, iso_week, revision, overall_progress, minutes_spent, learned, blockers, need_help, "
    "confidence, next_step, created_at FROM checkins ";

bot::CheckIn read_checkin(SQLite::Statement& s) {
  bot::CheckIn c;
  c.id = bot::CheckInId{s.getColumn(0).getInt64()};
  c.person = bot::PersonId{s.getColumn(1).getInt64()};
  c.iso_week = s.getColumn(2).getString();
  c.revision = s.getColumn(3).getInt();
  c.overall_progress = optional_int(s.getColumn(4));
  c.minutes_spent = optional_int(s.getColumn(5));
  c.learned = s.getColumn(6).getString();
  c.blockers = s.getColumn(7).getString();
  c.need_help = s.getColumn(8).getInt() != 0;
  c.confidence = optional_int(s.getColumn(9));
  c.next_step = s.getColumn(10).getString();
  c.created_at = bot::from_unix_ms(s.getColumn(11).getInt64());
  return c;
}

}  // namespace

SqliteCheckInRepository::SqliteCheckInRepository(SQLite::Database& db)
    : db_(db),
      latest_(db,
              std::string{kCheckinColumns} + "WHERE person_id = ?1 AND iso_week = ?2 ORDER BY revision DESC LIMIT 1"),
      next_revision_(db, "SELECT coalesce(max(revision), 0) + 1 FROM checkins WHERE person_id = ?1 AND iso_week = ?2"),
      insert_(db,
              "INSERT INTO checkins (person_id, iso_week, revision, overall_progress, minutes_spent, learned, "
              "blockers, need_help, confidence, next_step, created_at) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
      insert_goal_(db, "INSERT INTO checkin_goals (checkin_id, goal_id, progress) VALUES (?1, ?2, ?3)"),
      // Reaching 100% achieves the goal; the first time it does is when it was achieved.
      update_goal_progress_(db,
                            "UPDATE goals SET progress = ?2, updated_at = ?3, "
                            "status = CASE WHEN ?2 = 100 AND status = 'active' THEN 'achieved' ELSE status END, "
                            "achieved_at = CASE WHEN ?2 = 100 AND achieved_at IS NULL THEN ?3 ELSE achieved_at END "
                            "WHERE id = ?1 AND person_id = ?4"),
      goals_(db, "SELECT goal_id, progress FROM checkin_goals WHERE checkin_id = ?1 ORDER BY goal_id"),
      history_(db, std::string{kCheckinColumns} + "WHERE person_id = ?1 ORDER BY iso_week, revision") {}

std::optional<bot::CheckIn> SqliteCheckInRepository::latest(bot::PersonId person, const std::string& iso_week) {
  std::optional<bot::CheckIn> found;
  {
    Use s{latest_};
    s->bind(1, person.value);
    s->bind(2, iso_week);
    if (!s->executeStep()) return std::nullopt;
    found = read_checkin(*s);
  }
  found->goals = goals_of(found->id);
  return found;
}

bot::CheckIn SqliteCheckInRepository::add(bot::CheckIn c) {
  {
    Use s{next_revision_};
    s->bind(1, c.person.value);
    s->bind(2, c.iso_week);
    s->executeStep();
    c.revision = s->getColumn(0).getInt();
  }
  {
    Use s{insert_};
    s->bind(1, c.person.value);
    s->bind(2, c.iso_week);
    s->bind(3, c.revision);
    bind_optional(*s, 4, c.overall_progress);
    bind_optional(*s, 5, c.minutes_spent);
    s->bind(6, c.learned);
    s->bind(7, c.blockers);
    s->bind(8, c.need_help ? 1 : 0);
    bind_optional(*s, 9, c.confidence);
    s->bind(10, c.next_step);
    s->bind(11, bot::to_unix_ms(c.created_at));
    s->exec();
    c.id = bot::CheckInId{db_.getLastInsertRowid()};
  }
  for (const auto& g : c.goals) {
    {
      Use s{insert_goal_};
      s->bind(1, c.id.value);
      s->bind(2, g.goal.value);
      s->bind(3, g.progress);
      s->exec();
    }
    // The goal's own progress follows its latest check-in.
    Use u{update_goal_progress_};
    u->bind(1, g.goal.value);
    u->bind(2, g.progress);
    u->bind(3, bot::to_unix_ms(c.created_at));
    u->bind(4, c.person.value);
    u->exec();
  }
  return c;
}

std::vector<bot::CheckInGoalProgress> SqliteCheckInRepository::goals_of(bot::CheckInId id) {
  std::vector<bot::CheckInGoalProgress> out;
  Use s{goals_};
  s->bind(1, id.value);
  while (s->executeStep()) out.push_back({bot::GoalId{s->getColumn(0).getInt64()}, s->getColumn(1).getInt()});
  return out;
}

std::vector<bot::CheckIn> SqliteCheckInRepository::history(bot::PersonId person) {
  std::vector<bot::CheckIn> out;
  {
    Use s{history_};
    s->bind(1, person.value);
    while (s->executeStep()) out.push_back(read_checkin(*s));
  }
  for (auto& c : out) c.goals = goals_of(c.id);
  return out;
}

}  // namespace storage
