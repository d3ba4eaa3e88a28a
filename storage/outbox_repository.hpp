#pragma once
// The outbox on SQLite: every outgoing message is a row written in the same
// transaction as the change that caused it, delivered later in order per recipient.
// Not thread-safe.
#include <cstdint>
#include <unordered_map>

#include <SQLiteCpp/Database.h>

#include "bot/repositories.hpp"

namespace storage {

class SqliteOutboxRepository final : public bot::OutboxRepository {
 public:
  explicit SqliteOutboxRepository(SQLite::Database& db);
  bot::OutboxId add(bot::Platform platform, const bot::Message& message, bot::Instant now,
                    std::optional<bot::PersonId> origin = std::nullopt,
                    std::optional<bot::Instant> not_before = std::nullopt) override;
  std::vector<DueHead> due_heads(bot::Platform platform, std::optional<bot::PersonId> person, bot::Instant now,
                                 std::size_t limit, bot::OutboxId after) override;
  std::optional<bot::OutboxItem> due_item(bot::OutboxId id) override;
  std::vector<bot::OutboxItem> due(bot::Platform platform, std::optional<bot::PersonId> person, bot::Instant now,
                                   std::size_t limit, bot::OutboxId after = bot::OutboxId{0}) override;
  bool mark_delivered(bot::OutboxId id, bot::Instant now,
                      const std::optional<std::string>& platform_ref = std::nullopt) override;
  void mark_retry(bot::OutboxId id, const std::string& error, bot::Instant next_attempt, bool counted = true) override;
  void mark_dead(bot::OutboxId id, const std::string& error) override;
  std::optional<bot::OutboxItem> find(bot::OutboxId id) override;
  std::optional<bot::OutboxItem> find_by_ref(bot::Platform platform, const std::string& platform_ref) override;
  std::vector<bot::OutboxItem> shown_to_others(bot::PersonId origin) override;
  void forget_message(const bot::OutboxItem& first) override;
  void forget_home(bot::PersonId person) override;
  bool ever_queued(bot::Platform platform, const bot::Recipient& to, const std::string& update_key) override;
  std::vector<bot::OutboxItem> dead(std::size_t limit) override;
  bool retry(bot::OutboxId id, bot::Instant now) override;
  std::size_t count(bot::OutboxStatus status) override;
  std::optional<bot::Instant> next_attempt(bot::Platform platform, bot::Instant after) override;
  // After a rollback: the ids of messages queued in it may be given again.
  void forget_unsaved() { fresh_.clear(); }

 private:
  // A message queued by this connection, as built, until its first delivery reads it
  // back: parsing the stored JSON again was a tenth of an event's work. The row stays
  // the truth: an entry serves only the row it was written as.
  struct Fresh {
    bot::Message message;
    std::string recipient_key;
    std::int64_t created_at_ms = 0;
  };
  std::unordered_map<std::int64_t, Fresh> fresh_;

  SQLite::Database& db_;
  SQLite::Statement insert_;
  SQLite::Statement due_;
  SQLite::Statement due_heads_;
  SQLite::Statement due_item_;
  SQLite::Statement delivered_;
  SQLite::Statement retry_;
  SQLite::Statement dead_;
  SQLite::Statement find_;
  SQLite::Statement find_by_ref_;
  SQLite::Statement shown_to_others_;
  SQLite::Statement forget_message_;
  SQLite::Statement forget_home_;
  SQLite::Statement ever_queued_;
  SQLite::Statement list_dead_;
  SQLite::Statement requeue_;
  SQLite::Statement count_;
  SQLite::Statement next_attempt_;
};

// "person:12", "channel:C1", "thread:C1:1700000000.1": the unit of ordered delivery.
std::string recipient_key(const bot::Recipient& r);

}  // namespace storage
