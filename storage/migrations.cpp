#include "storage/migrations.hpp"

namespace storage {

namespace {

// Times are UTC unix milliseconds (INTEGER); calendar dates are ISO 'YYYY-MM-DD' text;
// zones are IANA names. JSON columns hold documents owned by bot/ (messages, dialog
// state); everything that is queried has its own column.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE people (
  id                    INTEGER PRIMARY KEY,
  display_name          TEXT NOT NULL,
  email                 TEXT UNIQUE,
  locale                TEXT NOT NULL DEFAULT 'en',
  time_zone             TEXT NOT NULL,
  manager_id            INTEGER REFERENCES people(id) ON DELETE SET NULL,
  team                  TEXT,
  checkin_weekday       INTEGER NOT NULL CHECK (checkin_weekday BETWEEN 1 AND 7),
  checkin_minute        INTEGER NOT NULL CHECK (checkin_minute BETWEEN 0 AND 1439),
  quiet_start_minute    INTEGER CHECK (quiet_start_minute BETWEEN 0 AND 1439),
  quiet_end_minute      INTEGER CHECK (quiet_end_minute BETWEEN 0 AND 1439),
  paused_until          TEXT,
  weekly_budget_minutes INTEGER CHECK (weekly_budget_minutes >= 0),
  visibility            TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(visibility)),
  onboarded             INTEGER NOT NULL DEFAULT 0 CHECK (onboarded IN (0, 1)),
  onboarding_offered    INTEGER NOT NULL DEFAULT 0 CHECK (onboarding_offered IN (0, 1)),
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL,
  CHECK (manager_id IS NULL OR manager_id <> id)
);
CREATE INDEX people_manager ON people(manager_id);

CREATE TABLE identities (
  platform         TEXT NOT NULL CHECK (platform IN ('console', 'slack', 'teams')),
  tenant           TEXT NOT NULL,
  user_id          TEXT NOT NULL,
  person_id        INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  conversation_ref TEXT,
  created_at       INTEGER NOT NULL,
  PRIMARY KEY (platform, tenant, user_id)
);
CREATE INDEX identities_person ON identities(person_id);

CREATE TABLE plans (
  id               INTEGER PRIMARY KEY,
  person_id        INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  period_start     TEXT NOT NULL,
  period_end       TEXT NOT NULL,
  aspiration_short TEXT NOT NULL DEFAULT '',
  aspiration_long  TEXT NOT NULL DEFAULT '',
  objective        TEXT NOT NULL DEFAULT '',
  status           TEXT NOT NULL DEFAULT 'draft' CHECK (status IN
                     ('draft', 'submitted', 'approved', 'changes_requested', 'active', 'completed', 'archived')),
  submitted_at     INTEGER,
  decided_at       INTEGER,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  CHECK (period_end > period_start)
);
CREATE UNIQUE INDEX plans_one_per_period ON plans(person_id, period_start) WHERE status <> 'archived';

CREATE TABLE goals (
  id          INTEGER PRIMARY KEY,
  plan_id     INTEGER REFERENCES plans(id) ON DELETE CASCADE,
  person_id   INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  statement   TEXT NOT NULL CHECK (length(statement) > 0),
  measure     TEXT NOT NULL DEFAULT '',
  target      TEXT NOT NULL DEFAULT '',
  support     TEXT NOT NULL DEFAULT '',
  relevance   TEXT NOT NULL DEFAULT '',
  target_date TEXT,
  kind        TEXT NOT NULL DEFAULT 'current_role' CHECK (kind IN ('current_role', 'career', 'leadership')),
  skill_tags  TEXT NOT NULL DEFAULT '[]',
  progress    INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'achieved', 'dropped')),
  position    INTEGER NOT NULL DEFAULT 0,
  achieved_at INTEGER,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX goals_person ON goals(person_id, status);

CREATE TABLE activities (
  id              INTEGER PRIMARY KEY,
  goal_id         INTEGER NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
  kind            TEXT NOT NULL CHECK (kind IN
                    ('course', 'on_the_job', 'mentoring', 'reading', 'conference', 'cross_team', 'other')),
  title           TEXT NOT NULL,
  resource        TEXT NOT NULL DEFAULT '',
  planned_minutes INTEGER CHECK (planned_minutes >= 0),
  status          TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'done', 'dropped')),
  created_at      INTEGER NOT NULL
);
CREATE INDEX activities_goal ON activities(goal_id);

