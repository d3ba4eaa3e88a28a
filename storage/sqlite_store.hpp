#pragma once
// bot::Store on one SQLite file: opens (and migrates) the database and owns a
// repository per aggregate, all sharing one connection so that a StoreTransaction
// covers every write of an event. Not thread-safe: one SqliteStore per thread.
#include <memory>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>

#include "bot/repositories.hpp"
#include "storage/achievement_repository.hpp"
#include "storage/checkin_repository.hpp"
#include "storage/conversation_repository.hpp"
#include "storage/database.hpp"
#include "storage/dialog_session_repository.hpp"
#include "storage/evidence_repository.hpp"
#include "storage/export_repository.hpp"
#include "storage/goal_repository.hpp"
#include "storage/outbox_repository.hpp"
#include "storage/people_repository.hpp"
#include "storage/plan_repository.hpp"
#include "storage/processed_event_repository.hpp"
#include "storage/reflection_repository.hpp"
#include "storage/review_repository.hpp"
#include "storage/schedule_repository.hpp"

namespace storage {

struct TransactionStatements;

class SqliteStore final : public bot::Store {
 public:
  explicit SqliteStore(const OpenOptions& options);
  ~SqliteStore() override;
  std::unique_ptr<bot::StoreTransaction> begin() override;
  std::unique_ptr<bot::StoreTransaction> begin_relaxed() override;
  std::unique_ptr<bot::StoreTransaction> begin_read() override;
  bot::PeopleRepository& people() override { return people_; }
  bot::PlanRepository& plans() override { return plans_; }
  bot::ReviewRepository& reviews() override { return reviews_; }
  bot::GoalRepository& goals() override { return goals_; }
  bot::CheckInRepository& checkins() override { return checkins_; }
  bot::DialogSessionRepository& sessions() override { return sessions_; }
  bot::OutboxRepository& outbox() override { return outbox_; }
  bot::ProcessedEventRepository& processed_events() override { return processed_; }
  bot::ReflectionRepository& reflections() override { return reflections_; }
  bot::EvidenceRepository& evidence() override { return evidence_; }
  bot::AchievementRepository& achievements() override { return achievements_; }
  bot::ScheduleRepository& schedule() override { return schedule_; }
  bot::ConversationRepository& conversations() override { return conversations_; }
  std::optional<bot::Portfolio> portfolio(bot::PersonId person) override { return export_.load(person); }
  SQLite::Database& database() { return *db_; }

 private:
  std::unique_ptr<bot::StoreTransaction> begin_as(SQLite::TransactionBehavior behavior);

  std::unique_ptr<SQLite::Database> db_;
  SqlitePeopleRepository people_;
  SqlitePlanRepository plans_;
  SqliteReviewRepository reviews_;
  SqliteGoalRepository goals_;
  SqliteCheckInRepository checkins_;
  SqliteDialogSessionRepository sessions_;
  SqliteOutboxRepository outbox_;
  SqliteProcessedEventRepository processed_;
  SqliteReflectionRepository reflections_;
  SqliteEvidenceRepository evidence_;
  SqliteAchievementRepository achievements_;
  SqliteScheduleRepository schedule_;
  SqliteConversationRepository conversations_;
  SqliteExportRepository export_;
  std::unique_ptr<TransactionStatements> tx_sql_;  // after db_: finalized before it closes
  bool full_sync_ = false;  // synchronous = FULL: relaxed transactions switch to NORMAL
};

}  // namespace storage
