#include "storage/database.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

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

void fsync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    const int e = errno;
    if (fd >= 0) ::close(fd);
    throw DatabaseError("cannot sync " + path + ": " + std::strerror(e));
  }
  ::close(fd);
}

std::filesystem::path folder_of(const std::filesystem::path& file) {
  return file.parent_path().empty() ? std::filesystem::path{"."} : file.parent_path();
}

void remove_leftovers(const std::string& file) {
  std::error_code ec;
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) std::filesystem::remove(file + suffix, ec);
}

// Drafts of processes that died while building a new database (`<name>.new-<pid>`
// whose pid is gone). A pid that was reused keeps its draft: harmless, only space.
void remove_dead_drafts(const std::filesystem::path& path) {
  const std::string prefix = path.filename().string() + ".new-";
  const auto folder = folder_of(path);
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator{folder, ec}) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(prefix)) continue;
    const std::string digits = name.substr(prefix.size());
    if (digits.empty() || digits.size() > 10 || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const long long pid = std::stoll(digits);
    if (pid <= 0 || pid > std::numeric_limits<pid_t>::max()) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    remove_leftovers((folder / name).string());
  }
}

// A new database is built under a name of its own, with no journal and no fsync
// (nothing in it can be lost yet), synced once and then moved into place. That costs
// one fsync of the file and one of its folder instead of the six SQLite spends making
// a WAL file and migrating it step by step, and a crash midway never leaves a
// half-made database at `path`. The schema is the migrations applied in order, as an
// existing file would get them. Returns false if another process put a database at
// `path` first; that one is then used.
bool create_fresh(const std::string& path) {
  remove_dead_drafts(path);
  const std::string draft = path + ".new-" + std::to_string(::getpid());
  remove_leftovers(draft);
  try {
    {
      SQLite::Database db{draft, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX};
      db.exec("PRAGMA journal_mode = OFF");
      db.exec("PRAGMA synchronous = OFF");
      SQLite::Transaction tx{db, SQLite::TransactionBehavior::IMMEDIATE};
      for (const auto& m : migrations()) db.exec(std::string{m.sql});
      db.exec("PRAGMA user_version = " + std::to_string(latest_schema_version()));
      tx.commit();
      db.exec("PRAGMA journal_mode = WAL");
    }  // closed: everything is in the one file
    fsync_path(draft, O_RDONLY);
  } catch (const SQLite::Exception& e) {
    remove_leftovers(draft);
    throw DatabaseError("cannot create database " + path + ": " + e.getErrorStr());
  } catch (...) {
    remove_leftovers(draft);
    throw;
  }
  // Never over a database another process made meanwhile. A file system without
  // RENAME_NOREPLACE gets a hard link, which refuses an existing name just the same.
  int moved = ::renameat2(AT_FDCWD, draft.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE);
  if (moved != 0 && (errno == EINVAL || errno == ENOSYS)) moved = ::link(draft.c_str(), path.c_str());
  const int e = errno;
  remove_leftovers(draft);
  if (moved != 0) {
    if (e == EEXIST) return false;
    throw DatabaseError("cannot create database " + path + ": " + std::strerror(e));
  }
  fsync_path(folder_of(path).string(), O_RDONLY | O_DIRECTORY);
  spdlog::info("storage: created {} at schema version {}", path, latest_schema_version());
  return true;
}

}  // namespace

int schema_version(SQLite::Database& db) { return db.execAndGet("PRAGMA user_version").getInt(); }

std::unique_ptr<SQLite::Database> open_database(const OpenOptions& options) {
  if (options.synchronous != "NORMAL" && options.synchronous != "FULL")
    throw DatabaseError("database.synchronous must be NORMAL or FULL");
  std::error_code ec;
  const bool created = !std::filesystem::exists(options.path, ec) && create_fresh(options.path);
  if (!created) inspect_existing(options.path);
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
