#include "storage/database.hpp"

#include <filesystem>

#include <SQLiteCpp/Transaction.h>
#include <spdlog/spdlog.h>

#include "storage/migrations.hpp"

namespace storage {

namespace {

// Reads the file without writing to it: a read-only connection neither creates
// journals nor changes the header, so a file we refuse stays exactly as it was.
void inspect_existing(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return;
  if (std::filesystem::is_directory(path, ec)) throw DatabaseError("cannot open database " + path + ": it is a directory");
  try {
    SQLite::Database ro{path, SQLite::OPEN_READONLY};
    const int tables = ro.execAndGet("SELECT count(*) FROM sqlite_master").getInt();  // fails on a non-database
    const int found = schema_version(ro);
    if (found == 0 && tables > 0) {
      throw DatabaseError("database " + path + " already holds tables that are not Coachbot's; refusing to change "
                          "it. Use another --db.");
    }
    // Reads every page: a damaged file is refused now rather than failing halfway
    // through someone's check-in.
    const std::string health = ro.execAndGet("PRAGMA quick_check(1)").getString();
    if (health != "ok") throw DatabaseError("database " + path + " is damaged (" + health + "); refusing to open it.");
    if (found > latest_schema_version()) {
      throw DatabaseError("database " + path + " was written by a newer Coachbot (schema version " +
                          std::to_string(found) + ", this binary knows up to " +
                          std::to_string(latest_schema_version()) +
                          "); refusing to open it. Upgrade coachbot or use another --db.");
    }
  } catch (const SQLite::Exception& e) {
    throw DatabaseError("cannot open database " + path + ": " + e.getErrorStr());
  }
}

void migrate(SQLite::Database& db, const std::string& path) {
  const int from = schema_version(db);
  for (const auto& m : migrations()) {
    if (m.version <= from) continue;
    SQLite::Transaction tx{db, SQLite::TransactionBehavior::IMMEDIATE};
    // Another process may have migrated between our read and the lock.
    if (schema_version(db) >= m.version) continue;
    db.exec(std::string{m.sql});
    db.exec("PRAGMA user_version = " + std::to_string(m.version));
    tx.commit();
    spdlog::info("storage: {} migrated to schema version {}", path, m.version);
  }
}

}  // namespace

int schema_version(SQLite::Database& db) { return db.execAndGet("PRAGMA user_version").getInt(); }

std::unique_ptr<SQLite::Database> open_database(const OpenOptions& options) {
  if (options.synchronous != "NORMAL" && options.synchronous != "FULL")
    throw DatabaseError("database.synchronous must be NORMAL or FULL");
  inspect_existing(options.path);
  try {
    // A connection belongs to one thread (see database.hpp): SQLite's own mutex around
    // every call would only cost time.
    auto db = std::make_unique<SQLite::Database>(
        options.path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX, options.busy_timeout_ms);
    db->exec("PRAGMA journal_mode = WAL");
    db->exec("PRAGMA foreign_keys = ON");
    // Statement journals and sorts stay in memory: they are small here, and a temporary
    // file for each was an open, an unlink and several writes per event.
    db->exec("PRAGMA temp_store = MEMORY");
    // Migrations commit without an fsync each: a power cut loses at most whole
    // migrations (each is one transaction with its user_version), which run again on
    // the next start. Then the configured level holds for everything people write.
    db->exec("PRAGMA synchronous = NORMAL");
    migrate(*db, options.path);
    // Pragma values cannot be bound; the value was checked against a fixed list above.
    db->exec("PRAGMA synchronous = " + options.synchronous);
    return db;
  } catch (const SQLite::Exception& e) {
    throw DatabaseError("cannot open database " + options.path + ": " + e.getErrorStr());
  }
}

}  // namespace storage
