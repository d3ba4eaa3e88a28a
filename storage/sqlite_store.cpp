#include "storage/sqlite_store.hpp"

#include <sqlite3.h>

#include <functional>
#include <initializer_list>
#include <optional>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <spdlog/spdlog.h>

namespace storage {

// The statements that open and close transactions, prepared once: sqlite3_exec parses
// its SQL on every call, and every event runs at least a SAVEPOINT and a RELEASE.
struct TransactionStatements {
  explicit TransactionStatements(SQLite::Database& database)
      : db(database),
        begin_immediate(database, "BEGIN IMMEDIATE"),
        begin_deferred(database, "BEGIN DEFERRED"),
        commit(database, "COMMIT"),
        rollback(database, "ROLLBACK"),
        savepoint(database, "SAVEPOINT event"),
        release(database, "RELEASE event"),
        rollback_to(database, "ROLLBACK TO event") {}
  SQLite::Database& db;
  std::function<void()> rolled_back;  // after a rollback, whole or to a savepoint, that undid writes
  // Not `PRAGMA synchronous`: SQLite applies a pragma while preparing it, so a prepared
  // one would change nothing when run.
  SQLite::Statement begin_immediate, begin_deferred, commit, rollback, savepoint, release, rollback_to;
};

namespace {

// Reset before (a run that threw left the statement mid-way) and after (a finished
// statement holds nothing open).
void run(SQLite::Statement& s) {
  s.tryReset();
  s.exec();
  s.tryReset();
}

bool in_transaction(const TransactionStatements& sql) { return sqlite3_get_autocommit(sql.db.getHandle()) == 0; }

// Rows written on this connection so far: a scope that ends without a commit and
// wrote nothing (a read) undoes nothing.
sqlite3_int64 writes(const TransactionStatements& sql) { return sqlite3_total_changes64(sql.db.getHandle()); }

// Ends a scope that was not committed: says so when it had written something, and
// runs `undo` unless SQLite rolled back on its own already (a full disk, say).
void abandon(TransactionStatements& sql, sqlite3_int64 writes_at_start, std::initializer_list<SQLite::Statement*> undo,
             const char* what) {
  if (writes(sql) != writes_at_start && sql.rolled_back) sql.rolled_back();
  if (!in_transaction(sql)) return;
  try {
    for (SQLite::Statement* s : undo) run(*s);
  } catch (const SQLite::Exception& e) {
    spdlog::error("storage: rolling back {} failed: {}", what, e.what());
  }
}

// IMMEDIATE takes the write lock up front, so two processes on one file queue on
// busy_timeout instead of failing halfway through an event with SQLITE_BUSY.
class SqliteTransaction final : public bot::StoreTransaction {
 public:
  SqliteTransaction(TransactionStatements& sql, SQLite::TransactionBehavior behavior)
      : sql_(sql), writes_at_start_(writes(sql)) {
    run(behavior == SQLite::TransactionBehavior::IMMEDIATE ? sql_.begin_immediate : sql_.begin_deferred);
  }
  ~SqliteTransaction() override {
    if (!done_) abandon(sql_, writes_at_start_, {&sql_.rollback}, "a transaction");
  }
  void commit() override {
    run(sql_.commit);
    done_ = true;
  }

 private:
  TransactionStatements& sql_;
  sqlite3_int64 writes_at_start_;
  bool done_ = false;
};

// Inside a transaction someone else opened (a receiver committing a batch of events
// at once, so that one fsync covers them all), each event is a savepoint: it commits
// or rolls back on its own, and becomes durable with the outer transaction.
class SqliteSavepoint final : public bot::StoreTransaction {
 public:
  explicit SqliteSavepoint(TransactionStatements& sql) : sql_(sql), writes_at_start_(writes(sql)) {
    run(sql_.savepoint);
  }
  ~SqliteSavepoint() override {
    if (!done_) abandon(sql_, writes_at_start_, {&sql_.rollback_to, &sql_.release}, "an event's savepoint");
  }
  void commit() override {
    run(sql_.release);
    done_ = true;
  }

