#include "storage/processed_event_repository.hpp"

#include "storage/statement.hpp"

namespace storage {

SqliteProcessedEventRepository::SqliteProcessedEventRepository(SQLite::Database& db)
    : insert_(db,
              "INSERT INTO processed_events (platform, event_id, processed_at) VALUES (?1, ?2, ?3) "
              "ON CONFLICT (platform, event_id) DO NOTHING"),
      forget_(db, "DELETE FROM processed_events WHERE processed_at < ?1") {}

bool SqliteProcessedEventRepository::mark(bot::Platform platform, const std::string& event_id, bot::Instant now) {
  Use s{insert_};
  s->bind(1, std::string{bot::to_string(platform)});
  s->bind(2, event_id);
  s->bind(3, bot::to_unix_ms(now));
  return s->exec() == 1;
}

std::size_t SqliteProcessedEventRepository::forget_before(bot::Instant cutoff) {
  Use s{forget_};
  s->bind(1, bot::to_unix_ms(cutoff));
  return static_cast<std::size_t>(s->exec());
}

}  // namespace storage
