#include "storage/sqlite_store.hpp"

#include <SQLiteCpp/Transaction.h>

namespace storage {

namespace {

// IMMEDIATE takes the write lock up front, so two processes on one file queue on
// busy_timeout instead of failing halfway through an event with SQLITE_BUSY.
class SqliteTransaction final : public bot::StoreTransaction {
 public:
  explicit SqliteTransaction(SQLite::Database& db) : tx_(db, SQLite::TransactionBehavior::IMMEDIATE) {}
  void commit() override { tx_.commit(); }

 private:
  SQLite::Transaction tx_;
};

}  // namespace

SqliteStore::SqliteStore(const OpenOptions& options)
    : db_(open_database(options)),
      people_(*db_),
      goals_(*db_),
      checkins_(*db_),
      sessions_(*db_),
      outbox_(*db_),
      processed_(*db_) {}

std::unique_ptr<bot::StoreTransaction> SqliteStore::begin() { return std::make_unique<SqliteTransaction>(*db_); }

}  // namespace storage