 private:
  TransactionStatements& sql_;
  sqlite3_int64 writes_at_start_;
  bool done_ = false;
};

// In WAL mode, synchronous = NORMAL commits without an fsync; the commit is in the WAL
// file, so a killed process loses nothing, only a power cut could.
class RelaxedTransaction final : public bot::StoreTransaction {
 public:
  explicit RelaxedTransaction(TransactionStatements& sql) : sql_(sql) {
    sql_.db.exec("PRAGMA synchronous = NORMAL");
    try {
      tx_.emplace(sql_, SQLite::TransactionBehavior::IMMEDIATE);
    } catch (...) {
      restore();
      throw;
    }
  }
  ~RelaxedTransaction() override {
    tx_.reset();
    restore();
  }
  void commit() override { tx_->commit(); }

 private:
  void restore() {
    try {
      sql_.db.exec("PRAGMA synchronous = FULL");
    } catch (const SQLite::Exception& e) {
      spdlog::error("storage: restoring synchronous = FULL failed: {}", e.what());
    }
  }
  TransactionStatements& sql_;
  std::optional<SqliteTransaction> tx_;
};

}  // namespace

namespace {
// Statements are prepared up front, so a file whose schema is not what its version
// claims fails here, at start, with the file's name.
std::unique_ptr<SQLite::Database> checked(std::unique_ptr<SQLite::Database> db, const std::string& path) {
  try {
    for (const char* table : {"people", "identities", "plans", "reviews", "goals", "activities", "checkins",
                              "checkin_goals", "reflections", "evidence", "achievements", "kudos", "erasures",
                              "dialog_sessions", "outbox", "processed_events", "conversations"}) {
      if (!db->tableExists(table)) throw DatabaseError("database " + path + " claims a Coachbot schema but has no " +
                                                       table + " table; refusing to use it.");
    }
  } catch (const SQLite::Exception& e) {
    throw DatabaseError("cannot use database " + path + ": " + e.getErrorStr());
  }
  return db;
}
}  // namespace

SqliteStore::SqliteStore(const OpenOptions& options)
    : db_(checked(open_database(options), options.path)),
      people_(*db_),
      plans_(*db_),
      reviews_(*db_),
      goals_(*db_),
      checkins_(*db_),
      sessions_(*db_),
      outbox_(*db_),
      processed_(*db_),
      reflections_(*db_),
      evidence_(*db_),
      achievements_(*db_),
      schedule_(*db_),
      conversations_(*db_),
      export_(*db_),
      tx_sql_(std::make_unique<TransactionStatements>(*db_)),
      full_sync_(options.synchronous == "FULL") {
  tx_sql_->rolled_back = [this] { outbox_.forget_unsaved(); };
}

SqliteStore::~SqliteStore() = default;

std::unique_ptr<bot::StoreTransaction> SqliteStore::begin_relaxed() {
  if (!full_sync_ || in_transaction(*tx_sql_)) return begin();
  return std::make_unique<RelaxedTransaction>(*tx_sql_);
}

// Inside a transaction, a savepoint; otherwise a transaction that starts as asked.
std::unique_ptr<bot::StoreTransaction> SqliteStore::begin_as(SQLite::TransactionBehavior behavior) {
  if (in_transaction(*tx_sql_)) return std::make_unique<SqliteSavepoint>(*tx_sql_);
  return std::make_unique<SqliteTransaction>(*tx_sql_, behavior);
}

// DEFERRED takes no lock until the first read, and in WAL mode a reader never waits
// for a writer.
std::unique_ptr<bot::StoreTransaction> SqliteStore::begin_read() {
  return begin_as(SQLite::TransactionBehavior::DEFERRED);
}

std::unique_ptr<bot::StoreTransaction> SqliteStore::begin() {
  return begin_as(SQLite::TransactionBehavior::IMMEDIATE);
}

}  // namespace storage
