#pragma once
// The storage ports the engine and the outbox sender need. storage/ implements them on
// SQLite; a PostgreSQL implementation would implement the same interfaces, so nothing
// here mentions rowids, pragmas or SQL. Implementations are not thread-safe: use one
// Store per thread (the service runs the engine on one io_context thread).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bot/clock.hpp"
#include "bot/dialog.hpp"
#include "bot/ids.hpp"
#include "bot/message.hpp"
#include "bot/model.hpp"
#include "bot/portfolio.hpp"

namespace bot {

class PeopleRepository {
 public:
  virtual ~PeopleRepository() = default;
  virtual std::optional<Person> find(PersonId id) = 0;
  virtual std::optional<Person> find_by_identity(const Identity& who) = 0;
  // Creates the person and links the identity to them; returns the stored person.
  virtual Person create(const Person& person, const Identity& who) = 0;
  virtual void update(const Person& person) = 0;
  virtual std::vector<Identity> identities(PersonId id) = 0;
  // The people whose manager is `manager`, by name.
  virtual std::vector<Person> reports(PersonId manager) = 0;
  // Removes the person and everything that is theirs (plans, goals, check-ins,
  // reflections, evidence, achievements, kudos they gave, sessions, queued messages
  // they caused); their reports keep no link to them. Only an anonymous count of
  // erasures per month remains.
  virtual void erase(PersonId id, Instant now) = 0;
  // How many erase() calls this repository has run. An erased person's id is given to
  // the next person created (SQLite reuses the highest rowid), so whoever caches
  // anything by person id drops it when this moves.
  virtual std::uint64_t erasures_run() const = 0;
};

class PlanRepository {
 public:
  virtual ~PlanRepository() = default;
  virtual std::optional<Plan> find(PlanId id) = 0;
  // The person's plan whose period contains `day` (ISO date), unless archived.
  virtual std::optional<Plan> current(PersonId person, const std::string& day) = 0;
  // Inserts when plan.id is unset, else updates; returns the stored plan.
  virtual Plan save(const Plan& plan, Instant now) = 0;
};

struct PlanReview {
  PlanId plan;
  PersonId reviewer;
  PlanStatus decision = PlanStatus::approved;
  std::string comment;
  Instant at{};
};

class ReviewRepository {
 public:
  virtual ~ReviewRepository() = default;
  virtual void add(const PlanReview& review) = 0;
  virtual std::vector<PlanReview> for_plan(PlanId plan) = 0;
};

class GoalRepository {
 public:
  virtual ~GoalRepository() = default;
  // Active goals with their activities, in the order they were added.
  virtual std::vector<Goal> active_for(PersonId person) = 0;
  // The plan's achieved goals (without activities), in the order they were added.
  virtual std::vector<Goal> achieved_in(PersonId person, PlanId plan) = 0;
  // Stores the goal and its activities; returns it with its id.
  virtual Goal add(const Goal& goal, Instant now) = 0;
  // Any goal of anyone, whatever its status, with its activities.
  virtual std::optional<Goal> find(GoalId id) = 0;
  // Puts the person's active goals that belong to no plan into `plan`; returns how many.
  virtual int attach_unplanned(PersonId person, PlanId plan, Instant now) = 0;
};

class ReflectionRepository {
 public:
  virtual ~ReflectionRepository() = default;
  // Stores a new reflection; returns it with its id.
  virtual Reflection add(const Reflection& reflection) = 0;
  virtual std::optional<Reflection> find(ReflectionId id) = 0;
  // The reflection whose follow-up fell due first (the oldest: every follow-up comes the
  // same time after its reflection), due by `now` and never asked.
  virtual std::optional<Reflection> follow_up_due(PersonId person, Instant now) = 0;
  // When the person's earliest follow-up that was never asked falls due.
  virtual std::optional<Instant> next_follow_up_at(PersonId person) = 0;
  // The follow-up was asked (it is asked once, answered or not).
  virtual void mark_followed_up(ReflectionId id, Instant at) = 0;
  virtual void record_follow_up(ReflectionId id, const std::string& applied, const std::string& note) = 0;
};

class EvidenceRepository {
 public:
  virtual ~EvidenceRepository() = default;
  virtual Evidence add(const Evidence& evidence) = 0;
  // The person's evidence attached to this goal, oldest first.
  virtual std::vector<Evidence> for_goal(GoalId goal) = 0;
};

class AchievementRepository {
 public:
  virtual ~AchievementRepository() = default;
  // Stores the achievement (one per goal: a second add for the same goal replaces its
  // text and sharing); returns it with its id.
  virtual Achievement add(const Achievement& achievement) = 0;
  virtual std::optional<Achievement> for_goal(GoalId goal) = 0;
  // The person's achievements recorded at or after `since`, oldest first.
  virtual std::vector<Achievement> since(PersonId person, Instant since) = 0;
  // Records kudos from `giver`; false (and nothing written) when they gave it before.
  virtual bool add_kudos(AchievementId achievement, PersonId giver, Instant now) = 0;
  // Who gave kudos, in the order they did.
  virtual std::vector<PersonId> kudos(AchievementId achievement) = 0;
  // The goals of the achievements `giver` gave kudos to.
  virtual std::vector<GoalId> kudos_given_by(PersonId giver) = 0;
};

class CheckInRepository {
 public:
  virtual ~CheckInRepository() = default;
  // The latest revision for that week, if any.
  virtual std::optional<CheckIn> latest(PersonId person, const std::string& iso_week) = 0;
  // Stores a new revision (one more than the latest for that week) with its per-goal
  // rows; returns it with id and revision filled in.
  virtual CheckIn add(CheckIn checkin) = 0;
  virtual std::vector<CheckIn> history(PersonId person) = 0;
};

struct StoredSession {
  DialogState state;
  std::int64_t version = 0;  // optimistic concurrency: bumped on every save
  Instant updated_at{};
};

class DialogSessionRepository {
 public:
  virtual ~DialogSessionRepository() = default;
  virtual std::optional<StoredSession> load(PersonId person) = 0;
  // expected_version 0 means "no session exists yet". Returns false, writing nothing,
  // when another writer moved the session since it was loaded.
  virtual bool save(PersonId person, const DialogState& state, std::int64_t expected_version, Instant now) = 0;
  virtual bool remove(PersonId person, std::int64_t expected_version) = 0;
};

enum class OutboxStatus { pending, delivered, dead };

struct OutboxItem {
  OutboxId id;
  Platform platform = Platform::console;
  Message message;
  std::string recipient_key;  // "person:12", "channel:C1": the unit of ordering and rate limits
  OutboxStatus status = OutboxStatus::pending;
  int attempts = 0;
  Instant next_attempt_at{};
  std::string last_error;
  Instant created_at{};
  std::optional<std::string> platform_ref;  // the platform's id for it once delivered (Slack: the ts)
  // Filled by due(): the platform_ref of the latest delivered message to the same
  // recipient with the same update_key, so the adapter edits that message in place
  // (Slack chat.update) instead of posting a new one.
  std::optional<std::string> replaces;
  std::optional<PersonId> origin;  // whose event caused it (OutboxRepository::add)
};

class OutboxRepository {
 public:
  virtual ~OutboxRepository() = default;
  // `origin` is the person whose event caused the message: erasing them removes it too.
  // `not_before` holds the message back until then (a nudge outside the recipient's
  // sending window).
  virtual OutboxId add(Platform platform, const Message& message, Instant now,
                       std::optional<PersonId> origin = std::nullopt, std::optional<Instant> not_before = std::nullopt) = 0;
  // Pending items due by `now`, oldest first. With `person`, only their direct messages
  // and channel posts (which everyone in the channel sees).
  // Only the oldest pending message of each recipient is due, and only with an id
  // above `after`, so a caller can page past messages it chose to hold back.
  virtual std::vector<OutboxItem> due(Platform platform, std::optional<PersonId> person, Instant now,
                                      std::size_t limit, OutboxId after = OutboxId{0}) = 0;
  // The same selection as due(), only ids and recipients: a sender with messages in
  // flight skips those without reading them; due_item() then reads one as due() would.
  struct DueHead {
    OutboxId id;
    std::string recipient_key;
  };
  virtual std::vector<DueHead> due_heads(Platform platform, std::optional<PersonId> person, Instant now,
                                         std::size_t limit, OutboxId after = OutboxId{0}) = 0;
  virtual std::optional<OutboxItem> due_item(OutboxId id) = 0;
  // False when the row is gone: an erasure deleted it while it was on its way.
  virtual bool mark_delivered(OutboxId id, Instant now, const std::optional<std::string>& platform_ref = std::nullopt) = 0;
  // Not `counted`: a rate limit or a platform we cannot use now held it back, and the
  // attempt does not bring it closer to being given up on.
  virtual void mark_retry(OutboxId id, const std::string& error, Instant next_attempt, bool counted = true) = 0;
  virtual void mark_dead(OutboxId id, const std::string& error) = 0;
  virtual std::optional<OutboxItem> find(OutboxId id) = 0;
  // The first message delivered on `platform` with that platform id: what a click on
  // a Teams card was about (the card's activity id comes back, the card does not).
  virtual std::optional<OutboxItem> find_by_ref(Platform platform, const std::string& platform_ref) = 0;
  // Messages `origin` caused that others can still see on a chat platform: delivered to
  // anyone but them or to a channel, one per platform message, and only messages first
  // posted by their events (not someone else's post they edited, as kudos do). What
  // erasing them takes back.
  virtual std::vector<OutboxItem> shown_to_others(PersonId origin) = 0;
  // Forgets every row about a message of shown_to_others() that is being taken back:
  // the delivered rows that carry its platform id (edits by others, "✓" marks, with
  // its text), and pending edits of it, which would otherwise post it anew once it is
  // gone.
  virtual void forget_message(const OutboxItem& first) = 0;
  // Deletes every page queued for the person's Home tab, sent or not. Others' events
  // queue them too (a manager's decision refreshes the learner's page), so they are
  // not all theirs by origin, yet every one shows their plan and goals.
  virtual void forget_home(PersonId person) = 0;
  // Whether a message with this update key was ever queued for the recipient, in any
  // state: has this person's Home tab been shown once (it is first shown when they
  // open it)?
  virtual bool ever_queued(Platform platform, const Recipient& to, const std::string& update_key) = 0;
  // Dead letters, oldest first, for operators (`coachbot outbox --failed`).
  virtual std::vector<OutboxItem> dead(std::size_t limit) = 0;
  // Sends a dead message again: pending, no attempts, due at `now`. last_error is kept
  // so the reason it died stays visible until a new attempt replaces it. False when
  // the id is not a dead message.
  virtual bool retry(OutboxId id, Instant now) = 0;
  // Messages in a state, for /metrics and the CLI.
  virtual std::size_t count(OutboxStatus status) = 0;
  // The earliest next_attempt_at later than `after` among the messages that are first
  // in line for their recipient on `platform`: when a retry is next due.
  virtual std::optional<Instant> next_attempt(Platform platform, Instant after) = 0;
};

// Whether one of `queued` rewrites `original` itself, under its update key (a review
// card's "You approved …"): then an adapter's own "✓ choice" edit of the clicked
// message must not be queued as well, or it could land last and undo the rewrite.
inline bool rewritten_by(OutboxRepository& outbox, const OutboxItem& original, const std::vector<OutboxId>& queued) {
  if (!original.message.update_key) return false;
  for (const auto id : queued)
    if (const auto item = outbox.find(id); item && item->message.update_key == original.message.update_key) return true;
  return false;
}

class ProcessedEventRepository {
 public:
  virtual ~ProcessedEventRepository() = default;
  // Records the platform's event id; false when it was recorded before (a redelivery).
  virtual bool mark(Platform platform, const std::string& event_id, Instant now) = 0;
  // Forgets ids recorded before `cutoff` (platforms stop redelivering within hours);
  // returns how many.
  virtual std::size_t forget_before(Instant cutoff) = 0;
};

// Where a platform lets us reach someone or somewhere later: the Teams conversation
// reference (service URL, conversation id, the person's per-bot user id). Slack needs
// none, it posts to user and channel ids. `kind` is "personal" (a 1:1 chat with the
// bot), "user" (only the person's user id is known, from a channel: a 1:1 chat can be
// created with it), "channel" (a team channel; conversation = the channel id) or
// "groupChat".
struct ConversationRef {
  Platform platform = Platform::teams;
  std::string tenant;
  std::string conversation;
  std::string kind;
  std::string service_url;
  std::optional<PersonId> person;  // personal and user: whose
  std::string user_id;             // personal and user: the platform's id of the person
  std::string team;                // channel: the team's id
  bool active = true;              // false: the bot was removed or blocked there
  std::string inactive_reason;
  Instant updated_at{};
  bool operator==(const ConversationRef&) const = default;
};

class ConversationRepository {
 public:
  virtual ~ConversationRepository() = default;
  // Creates or replaces the reference for (platform, conversation); saving it again
  // (a new activity from there) makes it active again. A person's "user" reference is
  // replaced by their "personal" one.
  virtual void save(const ConversationRef& ref) = 0;
  virtual std::optional<ConversationRef> find(Platform platform, const std::string& conversation) = 0;
  // The person's reference: an active one before a closed one, a 1:1 chat before a
  // "user" reference.
  virtual std::optional<ConversationRef> personal(Platform platform, PersonId person) = 0;
  // The most recently seen reference in the tenant (any tenant when empty): where to
  // find a service URL for a conversation we never heard from.
  virtual std::optional<ConversationRef> latest(Platform platform, const std::string& tenant) = 0;
  // Stop messaging there until it is saved again.
  virtual void deactivate(Platform platform, const std::string& conversation, const std::string& reason,
                          Instant now) = 0;
  // Forget it (Teams says the id no longer exists).
  virtual void remove(Platform platform, const std::string& conversation) = 0;
  virtual std::size_t count_inactive(Platform platform) = 0;
};

// A timer: one row per (kind, person), holding when it next fires (UTC) and the rule
// that produced it, so that timers survive restarts.
struct ScheduleEntry {
  std::string kind;  // "checkin", "checkin_reminder", "follow_up"
  PersonId person;
  std::string rule;  // human-readable, for operators: "weekly Mon 09:00 Europe/Berlin"
  Instant next_run_at{};
  std::string occurrence;  // what the next firing is about, e.g. the ISO week "2026-W48"
  int count = 0;           // reminders: how many were sent for this occurrence
};

class ScheduleRepository {
 public:
  virtual ~ScheduleRepository() = default;
  // Creates or replaces the entry for (kind, person).
  virtual void put(const ScheduleEntry& entry, Instant now) = 0;
  virtual std::optional<ScheduleEntry> find(const std::string& kind, PersonId person) = 0;
  virtual void remove(const std::string& kind, PersonId person) = 0;
  // Entries due by `now`, earliest first.
  virtual std::vector<ScheduleEntry> due(Instant now, std::size_t limit) = 0;
  virtual std::optional<Instant> next_run() = 0;
};

// RAII unit of work: rolls back unless commit() is called.
class StoreTransaction {
 public:
  virtual ~StoreTransaction() = default;
  virtual void commit() = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // Starts a transaction; inside one already open, a nested unit (a savepoint) that
  // commits or rolls back on its own and is durable only when the outer one commits.
  virtual std::unique_ptr<StoreTransaction> begin() = 0;
  // A transaction whose commit survives a crash of the process but may be lost with
  // the machine's power: for delivery bookkeeping, where losing it means a message is
  // sent once more, and an fsync per delivery would cost more than it saves.
  virtual std::unique_ptr<StoreTransaction> begin_relaxed() { return begin(); }
  // A snapshot for several reads in a row, that writes nothing: cheaper than one
  // implicit transaction per statement, and it never waits for another writer.
  virtual std::unique_ptr<StoreTransaction> begin_read() { return begin(); }
  virtual PeopleRepository& people() = 0;
  virtual PlanRepository& plans() = 0;
  virtual ReviewRepository& reviews() = 0;
  virtual GoalRepository& goals() = 0;
  virtual CheckInRepository& checkins() = 0;
  virtual DialogSessionRepository& sessions() = 0;
  virtual OutboxRepository& outbox() = 0;
  virtual ProcessedEventRepository& processed_events() = 0;
  virtual ReflectionRepository& reflections() = 0;
  virtual EvidenceRepository& evidence() = 0;
  virtual AchievementRepository& achievements() = 0;
  virtual ScheduleRepository& schedule() = 0;
  virtual ConversationRepository& conversations() = 0;
  // The person's whole record for an export (exported_at left unset); nullopt for an
  // unknown person. Reads inside the current transaction when one is open.
  virtual std::optional<Portfolio> portfolio(PersonId person) = 0;
};

}  // namespace bot