CREATE TABLE checkins (
  id               INTEGER PRIMARY KEY,
  person_id        INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  iso_week         TEXT NOT NULL CHECK (iso_week GLOB '[0-9][0-9][0-9][0-9]-W[0-5][0-9]'),
  revision         INTEGER NOT NULL CHECK (revision >= 1),
  overall_progress INTEGER CHECK (overall_progress BETWEEN 0 AND 100),
  minutes_spent    INTEGER CHECK (minutes_spent >= 0),
  learned          TEXT NOT NULL DEFAULT '',
  blockers         TEXT NOT NULL DEFAULT '',
  need_help        INTEGER NOT NULL DEFAULT 0 CHECK (need_help IN (0, 1)),
  confidence       INTEGER CHECK (confidence BETWEEN 1 AND 5),
  next_step        TEXT NOT NULL DEFAULT '',
  created_at       INTEGER NOT NULL,
  UNIQUE (person_id, iso_week, revision)
);

CREATE TABLE checkin_goals (
  checkin_id INTEGER NOT NULL REFERENCES checkins(id) ON DELETE CASCADE,
  goal_id    INTEGER NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
  progress   INTEGER NOT NULL CHECK (progress BETWEEN 0 AND 100),
  PRIMARY KEY (checkin_id, goal_id)
) WITHOUT ROWID;

CREATE TABLE reflections (
  id               INTEGER PRIMARY KEY,
  person_id        INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  checkin_id       INTEGER REFERENCES checkins(id) ON DELETE SET NULL,
  learned          TEXT NOT NULL DEFAULT '',
  apply            TEXT NOT NULL DEFAULT '',
  differently      TEXT NOT NULL DEFAULT '',
  visibility       TEXT NOT NULL DEFAULT 'private' CHECK (visibility IN ('private', 'manager', 'team')),
  follow_up_due_at INTEGER,
  followed_up_at   INTEGER,
  applied          TEXT,
  created_at       INTEGER NOT NULL
);
CREATE INDEX reflections_person ON reflections(person_id);

CREATE TABLE evidence (
  id         INTEGER PRIMARY KEY,
  person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  goal_id    INTEGER REFERENCES goals(id) ON DELETE SET NULL,
  content    TEXT NOT NULL,
  url        TEXT,
  visibility TEXT NOT NULL DEFAULT 'private' CHECK (visibility IN ('private', 'manager', 'team')),
  created_at INTEGER NOT NULL
);
CREATE INDEX evidence_person ON evidence(person_id);

CREATE TABLE achievements (
  id         INTEGER PRIMARY KEY,
  person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  goal_id    INTEGER REFERENCES goals(id) ON DELETE SET NULL,
  text       TEXT NOT NULL,
  shared     INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1)),
  channel    TEXT,
  shared_at  INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX achievements_person ON achievements(person_id);

CREATE TABLE reviews (
  id          INTEGER PRIMARY KEY,
  plan_id     INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  reviewer_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('plan_approval', 'progress')),
  decision    TEXT CHECK (decision IN ('approved', 'changes_requested')),
  comment     TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL
);
CREATE INDEX reviews_plan ON reviews(plan_id);

CREATE TABLE nudges (
  id              INTEGER PRIMARY KEY,
  recipient_id    INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  about_person_id INTEGER REFERENCES people(id) ON DELETE CASCADE,
  subject_kind    TEXT NOT NULL,
  subject_id      INTEGER,
  times_sent      INTEGER NOT NULL DEFAULT 0,
  last_sent_at    INTEGER,
  snoozed_until   INTEGER,
  handled_at      INTEGER,
  created_at      INTEGER NOT NULL
);
CREATE INDEX nudges_open ON nudges(recipient_id) WHERE handled_at IS NULL;

-- One open dialog per person. `version` is bumped on every write so that two writers
-- cannot silently overwrite each other (compare-and-set in the UPDATE).
CREATE TABLE dialog_sessions (
  person_id      INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
  dialog         TEXT NOT NULL,
  schema_version INTEGER NOT NULL,
  state          TEXT NOT NULL CHECK (json_valid(state)),
  version        INTEGER NOT NULL CHECK (version >= 1),
  started_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);

CREATE TABLE schedule (
  id             INTEGER PRIMARY KEY,
  kind           TEXT NOT NULL,
  person_id      INTEGER REFERENCES people(id) ON DELETE CASCADE,
  rule           TEXT NOT NULL,
  next_run_at    INTEGER NOT NULL,
  occurrence_key TEXT,
  payload        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
  created_at     INTEGER NOT NULL,
  UNIQUE (kind, person_id)
);
CREATE INDEX schedule_due ON schedule(next_run_at);

CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  platform        TEXT NOT NULL CHECK (platform IN ('console', 'slack', 'teams')),
  person_id       INTEGER REFERENCES people(id) ON DELETE CASCADE,
  recipient_key   TEXT NOT NULL,
  message         TEXT NOT NULL CHECK (json_valid(message)),
  update_key      TEXT,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT,
  platform_ref    TEXT,
  created_at      INTEGER NOT NULL,
  delivered_at    INTEGER
);
CREATE INDEX outbox_due ON outbox(platform, next_attempt_at) WHERE status = 'pending';
-- Delivery is in order per recipient: nothing is sent while an older message to the
-- same recipient is still pending.
CREATE INDEX outbox_recipient ON outbox(recipient_key, id) WHERE status = 'pending';

-- Platform event ids already handled: a redelivery finds its row and changes nothing.
CREATE TABLE processed_events (
  platform     TEXT NOT NULL,
  event_id     TEXT NOT NULL,
  processed_at INTEGER NOT NULL,
  PRIMARY KEY (platform, event_id)
) WITHOUT ROWID;
)sql";

// Reflection follow-ups, kudos, and erasure ("delete my data"). Erasing a person is one
// DELETE FROM people: everything of theirs goes through ON DELETE CASCADE, so every
// table that holds something of a person references people(id) directly or through
// a row that does. SQLite finds the rows to cascade to by the referencing column, so
// those columns are indexed; without an index each erased person is a scan of the
// whole table (the outbox keeps every delivered message).
constexpr std::string_view kV2 = R"sql(
-- What the person said when asked whether they applied the reflection.
ALTER TABLE reflections ADD COLUMN follow_up_note TEXT NOT NULL DEFAULT '';
CREATE INDEX reflections_follow_up ON reflections(person_id, follow_up_due_at) WHERE followed_up_at IS NULL;
CREATE INDEX reflections_checkin ON reflections(checkin_id);

CREATE INDEX evidence_goal ON evidence(goal_id);

-- Reaching a goal is celebrated once; a second approval of the post replaces the first.
CREATE UNIQUE INDEX achievements_one_per_goal ON achievements(goal_id) WHERE goal_id IS NOT NULL;

-- One kudos per person and achievement. Erasing the giver removes their kudos.
CREATE TABLE kudos (
  achievement_id INTEGER NOT NULL REFERENCES achievements(id) ON DELETE CASCADE,
  giver_id       INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  created_at     INTEGER NOT NULL,
  PRIMARY KEY (achievement_id, giver_id)
) WITHOUT ROWID;
CREATE INDEX kudos_giver ON kudos(giver_id);

-- All that is left of an erased person: how many were erased in a UTC month ('YYYY-MM').
CREATE TABLE erasures (
  month TEXT PRIMARY KEY CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
  count INTEGER NOT NULL CHECK (count > 0)
) WITHOUT ROWID;

-- The person whose event caused the message. A message about them can go to someone
-- else (their manager, a channel), so the recipient alone does not find it on erasure.
ALTER TABLE outbox ADD COLUMN origin_person_id INTEGER REFERENCES people(id) ON DELETE CASCADE;
CREATE INDEX outbox_origin ON outbox(origin_person_id);
CREATE INDEX outbox_person ON outbox(person_id);

CREATE INDEX plans_person ON plans(person_id);
CREATE INDEX checkin_goals_goal ON checkin_goals(goal_id);
CREATE INDEX reviews_reviewer ON reviews(reviewer_id);
)sql";

// The org directory (`coachbot import-directory`). Region is a free-text label from
// the directory (which holiday calendar applies is decided from it later). The import
// matches people by email with letter case ignored, and by a platform user id whose
// tenant the file may leave out: without these two indexes each row of a large
// directory would be a scan of people or identities.
constexpr std::string_view kV3 = R"sql(
ALTER TABLE people ADD COLUMN region TEXT;
CREATE INDEX people_email_nocase ON people(email COLLATE NOCASE);
CREATE INDEX identities_user ON identities(platform, user_id);
)sql";

// Message updates (bot::OutboxItem::replaces): the outbox keeps every delivered
// message, so finding the last one sent with an update key needs an index. Few
// messages have a key, hence the partial index.
constexpr std::string_view kV4 = R"sql(
CREATE INDEX outbox_update_key ON outbox(recipient_key, update_key, id) WHERE update_key IS NOT NULL;
)sql";

