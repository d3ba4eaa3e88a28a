#include "storage/sqlite_store.hpp"

#include <sqlite3.h>

#include <optional>

#include <SQLiteCpp/Transaction.h>
#include <spdlog/spdlog.h>

namespace storage {

namespace {

// IMMEDIATE takes the write lock up front, so two processes on one file queue on
// busy_timeout instead of failing halfway through an event with SQLITE_BUSY.
class SqliteTransaction final : public bot::StoreTransaction {
 public:
  SqliteTransaction(SQLite::Database& db, SQLite::TransactionBehavior behavior) : tx_(db, behavior) {}
  void commit() override { tx_.commit(); }

 private:
  SQLite::Transaction tx_;
};

// Inside a transaction someone else opened (a receiver committing a batch of events
// at once, so that one fsync covers them all), each event is a savepoint: it commits
// or rolls back on its own, and becomes durable with the outer transaction.
class SqliteSavepoint final : public bot::StoreTransaction {
 public:
  explicit SqliteSavepoint(SQLite::Database& db) : db_(db) { db_.exec("SAVEPOINT event"); }
  ~SqliteSavepoint() override {
    if (done_) return;
    try {
      db_.exec("ROLLBACK TO event");
      db_.exec("RELEASE event");
    } catch (const SQLite::Exception& e) {
      spdlog::error("storage: rolling back an event's savepoint failed: {}", e.what());
    }
  }
  void commit() override {
    db_.exec("RELEASE event");
    done_ = true;
  }

 private:
  SQLite::Database& db_;
  bool done_ = false;
};

// In WAL mode, synchronous = NORMAL commits without an fsync; the commit is in the WAL
// file, so a killed process loses nothing, only a power cut could.
class RelaxedTransaction final : public bot::StoreTransaction {
 public:
  explicit RelaxedTransaction(SQLite::Database& db) : db_(db) {
    db_.exec("PRAGMA synchronous = NORMAL");
    tx_.emplace(db_, SQLite::TransactionBehavior::IMMEDIATE);
  }
  ~RelaxedTransaction() override {
    tx_.reset();
    try {
      db_.exec("PRAGMA synchronous = FULL");
    } catch (const SQLite::Exception& e) {
      spdlog::error("storage: restoring synchronous = FULL failed: {}", e.what());
    }
  }
  void commit() override { tx_->commit(); }

 private:
  SQLite::Database& db_;
  std::optional<SQLite::Transaction> tx_;
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
      full_sync_(options.synchronous == "FULL") {}

std::unique_ptr<bot::StoreTransaction> SqliteStore::begin_relaxed() {
  if (!full_sync_ || sqlite3_get_autocommit(db_->getHandle()) == 0) return begin();
  return std::make_unique<RelaxedTransaction>(*db_);
}

// Inside a transaction, a savepoint; otherwise a transaction that starts as asked.
std::unique_ptr<bot::StoreTransaction> SqliteStore::begin_as(SQLite::TransactionBehavior behavior) {
  if (sqlite3_get_autocommit(db_->getHandle()) == 0) return std::make_unique<SqliteSavepoint>(*db_);
  return std::make_unique<SqliteTransaction>(*db_, behavior);
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
