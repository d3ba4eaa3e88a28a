#pragma once
// Conversation references on SQLite (bot::ConversationRepository): one row per
// platform conversation, upserted on every activity from it. Not thread-safe.
#include <SQLiteCpp/Database.h>

#include "bot/repositories.hpp"

namespace storage {

class SqliteConversationRepository final : public bot::ConversationRepository {
 public:
  explicit SqliteConversationRepository(SQLite::Database& db);
  void save(const bot::ConversationRef& ref) override;
  std::optional<bot::ConversationRef> find(bot::Platform platform, const std::string& conversation) override;
  std::optional<bot::ConversationRef> personal(bot::Platform platform, bot::PersonId person) override;
  std::optional<bot::ConversationRef> latest(bot::Platform platform, const std::string& tenant) override;
  void deactivate(bot::Platform platform, const std::string& conversation, const std::string& reason,
                  bot::Instant now) override;
  void remove(bot::Platform platform, const std::string& conversation) override;
  std::size_t count_inactive(bot::Platform platform) override;

 private:
  SQLite::Statement upsert_;
  SQLite::Statement drop_user_refs_;
  SQLite::Statement find_;
  SQLite::Statement personal_;
  SQLite::Statement latest_;
  SQLite::Statement deactivate_;
  SQLite::Statement remove_;
  SQLite::Statement count_inactive_;
};

}  // namespace storage
