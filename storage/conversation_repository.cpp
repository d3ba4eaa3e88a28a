#include "storage/conversation_repository.hpp"

#include "storage/statement.hpp"

namespace storage {

namespace {

constexpr const char* kConversationColumns =
    "SELECT platform, tenant, conversation_id, kind, service_url, person_id, user_id, team_id, active, "
    "inactive_reason, updated_at FROM conversations ";

bot::ConversationRef read_ref(SQLite::Statement& s) {
  bot::ConversationRef r;
  bot::parse_platform(s.getColumn(0).getString(), r.platform);
  r.tenant = s.getColumn(1).getString();
  r.conversation = s.getColumn(2).getString();
  r.kind = s.getColumn(3).getString();
  r.service_url = s.getColumn(4).getString();
  if (!s.getColumn(5).isNull()) r.person = bot::PersonId{s.getColumn(5).getInt64()};
  r.user_id = s.getColumn(6).getString();
  r.team = s.getColumn(7).getString();
  r.active = s.getColumn(8).getInt() != 0;
  r.inactive_reason = s.getColumn(9).getString();
  r.updated_at = bot::from_unix_ms(s.getColumn(10).getInt64());
  return r;
}

}  // namespace

SqliteConversationRepository::SqliteConversationRepository(SQLite::Database& db)
    : upsert_(db,
              "INSERT INTO conversations (platform, conversation_id, tenant, kind, service_url, person_id, user_id, "
              "team_id, active, inactive_reason, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
              "ON CONFLICT (platform, conversation_id) DO UPDATE SET tenant = ?3, kind = ?4, service_url = ?5, "
              "person_id = COALESCE(?6, person_id), user_id = CASE WHEN ?7 = '' THEN user_id ELSE ?7 END, "
              "team_id = CASE WHEN ?8 = '' THEN team_id ELSE ?8 END, active = ?9, inactive_reason = ?10, "
              "updated_at = ?11"),
      drop_user_refs_(db,
                      "DELETE FROM conversations WHERE platform = ?1 AND person_id = ?2 AND kind = 'user' "
                      "AND conversation_id <> ?3"),
      find_(db, std::string{kConversationColumns} + "WHERE platform = ?1 AND conversation_id = ?2"),
      // One that can be written to beats a closed one, a real 1:1 chat a bare user id;
      // among equals the newest wins.
      personal_(db, std::string{kConversationColumns} +
                        "WHERE platform = ?1 AND person_id = ?2 AND kind IN ('personal', 'user') "
                        "ORDER BY active DESC, kind = 'personal' DESC, updated_at DESC LIMIT 1"),
      latest_(db, std::string{kConversationColumns} +
                      "WHERE platform = ?1 AND (?2 = '' OR tenant = ?2) ORDER BY updated_at DESC LIMIT 1"),
      deactivate_(db,
                  "UPDATE conversations SET active = 0, inactive_reason = ?3, updated_at = ?4 "
                  "WHERE platform = ?1 AND conversation_id = ?2"),
      remove_(db, "DELETE FROM conversations WHERE platform = ?1 AND conversation_id = ?2"),
      count_inactive_(db, "SELECT COUNT(*) FROM conversations WHERE platform = ?1 AND active = 0") {}

void SqliteConversationRepository::save(const bot::ConversationRef& ref) {
  const std::string platform{bot::to_string(ref.platform)};
  {
    Use s{upsert_};
    s->bind(1, platform);
    s->bind(2, ref.conversation);
    s->bind(3, ref.tenant);
    s->bind(4, ref.kind);
    s->bind(5, ref.service_url);
    if (ref.person) s->bind(6, ref.person->value);
    else s->bind(6);
    s->bind(7, ref.user_id);
    s->bind(8, ref.team);
    s->bind(9, ref.active ? 1 : 0);
    s->bind(10, ref.inactive_reason);
    s->bind(11, bot::to_unix_ms(ref.updated_at));
    s->exec();
  }
  if (ref.kind == "personal" && ref.person) {
    Use s{drop_user_refs_};
    s->bind(1, platform);
    s->bind(2, ref.person->value);
    s->bind(3, ref.conversation);
    s->exec();
  }
}

std::optional<bot::ConversationRef> SqliteConversationRepository::find(bot::Platform platform,
                                                                        const std::string& conversation) {
  Use s{find_};
  s->bind(1, std::string{bot::to_string(platform)});
  s->bind(2, conversation);
  if (!s->executeStep()) return std::nullopt;
  return read_ref(*s);
}

std::optional<bot::ConversationRef> SqliteConversationRepository::personal(bot::Platform platform,
                                                                            bot::PersonId person) {
  Use s{personal_};
  s->bind(1, std::string{bot::to_string(platform)});
  s->bind(2, person.value);
  if (!s->executeStep()) return std::nullopt;
  return read_ref(*s);
}

std::optional<bot::ConversationRef> SqliteConversationRepository::latest(bot::Platform platform,
                                                                          const std::string& tenant) {
  Use s{latest_};
  s->bind(1, std::string{bot::to_string(platform)});
  s->bind(2, tenant);
  if (!s->executeStep()) return std::nullopt;
  return read_ref(*s);
}

void SqliteConversationRepository::deactivate(bot::Platform platform, const std::string& conversation,
                                              const std::string& reason, bot::Instant now) {
  Use s{deactivate_};
  s->bind(1, std::string{bot::to_string(platform)});
  s->bind(2, conversation);
  s->bind(3, reason);
  s->bind(4, bot::to_unix_ms(now));
  s->exec();
}

void SqliteConversationRepository::remove(bot::Platform platform, const std::string& conversation) {
  Use s{remove_};
  s->bind(1, std::string{bot::to_string(platform)});
  s->bind(2, conversation);
  s->exec();
}

std::size_t SqliteConversationRepository::count_inactive(bot::Platform platform) {
  Use s{count_inactive_};
  s->bind(1, std::string{bot::to_string(platform)});
  s->executeStep();
  return static_cast<std::size_t>(s->getColumn(0).getInt64());
}

}  // namespace storage
