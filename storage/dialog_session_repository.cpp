#include "storage/dialog_session_repository.hpp"

#include "storage/statement.hpp"

namespace storage {

SqliteDialogSessionRepository::SqliteDialogSessionRepository(SQLite::Database& db)
    : db_(db),
      load_(db, "SELECT dialog, schema_version, state, version, updated_at FROM dialog_sessions WHERE person_id = ?1"),
      // ON CONFLICT DO NOTHING: a concurrent creator wins and we report a stale version.
      insert_(db,
              "INSERT INTO dialog_sessions (person_id, dialog, schema_version, state, version, started_at, "
              "updated_at) VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5) ON CONFLICT (person_id) DO NOTHING"),
      update_(db,
              "UPDATE dialog_sessions SET dialog = ?2, schema_version = ?3, state = ?4, version = version + 1, "
              "updated_at = ?5, started_at = CASE WHEN dialog = ?2 THEN started_at ELSE ?5 END "
              "WHERE person_id = ?1 AND version = ?6"),
      remove_(db, "DELETE FROM dialog_sessions WHERE person_id = ?1 AND version = ?2") {}

std::optional<bot::StoredSession> SqliteDialogSessionRepository::load(bot::PersonId person) {
  Use s{load_};
  s->bind(1, person.value);
  if (!s->executeStep()) return std::nullopt;
  bot::StoredSession out;
  out.state.dialog = s->getColumn(0).getString();
  out.state.schema_version = s->getColumn(1).getInt();
  out.state.data = nlohmann::json::parse(s->getColumn(2).getString());
  out.version = s->getColumn(3).getInt64();
  out.updated_at = bot::from_unix_ms(s->getColumn(4).getInt64());
  return out;
}

bool SqliteDialogSessionRepository::save(bot::PersonId person, const bot::DialogState& state,
                                         std::int64_t expected_version, bot::Instant now) {
  Use s{expected_version == 0 ? insert_ : update_};
  s->bind(1, person.value);
  s->bind(2, state.dialog);
  s->bind(3, state.schema_version);
  s->bind(4, state.data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  s->bind(5, bot::to_unix_ms(now));
  if (expected_version != 0) s->bind(6, expected_version);
  return s->exec() == 1;
}

bool SqliteDialogSessionRepository::remove(bot::PersonId person, std::int64_t expected_version) {
  Use s{remove_};
  s->bind(1, person.value);
  s->bind(2, expected_version);
  return s->exec() == 1;
}

}  // namespace storage
