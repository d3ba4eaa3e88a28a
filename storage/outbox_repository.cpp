#include "storage/outbox_repository.hpp"

#include <string>
#include <string_view>

#include "bot/message_json.hpp"
#include "storage/statement.hpp"

namespace storage {

namespace {

// Column 10 (replaces) is only looked up by due(); elsewhere it is NULL.
constexpr const char* kOutboxColumns =
    "SELECT o.id, o.platform, o.message, o.status, o.attempts, o.next_attempt_at, o.last_error, o.created_at, "
    "o.recipient_key, o.platform_ref, NULL, o.origin_person_id "
    "FROM outbox o ";

// The latest delivered message to the same recipient under the same update key. The
// recipient key holds the channel or person, and the platform_ref only means something
// on the platform that gave it.
constexpr const char* kDueColumns =
    "SELECT o.id, o.platform, o.message, o.status, o.attempts, o.next_attempt_at, o.last_error, o.created_at, "
    "o.recipient_key, o.platform_ref, "
    "(SELECT u.platform_ref FROM outbox u WHERE o.update_key IS NOT NULL AND u.update_key IS NOT NULL "
    "   AND u.recipient_key = o.recipient_key AND u.update_key = o.update_key AND u.platform = o.platform "
    "   AND u.status = 'delivered' AND u.platform_ref IS NOT NULL AND u.id < o.id "
    " ORDER BY u.id DESC LIMIT 1), o.origin_person_id "
    "FROM outbox o ";

std::string status_text(bot::OutboxStatus s) {
  switch (s) {
    case bot::OutboxStatus::pending: return "pending";
    case bot::OutboxStatus::delivered: return "delivered";
    case bot::OutboxStatus::dead: return "dead";
  }
  return "pending";
}

bot::OutboxStatus parse_status(const std::string& s) {
  if (s == "delivered") return bot::OutboxStatus::delivered;
  if (s == "dead") return bot::OutboxStatus::dead;
  return bot::OutboxStatus::pending;
}

// `built`: the row's message as queued, when this connection still holds it.
bot::OutboxItem read_item(SQLite::Statement& s, std::optional<bot::Message> built = std::nullopt) {
  bot::OutboxItem item;
  item.id = bot::OutboxId{s.getColumn(0).getInt64()};
  bot::parse_platform(s.getColumn(1).getString(), item.platform);
  item.message = built ? std::move(*built) : nlohmann::json::parse(s.getColumn(2).getString()).get<bot::Message>();
  item.status = parse_status(s.getColumn(3).getString());
  item.attempts = s.getColumn(4).getInt();
  item.next_attempt_at = bot::from_unix_ms(s.getColumn(5).getInt64());
  item.last_error = s.getColumn(6).isNull() ? std::string{} : s.getColumn(6).getString();
  item.created_at = bot::from_unix_ms(s.getColumn(7).getInt64());
  item.recipient_key = s.getColumn(8).getString();
  if (!s.getColumn(9).isNull()) item.platform_ref = s.getColumn(9).getString();
  if (!s.getColumn(10).isNull()) item.replaces = s.getColumn(10).getString();
  if (!s.getColumn(11).isNull()) item.origin = bot::PersonId{s.getColumn(11).getInt64()};
  return item;
}

// Only the oldest pending message of each recipient goes: a message waiting for its
// retry holds back the younger ones, so a recipient reads them in order. One held for
// the recipient's sending window and not tried yet (no last_error) does not: a note to
// a manager queued at 21:00 for 08:00 must not hold back the answers to what that
// manager types at 21:05. Unless they share an update key: the younger one edits what
// the held one would post, and going first would leave the older content on top.
// `by` is when o would go: an older message due by then is in front of it.
std::string no_older_in_line(std::string_view by) {
  return std::string{"NOT EXISTS (SELECT 1 FROM outbox e WHERE e.status = 'pending' "
                     "AND e.recipient_key = o.recipient_key AND e.id < o.id "
                     "AND (e.last_error IS NOT NULL OR (e.update_key IS NOT NULL AND e.update_key = o.update_key) "
                     "OR e.next_attempt_at <= "} +
         std::string{by} + "))";
}

// The messages that may go now.
const std::string kDueWhere =
    "WHERE o.status = 'pending' AND o.platform = ?1 AND o.next_attempt_at <= ?2 "
    "AND (?3 IS NULL OR o.recipient_key = ?3 OR o.person_id IS NULL) AND o.id > ?5 AND " +
    no_older_in_line("?2") + " ORDER BY o.id LIMIT ?4";

// The parameters of kDueWhere.
void bind_due(SQLite::Statement& s, bot::Platform platform, std::optional<bot::PersonId> person, bot::Instant now,
              std::size_t limit, bot::OutboxId after) {
  s.bind(1, std::string{bot::to_string(platform)});
  s.bind(2, bot::to_unix_ms(now));
  if (person) s.bind(3, recipient_key(bot::Recipient::dm(*person)));
  else s.bind(3);
  s.bind(4, static_cast<std::int64_t>(limit));
  s.bind(5, after.value);
}

}  // namespace

std::vector<bot::OutboxRepository::DueHead> SqliteOutboxRepository::due_heads(bot::Platform platform,
                                                                             std::optional<bot::PersonId> person,
                                                                             bot::Instant now, std::size_t limit,
                                                                             bot::OutboxId after) {
  std::vector<DueHead> out;
  Use s{due_heads_};
  bind_due(*s, platform, person, now, limit, after);
  while (s->executeStep()) out.push_back(DueHead{bot::OutboxId{s->getColumn(0).getInt64()}, s->getColumn(1).getString()});
  return out;
}

std::optional<bot::OutboxItem> SqliteOutboxRepository::due_item(bot::OutboxId id) {
  Use s{due_item_};
  s->bind(1, id.value);
  if (!s->executeStep()) return std::nullopt;
  const auto it = fresh_.find(id.value);
  if (it == fresh_.end()) return read_item(*s);
  // Once read, a retry reads the row: entries live only from queueing to first delivery.
  Fresh f = std::move(fresh_.extract(it).mapped());
  // Another process may have written this id after a rollback here gave it back.
  if (f.recipient_key != s->getColumn(8).getString() || f.created_at_ms != s->getColumn(7).getInt64())
    return read_item(*s);
  return read_item(*s, std::move(f.message));
}

std::string recipient_key(const bot::Recipient& r) {
  switch (r.kind) {
    case bot::RecipientKind::person: return "person:" + std::to_string(r.person.value);
    case bot::RecipientKind::channel: return "channel:" + r.channel;
    case bot::RecipientKind::thread: return "thread:" + r.channel + ":" + r.thread;
    case bot::RecipientKind::manager: return "manager:" + std::to_string(r.person.value);  // resolved before storing
    case bot::RecipientKind::home:
      // An emptied page names a Slack user, no person (bot::emptied_home_page).
      return r.person.value ? "home:" + std::to_string(r.person.value) : "home:user:" + r.channel;
  }
  return {};
}

SqliteOutboxRepository::SqliteOutboxRepository(SQLite::Database& db)
    : db_(db),
      insert_(db,
              "INSERT INTO outbox (platform, person_id, recipient_key, message, update_key, next_attempt_at, "
              "created_at, origin_person_id) VALUES (?1, ?2, ?3, ?4, ?5, max(?6, coalesce(?8, ?6)), ?6, ?7)"),
      due_(db, kDueColumns + kDueWhere),
      due_heads_(db, std::string{"SELECT o.id, o.recipient_key FROM outbox o "} + kDueWhere),
      due_item_(db, std::string{kDueColumns} + "WHERE o.id = ?1"),
      delivered_(db, "UPDATE outbox SET status = 'delivered', delivered_at = ?2, attempts = attempts + 1, "
                     "platform_ref = ?3 WHERE id = ?1"),
      retry_(db, "UPDATE outbox SET attempts = attempts + ?4, last_error = ?2, next_attempt_at = ?3 WHERE id = ?1"),
      dead_(db, "UPDATE outbox SET status = 'dead', attempts = attempts + 1, last_error = ?2 WHERE id = ?1"),
      find_(db, std::string{kOutboxColumns} + "WHERE o.id = ?1"),
      find_by_ref_(db,
                   std::string{kOutboxColumns} + "WHERE o.platform = ?1 AND o.platform_ref = ?2 ORDER BY o.id LIMIT 1"),
      // Through outbox_origin, and outbox_platform_ref for the first post of each ref.
      shown_to_others_(db, std::string{kOutboxColumns} +
                               "WHERE o.origin_person_id = ?1 AND o.status = 'delivered' AND o.platform_ref IS NOT NULL "
                               "AND o.platform <> 'console' AND o.recipient_key <> ?2 "
                               "AND o.id = (SELECT min(f.id) FROM outbox f WHERE f.platform = o.platform "
                               "AND f.platform_ref = o.platform_ref) ORDER BY o.id"),
      // Pending rows are few: json_extract reads only those of the platform.
      forget_message_(db, "DELETE FROM outbox WHERE platform = ?1 AND (platform_ref = ?2 OR (status = 'pending' AND "
                          "(json_extract(message, '$.edits') = ?2 OR (?4 IS NOT NULL AND recipient_key = ?3 AND "
                          "update_key = ?4))))"),
      // Served by outbox_update_key (every Home page has the update key "home").
      forget_home_(db, "DELETE FROM outbox WHERE recipient_key = ?1 AND update_key IS NOT NULL"),
      // Served by the partial index outbox_update_key.
      ever_queued_(db, "SELECT EXISTS (SELECT 1 FROM outbox WHERE recipient_key = ?1 AND update_key = ?2 "
                       "AND platform = ?3)"),
      list_dead_(db, std::string{kOutboxColumns} + "WHERE o.status = 'dead' ORDER BY o.id LIMIT ?1"),
      // last_error stays: it says why the message died until a new attempt replaces it.
      // Younger messages to the recipient went out while it was dead; it now holds back
      // only those queued after it that are still pending.
      requeue_(db, "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?2 "
                   "WHERE id = ?1 AND status = 'dead'"),
      count_(db, "SELECT count(*) FROM outbox WHERE status = ?1"),
      // Only a message first in line for its recipient when its time comes.
      next_attempt_(db, "SELECT min(o.next_attempt_at) FROM outbox o WHERE o.status = 'pending' AND o.platform = ?1 "
                        "AND o.next_attempt_at > ?2 AND " +
                            no_older_in_line("o.next_attempt_at")) {}

bot::OutboxId SqliteOutboxRepository::add(bot::Platform platform, const bot::Message& message, bot::Instant now,
                                          std::optional<bot::PersonId> origin, std::optional<bot::Instant> not_before) {
  Use s{insert_};
  std::string key = recipient_key(message.to);
  const nlohmann::json doc = message;
  // Text that is not UTF-8 is stored with replacement characters: then only the row
  // holds the message as it will be read, and it is not kept as built.
  bool as_built = true;
  std::string json;
  try {
    json = doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
  } catch (const nlohmann::json::type_error&) {
    as_built = false;
    json = doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  s->bind(1, std::string{bot::to_string(platform)});
  if (message.to.kind == bot::RecipientKind::person) s->bind(2, message.to.person.value);
  else s->bind(2);
  s->bind(3, key);
  s->bind(4, json);
  bind_optional(*s, 5, message.update_key);
  s->bind(6, bot::to_unix_ms(now));
  // No origin also when the event's person erased themselves in it (an unset id).
  if (origin && *origin) s->bind(7, origin->value);
  else s->bind(7);
  bind_optional(*s, 8, not_before);
  s->exec();
  const bot::OutboxId id{db_.getLastInsertRowid()};
  // A burst queues a few hundred at most before the pump reads them; past the bound
  // (messages held for someone's sending window pile up) it starts again, and what it
  // dropped is read from its row.
  constexpr std::size_t kMaxFresh = 1024;
  if (fresh_.size() >= kMaxFresh) fresh_.clear();
  if (as_built) fresh_.insert_or_assign(id.value, Fresh{message, std::move(key), bot::to_unix_ms(now)});
  return id;
}

std::vector<bot::OutboxItem> SqliteOutboxRepository::due(bot::Platform platform, std::optional<bot::PersonId> person,
                                                         bot::Instant now, std::size_t limit, bot::OutboxId after) {
  std::vector<bot::OutboxItem> out;
  Use s{due_};
  bind_due(*s, platform, person, now, limit, after);
  while (s->executeStep()) out.push_back(read_item(*s));
  return out;
}

bool SqliteOutboxRepository::mark_delivered(bot::OutboxId id, bot::Instant now,
                                            const std::optional<std::string>& platform_ref) {
  fresh_.erase(id.value);  // delivered without being read (a form shown as a modal's errors)
  Use s{delivered_};
  s->bind(1, id.value);
  s->bind(2, bot::to_unix_ms(now));
  bind_optional(*s, 3, platform_ref);
  return s->exec() > 0;
}

void SqliteOutboxRepository::mark_retry(bot::OutboxId id, const std::string& error, bot::Instant next_attempt,
                                        bool counted) {
  Use s{retry_};
  s->bind(1, id.value);
  s->bind(2, error);
  s->bind(3, bot::to_unix_ms(next_attempt));
  s->bind(4, counted ? 1 : 0);
  s->exec();
}

void SqliteOutboxRepository::mark_dead(bot::OutboxId id, const std::string& error) {
  fresh_.erase(id.value);
  Use s{dead_};
  s->bind(1, id.value);
  s->bind(2, error);
  s->exec();
}

std::optional<bot::OutboxItem> SqliteOutboxRepository::find(bot::OutboxId id) {
  Use s{find_};
  s->bind(1, id.value);
  if (!s->executeStep()) return std::nullopt;
  return read_item(*s);
}

std::optional<bot::OutboxItem> SqliteOutboxRepository::find_by_ref(bot::Platform platform,
                                                                  const std::string& platform_ref) {
  Use s{find_by_ref_};
  s->bind(1, std::string{bot::to_string(platform)});
  s->bind(2, platform_ref);
  if (!s->executeStep()) return std::nullopt;
  return read_item(*s);
}

std::vector<bot::OutboxItem> SqliteOutboxRepository::shown_to_others(bot::PersonId origin) {
  std::vector<bot::OutboxItem> out;
  Use s{shown_to_others_};
  s->bind(1, origin.value);
  s->bind(2, recipient_key(bot::Recipient::dm(origin)));
  while (s->executeStep()) out.push_back(read_item(*s));
  return out;
}

void SqliteOutboxRepository::forget_message(const bot::OutboxItem& first) {
  if (!first.platform_ref) return;
  Use s{forget_message_};
  s->bind(1, std::string{bot::to_string(first.platform)});
  s->bind(2, *first.platform_ref);
  s->bind(3, first.recipient_key);
  bind_optional(*s, 4, first.message.update_key);
  s->exec();
}

void SqliteOutboxRepository::forget_home(bot::PersonId person) {
  Use s{forget_home_};
  s->bind(1, recipient_key(bot::Recipient::home_of(person)));
  s->exec();
}

bool SqliteOutboxRepository::ever_queued(bot::Platform platform, const bot::Recipient& to,
                                         const std::string& update_key) {
  Use s{ever_queued_};
  s->bind(1, recipient_key(to));
  s->bind(2, update_key);
  s->bind(3, std::string{bot::to_string(platform)});
  s->executeStep();
  return s->getColumn(0).getInt() != 0;
}

std::vector<bot::OutboxItem> SqliteOutboxRepository::dead(std::size_t limit) {
  std::vector<bot::OutboxItem> out;
  Use s{list_dead_};
  s->bind(1, static_cast<std::int64_t>(limit));
  while (s->executeStep()) out.push_back(read_item(*s));
  return out;
}

bool SqliteOutboxRepository::retry(bot::OutboxId id, bot::Instant now) {
  Use s{requeue_};
  s->bind(1, id.value);
  s->bind(2, bot::to_unix_ms(now));
  return s->exec() == 1;
}

std::size_t SqliteOutboxRepository::count(bot::OutboxStatus status) {
  Use s{count_};
  s->bind(1, status_text(status));
  s->executeStep();
  return static_cast<std::size_t>(s->getColumn(0).getInt64());
}

std::optional<bot::Instant> SqliteOutboxRepository::next_attempt(bot::Platform platform, bot::Instant after) {
  Use s{next_attempt_};
  s->bind(1, std::string{bot::to_string(platform)});
  s->bind(2, bot::to_unix_ms(after));
  if (!s->executeStep() || s->getColumn(0).isNull()) return std::nullopt;
  return bot::from_unix_ms(s->getColumn(0).getInt64());
}

}  // namespace storage
