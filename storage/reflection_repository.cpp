#include "storage/reflection_repository.hpp"

#include "storage/statement.hpp"

namespace storage {

namespace {

constexpr const char* kReflectionColumns =
    "SELECT id, person_id, checkin_id, learned, apply, differently, visibility, follow_up_due_at, followed_up_at, "
    "applied, follow_up_note, created_at FROM reflections ";

bot::Reflection read_reflection(SQLite::Statement& s) {
  bot::Reflection r;
  r.id = bot::ReflectionId{s.getColumn(0).getInt64()};
  r.person = bot::PersonId{s.getColumn(1).getInt64()};
  r.checkin = optional_id<bot::CheckInId>(s.getColumn(2));
  r.learned = s.getColumn(3).getString();
  r.apply = s.getColumn(4).getString();
  r.differently = s.getColumn(5).getString();
  bot::parse(s.getColumn(6).getString(), r.visibility);
  r.follow_up_due_at = optional_time(s.getColumn(7));
  r.followed_up_at = optional_time(s.getColumn(8));
  r.applied = optional_text(s.getColumn(9));
  r.follow_up_note = s.getColumn(10).getString();
  r.created_at = bot::from_unix_ms(s.getColumn(11).getInt64());
  return r;
}

}  // namespace

SqliteReflectionRepository::SqliteReflectionRepository(SQLite::Database& db)
    : db_(db),
      insert_(db,
              "INSERT INTO reflections (person_id, checkin_id, learned, apply, differently, visibility, "
              "follow_up_due_at, followed_up_at, applied, follow_up_note, created_at) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
      find_(db, std::string{kReflectionColumns} + "WHERE id = ?1"),
      // In due order the index's own order serves; ordered by created_at, SQLite sorted
      // (a temporary b-tree) on every event, even when nothing was due.
      due_(db, std::string{kReflectionColumns} +
                   "WHERE person_id = ?1 AND followed_up_at IS NULL AND follow_up_due_at <= ?2 "
                   "ORDER BY follow_up_due_at, id LIMIT 1"),
      next_due_(db, "SELECT min(follow_up_due_at) FROM reflections WHERE person_id = ?1 AND followed_up_at IS NULL"),
      // The first ask counts: asking again must not move the date the person saw it.
      mark_(db, "UPDATE reflections SET followed_up_at = ?2 WHERE id = ?1 AND followed_up_at IS NULL"),
      record_(db, "UPDATE reflections SET applied = ?2, follow_up_note = ?3 WHERE id = ?1") {}

bot::Reflection SqliteReflectionRepository::add(const bot::Reflection& r) {
  bot::Reflection stored = r;
  Use s{insert_};
  s->bind(1, r.person.value);
  bind_optional(*s, 2, r.checkin);
  s->bind(3, r.learned);
  s->bind(4, r.apply);
  s->bind(5, r.differently);
  s->bind(6, std::string{bot::to_string(r.visibility)});
  bind_optional(*s, 7, r.follow_up_due_at);
  bind_optional(*s, 8, r.followed_up_at);
  bind_optional(*s, 9, r.applied);
  s->bind(10, r.follow_up_note);
  s->bind(11, bot::to_unix_ms(r.created_at));
  s->exec();
  stored.id = bot::ReflectionId{db_.getLastInsertRowid()};
  return stored;
}

std::optional<bot::Reflection> SqliteReflectionRepository::find(bot::ReflectionId id) {
  Use s{find_};
  s->bind(1, id.value);
  if (!s->executeStep()) return std::nullopt;
  return read_reflection(*s);
}

std::optional<bot::Reflection> SqliteReflectionRepository::follow_up_due(bot::PersonId person, bot::Instant now) {
  Use s{due_};
  s->bind(1, person.value);
  s->bind(2, bot::to_unix_ms(now));
  if (!s->executeStep()) return std::nullopt;
  return read_reflection(*s);
}

std::optional<bot::Instant> SqliteReflectionRepository::next_follow_up_at(bot::PersonId person) {
  Use s{next_due_};
  s->bind(1, person.value);
  if (!s->executeStep()) return std::nullopt;
  return optional_time(s->getColumn(0));
}

void SqliteReflectionRepository::mark_followed_up(bot::ReflectionId id, bot::Instant at) {
  Use s{mark_};
  s->bind(1, id.value);
  s->bind(2, bot::to_unix_ms(at));
  s->exec();
}

void SqliteReflectionRepository::record_follow_up(bot::ReflectionId id, const std::string& applied,
                                                  const std::string& note) {
  Use s{record_};
  s->bind(1, id.value);
  s->bind(2, applied);
  s->bind(3, note);
  s->exec();
}

}  // namespace storage
