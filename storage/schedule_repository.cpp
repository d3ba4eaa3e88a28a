#include "storage/schedule_repository.hpp"

#include <nlohmann/json.hpp>

#include "storage/statement.hpp"

namespace storage {

namespace {

// `occurrence_key` holds what the next firing is about; the reminder count lives in
// the JSON payload so the table needs no migration for it.
constexpr const char* kScheduleSelect =
    "SELECT kind, person_id, rule, next_run_at, occurrence_key, payload FROM schedule ";

bot::ScheduleEntry read_entry(SQLite::Statement& s) {
  bot::ScheduleEntry e;
  e.kind = s.getColumn(0).getString();
  e.person = bot::PersonId{s.getColumn(1).getInt64()};
  e.rule = s.getColumn(2).getString();
  e.next_run_at = bot::from_unix_ms(s.getColumn(3).getInt64());
  e.occurrence = s.getColumn(4).isNull() ? std::string{} : s.getColumn(4).getString();
  const auto payload = nlohmann::json::parse(s.getColumn(5).getString(), nullptr, false);
  if (payload.is_object()) e.count = payload.value("count", 0);
  return e;
}

}  // namespace

SqliteScheduleRepository::SqliteScheduleRepository(SQLite::Database& db)
    : put_(db,
           "INSERT INTO schedule (kind, person_id, rule, next_run_at, occurrence_key, payload, created_at) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
           "ON CONFLICT (kind, person_id) DO UPDATE SET rule = excluded.rule, next_run_at = excluded.next_run_at, "
           "occurrence_key = excluded.occurrence_key, payload = excluded.payload"),
      find_(db, std::string{kScheduleSelect} + "WHERE kind = ?1 AND person_id = ?2"),
      remove_(db, "DELETE FROM schedule WHERE kind = ?1 AND person_id = ?2"),
      due_(db, std::string{kScheduleSelect} + "WHERE next_run_at <= ?1 ORDER BY next_run_at, id LIMIT ?2"),
      next_(db, "SELECT min(next_run_at) FROM schedule") {}

void SqliteScheduleRepository::put(const bot::ScheduleEntry& e, bot::Instant now) {
  Use s{put_};
  s->bind(1, e.kind);
  s->bind(2, e.person.value);
  s->bind(3, e.rule);
  s->bind(4, bot::to_unix_ms(e.next_run_at));
  s->bind(5, e.occurrence);
  s->bind(6, nlohmann::json{{"count", e.count}}.dump());
  s->bind(7, bot::to_unix_ms(now));
  s->exec();
}

std::optional<bot::ScheduleEntry> SqliteScheduleRepository::find(const std::string& kind, bot::PersonId person) {
  Use s{find_};
  s->bind(1, kind);
  s->bind(2, person.value);
  if (!s->executeStep()) return std::nullopt;
  return read_entry(*s);
}

void SqliteScheduleRepository::remove(const std::string& kind, bot::PersonId person) {
  Use s{remove_};
  s->bind(1, kind);
  s->bind(2, person.value);
  s->exec();
}

std::vector<bot::ScheduleEntry> SqliteScheduleRepository::due(bot::Instant now, std::size_t limit) {
  std::vector<bot::ScheduleEntry> out;
  Use s{due_};
  s->bind(1, bot::to_unix_ms(now));
  s->bind(2, static_cast<std::int64_t>(limit));
  while (s->executeStep()) out.push_back(read_entry(*s));
  return out;
}

std::optional<bot::Instant> SqliteScheduleRepository::next_run() {
  Use s{next_};
  if (!s->executeStep()) return std::nullopt;
  return optional_time(s->getColumn(0));
}

}  // namespace storage