// Teams: where each person and channel can be reached later (conversation references),
// and the card a submit came from, found by the activity id Teams sends back.
// Erasing a person removes their references with them.
constexpr std::string_view kV5 = R"sql(
CREATE TABLE conversations (
  platform        TEXT NOT NULL CHECK (platform IN ('slack', 'teams')),
  conversation_id TEXT NOT NULL CHECK (conversation_id <> ''),
  tenant          TEXT NOT NULL,
  kind            TEXT NOT NULL CHECK (kind IN ('personal', 'user', 'channel', 'groupChat')),
  service_url     TEXT NOT NULL,
  person_id       INTEGER REFERENCES people(id) ON DELETE CASCADE,
  user_id         TEXT NOT NULL DEFAULT '',
  team_id         TEXT NOT NULL DEFAULT '',
  active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  inactive_reason TEXT NOT NULL DEFAULT '',
  updated_at      INTEGER NOT NULL,
  PRIMARY KEY (platform, conversation_id)
) WITHOUT ROWID;
CREATE INDEX conversations_person ON conversations(person_id) WHERE person_id IS NOT NULL;
CREATE INDEX conversations_recent ON conversations(platform, tenant, updated_at);
CREATE INDEX outbox_platform_ref ON outbox(platform, platform_ref) WHERE platform_ref IS NOT NULL;
)sql";

// The sender asks for the first due messages in id order after every few deliveries.
// Through outbox_due that meant reading every pending message and sorting them, each
// time: with a thousand replies queued, an eighth of the service's CPU. In id order
// the scan stops after the page it needs.
constexpr std::string_view kV6 = R"sql(
CREATE INDEX outbox_pending ON outbox(platform, id) WHERE status = 'pending';
)sql";

// Every message queued and every one delivered writes each index on pending messages
// (a page each in the WAL, then fsynced). Since outbox_pending serves the due scan,
// outbox_due only served the search for the next retry. That search runs when nothing
// is due, once per wait and not per delivery, and reads the pending messages through
// outbox_pending instead: usually a few, an outage's backlog at worst.
constexpr std::string_view kV7 = R"sql(
DROP INDEX outbox_due;
)sql";

// The outbox again, for two reasons that need a new table (SQLite cannot change a
// column's constraints in place):
// - AUTOINCREMENT: ids are never reused. Without it a new row takes max(id) + 1, so
//   when an erasure deleted the newest row while its delivery was on the way, the next
//   message queued (the erasure's own, often) got the same id, and the delivery's
//   "delivered" mark landed on it: a message marked sent that never went.
// - CHECKs written as comparisons: SQLite evaluates `x IN ('a', 'b', 'c')` in a CHECK
//   by building a temporary b-tree of the list each time a statement runs, and every
//   message queued and every delivery marked ran one or two.
constexpr std::string_view kV8 = R"sql(
CREATE TABLE outbox_v8 (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  platform         TEXT NOT NULL CHECK (platform = 'console' OR platform = 'slack' OR platform = 'teams'),
  person_id        INTEGER REFERENCES people(id) ON DELETE CASCADE,
  recipient_key    TEXT NOT NULL,
  message          TEXT NOT NULL CHECK (json_valid(message)),
  update_key       TEXT,
  status           TEXT NOT NULL DEFAULT 'pending'
                   CHECK (status = 'pending' OR status = 'delivered' OR status = 'dead'),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  last_error       TEXT,
  platform_ref     TEXT,
  created_at       INTEGER NOT NULL,
  delivered_at     INTEGER,
  origin_person_id INTEGER REFERENCES people(id) ON DELETE CASCADE
);
INSERT INTO outbox_v8 (id, platform, person_id, recipient_key, message, update_key, status, attempts,
                       next_attempt_at, last_error, platform_ref, created_at, delivered_at, origin_person_id)
  SELECT id, platform, person_id, recipient_key, message, update_key, status, attempts,
         next_attempt_at, last_error, platform_ref, created_at, delivered_at, origin_person_id FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v8 RENAME TO outbox;
CREATE INDEX outbox_recipient ON outbox(recipient_key, id) WHERE status = 'pending';
CREATE INDEX outbox_origin ON outbox(origin_person_id);
CREATE INDEX outbox_person ON outbox(person_id);
CREATE INDEX outbox_update_key ON outbox(recipient_key, update_key, id) WHERE update_key IS NOT NULL;
CREATE INDEX outbox_platform_ref ON outbox(platform, platform_ref) WHERE platform_ref IS NOT NULL;
CREATE INDEX outbox_pending ON outbox(platform, id) WHERE status = 'pending';
)sql";

constexpr Migration kMigrations[] = {{1, kV1}, {2, kV2}, {3, kV3}, {4, kV4}, {5, kV5}, {6, kV6}, {7, kV7}, {8, kV8}};

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }
int latest_schema_version() { return kMigrations[std::size(kMigrations) - 1].version; }

}  // namespace storage
