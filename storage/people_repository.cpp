#include "storage/people_repository.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "storage/statement.hpp"

namespace storage {

namespace {

constexpr const char* kPersonColumns =
    "p.id, p.display_name, p.email, p.locale, p.time_zone, p.manager_id, p.team, p.checkin_weekday, "
    "p.checkin_minute, p.paused_until, p.weekly_budget_minutes, p.onboarded, p.onboarding_offered, p.created_at, "
    "p.visibility, p.region";

// {"checkins": "manager", ...}; kinds left out are private.
std::string visibility_json(const bot::VisibilityDefaults& v) {
  nlohmann::json j = nlohmann::json::object();
  for (auto k : {bot::ItemKind::checkins, bot::ItemKind::reflections, bot::ItemKind::evidence, bot::ItemKind::achievements})
    if (v.of(k) != bot::Visibility::owner) j[std::string{bot::to_string(k)}] = bot::to_string(v.of(k));
  return j.dump();
}


std::string select_people(const char* tail) {
  return std::string{"SELECT "} + kPersonColumns + " FROM people p " + tail;
}

bot::Person read_person(SQLite::Statement& s) {
  bot::Person p;
  p.id = bot::PersonId{s.getColumn(0).getInt64()};
  p.display_name = s.getColumn(1).getString();
  p.email = optional_text(s.getColumn(2));
  p.locale = s.getColumn(3).getString();
  p.prefs.time_zone = s.getColumn(4).getString();
  if (!s.getColumn(5).isNull()) p.manager = bot::PersonId{s.getColumn(5).getInt64()};
  p.team = optional_text(s.getColumn(6));
  p.prefs.checkin_weekday = s.getColumn(7).getInt();
  p.prefs.checkin_minute = s.getColumn(8).getInt();
  p.prefs.paused_until = optional_text(s.getColumn(9));
  p.prefs.weekly_budget_minutes = optional_int(s.getColumn(10));
  p.onboarded = s.getColumn(11).getInt() != 0;
  p.onboarding_offered = s.getColumn(12).getInt() != 0;
  p.created_at = bot::from_unix_ms(s.getColumn(13).getInt64());
  p.prefs.visibility = parse_visibility(s.getColumn(14).getString());
  // Written only by the directory import, so update() leaves it alone.
  if (!s.getColumn(15).isNull()) p.region = s.getColumn(15).getString();
  return p;
}

// Binds the mutable columns in the order both INSERT and UPDATE list them (1..13).
void bind_person(SQLite::Statement& s, const bot::Person& p) {
  s.bind(1, p.display_name);
  bind_optional(s, 2, p.email);
  s.bind(3, p.locale);
  s.bind(4, p.prefs.time_zone);
  if (p.manager) s.bind(5, p.manager->value);
  else s.bind(5);
  bind_optional(s, 6, p.team);
  s.bind(7, p.prefs.checkin_weekday);
  s.bind(8, p.prefs.checkin_minute);
  bind_optional(s, 9, p.prefs.paused_until);
  bind_optional(s, 10, p.prefs.weekly_budget_minutes);
  s.bind(11, p.onboarded ? 1 : 0);
  s.bind(12, p.onboarding_offered ? 1 : 0);
  s.bind(13, bot::to_unix_ms(p.created_at));
  s.bind(15, visibility_json(p.prefs.visibility));
}

}  // namespace

bot::VisibilityDefaults parse_visibility(const std::string& text) {
  bot::VisibilityDefaults v;
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return v;
  for (auto it = j.begin(); it != j.end(); ++it) {
    bot::ItemKind kind{};
    bot::Visibility level{};
    if (it.value().is_string() && bot::parse(it.key(), kind) && bot::parse(it.value().get<std::string>(), level))
      v.set(kind, level);
  }
  return v;
}

SqlitePeopleRepository::SqlitePeopleRepository(SQLite::Database& db)
    : db_(db),
      find_(db, select_people("WHERE p.id = ?1")),
      find_by_identity_(db, select_people("JOIN identities i ON i.person_id = p.id "
                                          "WHERE i.platform = ?1 AND i.tenant = ?2 AND i.user_id = ?3")),
      insert_(db,
              "INSERT INTO people (display_name, email, locale, time_zone, manager_id, team, checkin_weekday, "
              "checkin_minute, paused_until, weekly_budget_minutes, onboarded, onboarding_offered, created_at, "
              "updated_at, visibility) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?15)"),
      insert_identity_(db,
                       "INSERT INTO identities (platform, tenant, user_id, person_id, created_at) "
                       "VALUES (?1, ?2, ?3, ?4, ?5)"),
      update_(db,
              "UPDATE people SET display_name = ?1, email = ?2, locale = ?3, time_zone = ?4, manager_id = ?5, "
              "team = ?6, checkin_weekday = ?7, checkin_minute = ?8, paused_until = ?9, "
              "weekly_budget_minutes = ?10, onboarded = ?11, onboarding_offered = ?12, created_at = ?13, visibility = ?15, "
              "updated_at = strftime('%s', 'now') * 1000 WHERE id = ?14"),
      identities_(db, "SELECT platform, tenant, user_id FROM identities WHERE person_id = ?1 ORDER BY created_at"),
      reports_(db, select_people("WHERE p.manager_id = ?1 ORDER BY p.display_name, p.id")),
      foreign_keys_(db, "PRAGMA foreign_keys"),
      erase_(db, "DELETE FROM people WHERE id = ?1"),
      count_erasure_(db,
                     "INSERT INTO erasures (month, count) VALUES (strftime('%Y-%m', ?1 / 1000, 'unixepoch'), 1) "
                     "ON CONFLICT (month) DO UPDATE SET count = count + 1") {}

std::optional<bot::Person> SqlitePeopleRepository::find(bot::PersonId id) {
  Use s{find_};
  s->bind(1, id.value);
  if (!s->executeStep()) return std::nullopt;
  return read_person(*s);
}

std::vector<bot::Person> SqlitePeopleRepository::reports(bot::PersonId manager) {
  std::vector<bot::Person> out;
  Use s{reports_};
  s->bind(1, manager.value);
  while (s->executeStep()) out.push_back(read_person(*s));
  return out;
}

std::optional<bot::Person> SqlitePeopleRepository::find_by_identity(const bot::Identity& who) {
  Use s{find_by_identity_};
  s->bind(1, std::string{bot::to_string(who.platform)});
  s->bind(2, who.tenant);
  s->bind(3, who.user);
  if (!s->executeStep()) return std::nullopt;
  return read_person(*s);
}

bot::Person SqlitePeopleRepository::create(const bot::Person& person, const bot::Identity& who) {
  bot::Person stored = person;
  {
    Use s{insert_};
    bind_person(*s, person);
    s->exec();
    stored.id = bot::PersonId{db_.getLastInsertRowid()};
  }
  Use s{insert_identity_};
  s->bind(1, std::string{bot::to_string(who.platform)});
  s->bind(2, who.tenant);
  s->bind(3, who.user);
  s->bind(4, stored.id.value);
  s->bind(5, bot::to_unix_ms(person.created_at));
  s->exec();
  return stored;
}

void SqlitePeopleRepository::update(const bot::Person& person) {
  Use s{update_};
  bind_person(*s, person);
  s->bind(14, person.id.value);
  s->exec();
}

std::vector<bot::Identity> SqlitePeopleRepository::identities(bot::PersonId id) {
  std::vector<bot::Identity> out;
  Use s{identities_};
  s->bind(1, id.value);
  while (s->executeStep()) {
    bot::Identity i;
    bot::parse_platform(s->getColumn(0).getString(), i.platform);
    i.tenant = s->getColumn(1).getString();
    i.user = s->getColumn(2).getString();
    out.push_back(std::move(i));
  }
  return out;
}

void SqlitePeopleRepository::erase(bot::PersonId id, bot::Instant now) {
  ++erasures_run_;  // before anything: a rolled-back erase only costs a cache refill
  // Everything of theirs goes through ON DELETE CASCADE. With foreign keys off the
  // DELETE would still succeed and silently leave their records behind.
  {
    Use s{foreign_keys_};
    if (!s->executeStep() || s->getColumn(0).getInt() != 1)
      throw std::logic_error("storage: erasing a person needs PRAGMA foreign_keys = ON");
  }
  int removed = 0;
  {
    Use s{erase_};
    s->bind(1, id.value);
    removed = s->exec();
  }
  // A repeated request (a redelivered event, a second click) erased nobody: count once.
  if (removed == 0) return;
  Use s{count_erasure_};
  s->bind(1, bot::to_unix_ms(now));
  s->exec();
}

}  // namespace storage
