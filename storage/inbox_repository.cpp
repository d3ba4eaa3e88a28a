#include "storage/inbox_repository.hpp"

#include "storage/statement.hpp"

namespace storage {

SqliteInboxRepository::SqliteInboxRepository(SQLite::Database& db)
    : db_(db),
      insert_(db,
              "INSERT INTO inbox (platform, event_id, payload, received_at) VALUES (?1, ?2, ?3, ?4) "
              "ON CONFLICT (platform, event_id) DO NOTHING"),
      remove_(db, "DELETE FROM inbox WHERE id = ?1"),
      waiting_(db, "SELECT id, payload, received_at FROM inbox WHERE platform = ?1 ORDER BY id") {}

std::optional<std::int64_t> SqliteInboxRepository::add(bot::Platform platform, const std::string& event_id,
                                                       const std::string& payload, bot::Instant now) {
  Use s{insert_};
  s->bind(1, std::string{bot::to_string(platform)});
  s->bind(2, event_id);
  s->bind(3, payload);
  s->bind(4, bot::to_unix_ms(now));
  if (s->exec() != 1) return std::nullopt;
  return db_.getLastInsertRowid();
}

void SqliteInboxRepository::remove(std::int64_t id) {
  Use s{remove_};
  s->bind(1, id);
  s->exec();
}

std::vector<bot::InboxEntry> SqliteInboxRepository::waiting(bot::Platform platform) {
  Use s{waiting_};
  s->bind(1, std::string{bot::to_string(platform)});
  std::vector<bot::InboxEntry> out;
  while (s->executeStep()) {
    bot::InboxEntry e;
    e.id = s->getColumn(0).getInt64();
    e.platform = platform;
    e.payload = s->getColumn(1).getString();
    e.received_at = bot::from_unix_ms(s->getColumn(2).getInt64());
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace storage
