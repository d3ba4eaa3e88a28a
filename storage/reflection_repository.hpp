#pragma once
// Reflections on SQLite, with the one follow-up each gets about two weeks later:
// asked once (followed_up_at), answered or not (applied, follow_up_note).
// Not thread-safe.
#include <SQLiteCpp/Database.h>

#include "bot/repositories.hpp"

namespace storage {

class SqliteReflectionRepository final : public bot::ReflectionRepository {
 public:
  explicit SqliteReflectionRepository(SQLite::Database& db);
  bot::Reflection add(const bot::Reflection& reflection) override;
  std::optional<bot::Reflection> find(bot::ReflectionId id) override;
  std::optional<bot::Reflection> follow_up_due(bot::PersonId person, bot::Instant now) override;
  std::optional<bot::Instant> next_follow_up_at(bot::PersonId person) override;
  void mark_followed_up(bot::ReflectionId id, bot::Instant at) override;
  void record_follow_up(bot::ReflectionId id, const std::string& applied, const std::string& note) override;

 private:
  SQLite::Database& db_;
  SQLite::Statement insert_;
  SQLite::Statement find_;
  SQLite::Statement due_;
  SQLite::Statement next_due_;
  SQLite::Statement mark_;
  SQLite::Statement record_;
};

}  // namespace storage
