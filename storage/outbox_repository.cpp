#include "storage/outbox_repository.hpp"

#include "bot/message_json.hpp"
#include "storage/statement.hpp"

namespace storage {

namespace {

constexpr const char* kColumns =
    "SELECT o.id, o.platform, o.message, o.status, o.attempts, o.next_attempt_at, o.last_error, o.created_at "
    "FROM outbox o ";

bot::OutboxStatus parse_status(const std::string& s) {
  if (s == "delivered") return bot::OutboxStatus::delivered;
  if (s == "dead") return bot::OutboxStatus::dead;
  return bot::OutboxStatus::pending;
}

bot::OutboxItem read_item(SQLite::Statement& s) {
  bot::OutboxItem item;
  item.id = bot::OutboxId{s.getColumn(0).getInt64()};
  bot::parse_platform(s.getColumn(1).getString(), item.platform);
  item.message = nlohmann::json::parse(s.getColumn(2).getString()).get<bot::Message>();
  item.status = parse_status(s.getColumn(3).getString());
  item.attempts = s.getColumn(4).getInt();
  item.next_attempt_at = bot::from_unix_ms(s.getColumn(5).getInt64());
  item.last_error = s.getColumn(6).isNull() ? std::string{} : s.getColumn(6).getString();
  item.created_at = bot::from_unix_ms(s.getColumn(7).getInt64());
  return item;
}

}  // namespace

std::string recipient_key(const bot::Recipient& r) {
  switch (r.kind) {
    case bot::RecipientKind::person: return "person:" + std::to_string(r.person.value);
    case bot::RecipientKind::channel: return "channel:" + r.channel;
    case bot::RecipientKind::thread: return "thread:" + r.channel + ":" + r.thread;
    case bot::RecipientKind::manager: return "manager:" + std::to_string(r.person.value);  // resolved before storing
  }
  return {};
}

SqliteOutboxRepository::SqliteOutboxRepository(SQLite::Database& db)
    : db_(db),
      insert_(db,
              "INSERT INTO outbox (platform, person_id, recipient_key, message, update_key, next_attempt_at, "
              "created_at, origin_person_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)"),
      due_(db, std::string{kColumns} +
                   "WHERE o.status = 'pending' AND o.platform = ?1 AND o.next_attempt_at <= ?2 "
                   "AND (?3 IS NULL OR o.recipient_key = ?3 OR o.person_id IS NULL) "
                   "AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.status = 'pending' "
                   "                AND e.recipient_key = o.recipient_key AND e.id < o.id) "
                   "ORDER BY o.id LIMIT ?4"),
      delivered_(db, "UPDATE outbox SET status = 'delivered', delivered_at = ?2, attempts = attempts + 1 "
                     "WHERE id = ?1"),
      retry_(db, "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3 WHERE id = ?1"),
      dead_(db, "UPDATE outbox SET status = 'dead', attempts = attempts + 1, last_error = ?2 WHERE id = ?1"),
      find_(db, std::string{kColumns} + "WHERE o.id = ?1") {}

bot::OutboxId SqliteOutboxRepository::add(bot::Platform platform, const bot::Message& message, bot::Instant now,
                                          std::optional<bot::PersonId> origin) {
  Use s{insert_};
  s->bind(1, std::string{bot::to_string(platform)});
  if (message.to.kind == bot::RecipientKind::person) s->bind(2, message.to.person.value);
  else s->bind(2);
  s->bind(3, recipient_key(message.to));
  s->bind(4, nlohmann::json(message).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  bind_optional(*s, 5, message.update_key);
  s->bind(6, bot::to_unix_ms(now));
  if (origin) s->bind(7, origin->value);
  else s->bind(7);
  s->exec();
  return bot::OutboxId{db_.getLastInsertRowid()};
}

std::vector<bot::OutboxItem> SqliteOutboxRepository::due(bot::Platform platform, std::optional<bot::PersonId> person,
                                                         bot::Instant now, std::size_t limit) {
  std::vector<bot::OutboxItem> out;
  Use s{due_};
  s->bind(1, std::string{bot::to_string(platform)});
  s->bind(2, bot::to_unix_ms(now));
  if (person) s->bind(3, recipient_key(bot::Recipient::dm(*person)));
  else s->bind(3);
  s->bind(4, static_cast<std::int64_t>(limit));
  while (s->executeStep()) out.push_back(read_item(*s));
  return out;
}

void SqliteOutboxRepository::mark_delivered(bot::OutboxId id, bot::Instant now) {
  Use s{delivered_};
  s->bind(1, id.value);
  s->bind(2, bot::to_unix_ms(now));
  s->exec();
}

void SqliteOutboxRepository::mark_retry(bot::OutboxId id, const std::string& error, bot::Instant next_attempt) {
  Use s{retry_};
  s->bind(1, id.value);
  s->bind(2, error);
  s->bind(3, bot::to_unix_ms(next_attempt));
  s->exec();
}

void SqliteOutboxRepository::mark_dead(bot::OutboxId id, const std::string& error) {
  Use s{dead_};
  s->bind(1, id.value);
  s->bind(2, error);
  s->exec();
}

std::optional<bot::OutboxItem> SqliteOutboxRepository::find(bot::OutboxId id) {
  Use s{find_};
  s->bind(1, id.value);
  if (!s->executeStep()) return std::nullopt;
  return read_item(*s);
}

}  // namespace storage
