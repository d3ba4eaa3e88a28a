#include "storage/directory_import.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include "bot/text.hpp"
#include "storage/statement.hpp"

namespace storage {

namespace {

using bot::DirectoryEntry;

// A stored person as the import compares them.
struct Stored {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> email;
  std::string time_zone;
  std::optional<std::string> team;
  std::optional<std::string> region;
  std::optional<std::int64_t> manager;
  std::optional<std::string> manager_label;  // the manager's email, else their name
  std::vector<bot::Identity> identities;     // Slack and Teams
};

enum class RowState { pending, written, failed };

// One row on its way into the database.
struct RowPlan {
  const DirectoryEntry* entry = nullptr;
  std::optional<Stored> stored;           // nullopt: a new person
  std::vector<bot::Identity> link;        // platform ids to add to them
  std::optional<std::string> problem;     // set: the row is skipped, and why
  std::optional<std::size_t> manager_row;   // the manager is (also) this row of the file
  std::optional<std::int64_t> manager_id;   // the manager is this stored person
  RowState state = RowState::pending;
  std::int64_t person = 0;  // once written: the person's id
};

std::string identity_label(const bot::Identity& i) { return i.tenant.empty() ? i.user : i.tenant + "/" + i.user; }

std::string platform_name(bot::Platform p) { return p == bot::Platform::slack ? "slack" : "teams"; }

std::optional<std::string> identities_label(const std::vector<bot::Identity>& ids, bot::Platform platform) {
  std::vector<std::string> labels;
  for (const auto& i : ids)
    if (i.platform == platform) labels.push_back(identity_label(i));
  if (labels.empty()) return std::nullopt;
  return bot::join(labels, ", ");
}

// The person's email as the file will leave it: the row's, else the stored one.
std::optional<std::string> final_email(const RowPlan& r) {
  if (r.entry->email) return r.entry->email;
  if (r.stored && r.stored->email) return bot::lower(*r.stored->email);
  return std::nullopt;
}

// How the report and messages name a row's person.
std::string who(const RowPlan& r) {
  if (auto e = final_email(r)) return *e;
  if (r.entry->slack) return "slack " + r.entry->slack->user;
  if (r.entry->teams) return "teams " + r.entry->teams->user;
  return r.stored ? r.stored->name : std::string{"?"};
}

bool is_constraint(const SQLite::Exception& e) { return (e.getExtendedErrorCode() & 0xff) == SQLITE_CONSTRAINT; }

}  // namespace

// One import: the rows, what they matched, and the passes over them. People in the
// manager graph are nodes: a stored person is their id (> 0), a new one -(row + 1).
class SqliteDirectoryImport::Run {
 public:
  Run(SqliteDirectoryImport& s, const bot::Directory& d, const bot::Defaults& defaults, bot::Instant now,
      const Progress& progress)
      : s_(s), defaults_(defaults), now_(now), progress_(progress), total_(2 * d.entries.size()) {
    for (const auto& p : d.problems)
      if (p.email) unreadable_email_.emplace(*p.email, p.where);
    rows_.reserve(d.entries.size());
    for (const auto& e : d.entries) {
      RowPlan r;
      r.entry = &e;
      rows_.push_back(std::move(r));
    }
  }

  bot::DirectoryImportResult run() {
    std::unordered_map<std::int64_t, std::size_t> row_of_person;
    std::unordered_map<std::string, std::size_t> row_of_email;
    std::map<std::pair<bot::Platform, std::string>, std::size_t> row_of_id;
    for (std::size_t r = 0; r < rows_.size(); ++r) {
      match(rows_[r]);
      claim(r, row_of_person, row_of_email, row_of_id);
      tick();
    }
    resolve_managers();
    for (std::size_t r = 0; r < rows_.size(); ++r) {
      apply_chain(r);
      tick();
    }
    for (const auto& r : rows_)
      if (r.problem) result_.skipped.push_back({r.entry->where, *r.problem, r.entry->email});
    // Written managers first; reported in file order.
    std::stable_sort(result_.changes.begin(), result_.changes.end(),
                     [](const bot::PersonChange& a, const bot::PersonChange& b) { return a.where < b.where; });
    return std::move(result_);
  }

 private:
  void tick() {
    if (progress_) progress_(++done_, total_);
  }

  // --- lookups ---

  std::vector<std::int64_t> people_by_email(const std::string& email) {
    std::vector<std::int64_t> out;
    Use s{s_.by_email_};
    s->bind(1, email);
    while (s->executeStep()) out.push_back(s->getColumn(0).getInt64());
    return out;
  }

  // (person, tenant) for a platform id; in any tenant when the row gives none.
  std::vector<std::pair<std::int64_t, std::string>> people_by_identity(const bot::Identity& id) {
    std::vector<std::pair<std::int64_t, std::string>> out;
    auto& stmt = id.tenant.empty() ? s_.by_user_ : s_.by_identity_;
    Use s{stmt};
    s->bind(1, std::string{bot::to_string(id.platform)});
    s->bind(2, id.user);
    if (!id.tenant.empty()) s->bind(3, id.tenant);
    while (s->executeStep()) out.emplace_back(s->getColumn(0).getInt64(), s->getColumn(1).getString());
    return out;
  }

  Stored load(std::int64_t id) {
    Stored p;
    {
      Use s{s_.person_};
      s->bind(1, id);
      s->executeStep();  // the id came from a row of people in this transaction
      p.id = id;
      p.name = s->getColumn(0).getString();
      p.email = optional_text(s->getColumn(1));
      p.time_zone = s->getColumn(2).getString();
      p.team = optional_text(s->getColumn(3));
      p.region = optional_text(s->getColumn(4));
      if (!s->getColumn(5).isNull()) p.manager = s->getColumn(5).getInt64();
      p.manager_label = optional_text(s->getColumn(6));
    }
    Use s{s_.identities_};
    s->bind(1, id);
    while (s->executeStep()) {
      bot::Identity i;
      bot::parse_platform(s->getColumn(0).getString(), i.platform);
      i.tenant = s->getColumn(1).getString();
      i.user = s->getColumn(2).getString();
      p.identities.push_back(std::move(i));
    }
    return p;
  }

  // "person 12 (Bob Example)"
  std::string describe(std::int64_t id) {
    Use s{s_.label_};
    s->bind(1, id);
    std::string name = s->executeStep() ? s->getColumn(1).getString() : "?";
    return "person " + std::to_string(id) + " (" + name + ")";
  }

  std::string label(std::int64_t node) {
    if (node < 0) return who(rows_[static_cast<std::size_t>(-node - 1)]);
    if (auto it = live_person_.find(node); it != live_person_.end()) return who(rows_[it->second]);
    Use s{s_.label_};
    s->bind(1, node);
    if (!s->executeStep()) return "person " + std::to_string(node);
    return s->getColumn(0).isNull() ? s->getColumn(1).getString() : s->getColumn(0).getString();
  }

  std::optional<std::int64_t> stored_manager(std::int64_t id) {
    if (auto it = manager_cache_.find(id); it != manager_cache_.end()) return it->second;
    std::optional<std::int64_t> m;
    {
      Use s{s_.manager_of_};
      s->bind(1, id);
      if (s->executeStep() && !s->getColumn(0).isNull()) m = s->getColumn(0).getInt64();
    }
    manager_cache_.emplace(id, m);
    return m;
  }

  // --- pass 1: who each row is ---

  void match(RowPlan& r) {
    const DirectoryEntry& e = *r.entry;
    std::optional<std::int64_t> person;
    std::string found_by;
    const auto agree = [&](std::int64_t id, const std::string& how) {
      if (!person) {
        person = id;
        found_by = how;
      } else if (*person != id && !r.problem) {
        r.problem = found_by + " is " + describe(*person) + " but " + how + " is " + describe(id) +
                    "; one of them is out of date";
      }
    };
    if (e.email) {
      const auto ids = people_by_email(*e.email);
      if (ids.size() > 1) {
        r.problem = "email " + *e.email + " matches " + std::to_string(ids.size()) +
                    " people whose emails differ only in letter case";
        return;
      }
      if (ids.size() == 1) agree(ids[0], "email " + *e.email);
    }
    for (const auto* id : {&e.slack, &e.teams}) {
      if (!*id) continue;
      const bot::Identity& want = **id;
      const std::string name = platform_name(want.platform);
      const std::string tenant_column = want.platform == bot::Platform::slack ? "slack_team" : "teams_tenant";
      const auto found = people_by_identity(want);
      const bool one_person = std::all_of(found.begin(), found.end(), [&](const auto& f) {
        return f.first == found.front().first;
      });
      if (!one_person) {
        r.problem = name + " id " + want.user + " belongs to " + std::to_string(found.size()) +
                    " people in different tenants; add " + tenant_column + " to say which";
        return;
      }
      if (!found.empty()) {
        agree(found.front().first, name + " id " + want.user);
      } else if (want.tenant.empty()) {
        // The tenant is part of who someone is on a platform: without it the id
        // could not be recognised when they first write to the bot.
        r.problem = name + " id " + want.user + " is new; add " + tenant_column + " so it can be linked";
        return;
      } else {
        r.link.push_back(want);
      }
    }
    if (r.problem) return;
    if (person) r.stored = load(*person);
    else if (!e.name) r.problem = "name is needed to add a new person";
  }

  // An earlier row already describing the same person, email or platform id wins.
  void claim(std::size_t r, std::unordered_map<std::int64_t, std::size_t>& by_person,
             std::unordered_map<std::string, std::size_t>& by_email,
             std::map<std::pair<bot::Platform, std::string>, std::size_t>& by_id) {
    RowPlan& row = rows_[r];
    if (row.problem) return;
    const auto line = [&](std::size_t other) { return rows_[other].entry->where.str(); };
    if (row.stored) {
      if (auto it = by_person.find(row.stored->id); it != by_person.end()) {
        row.problem = "the same person as " + line(it->second);
        return;
      }
    }
    const auto email = final_email(row);
    if (email) {
      if (auto it = by_email.find(*email); it != by_email.end()) {
        row.problem = "email " + *email + " is also on " + line(it->second);
        return;
      }
    }
    for (const auto* id : {&row.entry->slack, &row.entry->teams}) {
      if (!*id) continue;
      if (auto it = by_id.find({(*id)->platform, (*id)->user}); it != by_id.end()) {
        row.problem = platform_name((*id)->platform) + " id " + (*id)->user + " is also on " + line(it->second);
        return;
      }
    }
    if (row.stored) by_person.emplace(row.stored->id, r);
    if (email) by_email.emplace(*email, r);
    for (const auto* id : {&row.entry->slack, &row.entry->teams})
      if (*id) by_id.emplace(std::pair{(*id)->platform, (*id)->user}, r);
  }

  // --- pass 2: managers ---

  // Skipping a row can take away the manager of another, and a row that keeps its
  // stored manager can close a loop only once a row that would have changed it is
  // skipped: repeat until nothing more is skipped.
  void resolve_managers() {
    bool changed = true;
    while (changed) {
      changed = false;
      live_email_.clear();
      live_person_.clear();
      skipped_email_ = unreadable_email_;
      for (std::size_t r = 0; r < rows_.size(); ++r) {
        const auto email = final_email(rows_[r]);
        if (rows_[r].problem) {
          if (rows_[r].entry->email) skipped_email_.emplace(*rows_[r].entry->email, rows_[r].entry->where);
          continue;
        }
        if (email) live_email_.emplace(*email, r);
        if (rows_[r].stored) live_person_.emplace(rows_[r].stored->id, r);
      }
      // A manager's row is resolved before its reports', so that a skipped manager
      // takes the rows below them along in this same pass, whatever the file order.
      std::vector<char> resolved(rows_.size(), 0);
      for (std::size_t r = 0; r < rows_.size(); ++r) {
        std::vector<std::size_t> chain;
        for (std::optional<std::size_t> at = r; at && !resolved[*at]; at = manager_row_in_file(*at)) {
          resolved[*at] = 1;  // also stops a walk around a loop
          chain.push_back(*at);
        }
        for (auto it = chain.rbegin(); it != chain.rend(); ++it) changed = find_manager(*it) || changed;
      }
      changed = find_loops() || changed;
    }
  }

  bool sets_manager(const RowPlan& r) const {
    return !r.problem && r.entry->manager_email && !r.entry->manager_email->empty();
  }

  // The row of the file the row's manager_email names, if any.
  std::optional<std::size_t> manager_row_in_file(std::size_t r) const {
    if (!sets_manager(rows_[r])) return std::nullopt;
    const auto it = live_email_.find(*rows_[r].entry->manager_email);
    if (it == live_email_.end()) return std::nullopt;
    return it->second;
  }

  // True when the row is skipped for its manager.
  bool find_manager(std::size_t r) {
    RowPlan& row = rows_[r];
    if (!sets_manager(row)) return false;
    const std::string& m = *row.entry->manager_email;
    row.manager_row.reset();
    row.manager_id.reset();
    std::optional<bot::RowRef> skipped_at;
    if (auto it = live_email_.find(m); it != live_email_.end()) {
      if (it->second == r) {
        row.problem = "manager_email " + m + " is this same person";
        return true;
      }
      if (!rows_[it->second].problem) {
        row.manager_row = it->second;
        return false;
      }
      skipped_at = rows_[it->second].entry->where;
    } else if (auto s = skipped_email_.find(m); s != skipped_email_.end()) {
      skipped_at = s->second;
    }
    const auto ids = people_by_email(m);
    if (ids.size() > 1) {
      row.problem = "manager " + m + " matches " + std::to_string(ids.size()) +
                    " people whose emails differ only in letter case";
    } else if (ids.empty()) {
      row.problem = skipped_at ? "manager " + m + " is on " + skipped_at->str() + ", which is skipped"
                               : "manager " + m + " is neither in this file nor in the database";
    } else if (auto it = live_person_.find(ids[0]); it != live_person_.end() && !rows_[it->second].problem) {
      // Their row gives them another email, so this one is on its way out.
      row.problem = "manager " + m + " is the person on " + rows_[it->second].entry->where.str() +
                    ", whose email changes to " + final_email(rows_[it->second]).value_or("(none)");
    } else if (row.stored && row.stored->id == ids[0]) {
      row.problem = "manager_email " + m + " is this same person";
    } else {
      row.manager_id = ids[0];
    }
    return row.problem.has_value();
  }

  std::int64_t node_of(std::size_t r) const {
    return rows_[r].stored ? rows_[r].stored->id : -static_cast<std::int64_t>(r) - 1;
  }

  // A node's manager once the file is applied.
  std::optional<std::int64_t> manager_of(std::int64_t node) {
    std::optional<std::size_t> r;
    if (node < 0) r = static_cast<std::size_t>(-node - 1);
    else if (auto it = live_person_.find(node); it != live_person_.end()) r = it->second;
    if (!r) return stored_manager(node);
    const RowPlan& row = rows_[*r];
    if (!row.entry->manager_email) return row.stored ? row.stored->manager : std::nullopt;  // no column: kept
    if (row.manager_row) return node_of(*row.manager_row);
    return row.manager_id;
  }

  // Follows every chain of managers once (a node is new, on the walk in progress, or
  // done), so a deep org costs one step per person. A walk that meets itself has found
  // a loop; every row on it that sets a manager is skipped, since any of them may be
  // the mistake. True when a row was skipped.
  bool find_loops() {
    enum class Mark { walking, done };
    std::unordered_map<std::int64_t, Mark> marks;
    bool skipped = false;
    for (std::size_t r = 0; r < rows_.size(); ++r) {
      if (!sets_manager(rows_[r])) continue;
      std::vector<std::int64_t> path;
      std::optional<std::int64_t> at = node_of(r);
      while (at && !marks.contains(*at)) {
        marks.emplace(*at, Mark::walking);
        path.push_back(*at);
        at = manager_of(*at);
      }
      if (at && marks.at(*at) == Mark::walking) {
        const auto first = std::find(path.begin(), path.end(), *at);
        // The same text goes on every row of the loop: a few names say enough.
        constexpr std::ptrdiff_t kShown = 6;
        std::string chain;
        for (auto n = first; n != path.end() && n - first < kShown; ++n) chain += label(*n) + " \u2192 ";
        if (const auto more = path.end() - first - kShown; more > 0)
          chain += "\u2026 (" + std::to_string(more) + " more) \u2192 ";
        chain += label(*at);
        for (auto n = first; n != path.end(); ++n) {
          std::optional<std::size_t> on;
          if (*n < 0) on = static_cast<std::size_t>(-*n - 1);
          else if (auto it = live_person_.find(*n); it != live_person_.end()) on = it->second;
          if (on && sets_manager(rows_[*on])) {
            rows_[*on].problem = "managers would form a loop: " + chain;
            skipped = true;
          }
        }
      }
      for (auto n : path) marks[n] = Mark::done;
    }
    return skipped;
  }

  // --- pass 3: writing ---

  // Writes the row after the file rows it needs first (a new manager).
  void apply_chain(std::size_t r) {
    std::vector<std::size_t> chain;
    // Loops were skipped in pass 2; the bound only guards against a mistake there.
    for (std::optional<std::size_t> at = r;
         at && !rows_[*at].problem && rows_[*at].state == RowState::pending && chain.size() <= rows_.size();
         at = rows_[*at].manager_row)
      chain.push_back(*at);
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) apply(*it);
  }

  void apply(std::size_t r) {
    RowPlan& row = rows_[r];
    const DirectoryEntry& e = *row.entry;
    std::optional<std::int64_t> manager;
    std::optional<std::string> manager_label;
    if (row.manager_row) {
      const RowPlan& m = rows_[*row.manager_row];
      if (m.state != RowState::written) {
        row.problem = "manager " + *e.manager_email + " (" + m.entry->where.str() + ") could not be stored";
        row.state = RowState::failed;
        return;
      }
      manager = m.person;
      manager_label = e.manager_email;
    } else if (row.manager_id) {
      manager = row.manager_id;
      manager_label = e.manager_email;
    } else if (!e.manager_email && row.stored) {
      manager = row.stored->manager;
      manager_label = row.stored->manager_label;
    }

    bot::PersonChange change;
    change.where = e.where;
    change.who = who(row);
    const auto blank_is_none = [](const std::optional<std::string>& v) {
      return v && !v->empty() ? v : std::optional<std::string>{};
    };
    // The person as the row leaves them.
    std::string name;
    std::optional<std::string> email;
    std::string zone;
    std::optional<std::string> team;
    std::optional<std::string> region;
    if (!row.stored) {
      change.kind = bot::PersonChangeKind::created;
      name = *e.name;
      email = e.email;
      zone = e.time_zone.value_or(defaults_.time_zone);
      team = blank_is_none(e.team);
      region = blank_is_none(e.region);
      auto& f = change.fields;
      f.push_back({"name", std::nullopt, name});
      f.push_back({"time zone", std::nullopt, zone});
      if (team) f.push_back({"team", std::nullopt, team});
      if (region) f.push_back({"region", std::nullopt, region});
      if (manager) f.push_back({"manager", std::nullopt, manager_label});
      for (const auto& id : row.link) f.push_back({platform_name(id.platform), std::nullopt, identity_label(id)});
    } else {
      const Stored& s = *row.stored;
      change.kind = bot::PersonChangeKind::updated;
      auto& f = change.fields;
      name = e.name.value_or(s.name);
      if (name != s.name) f.push_back({"name", s.name, name});
      email = s.email;
      // Only the letter case differs: keep what is stored.
      if (e.email && (!s.email || bot::lower(*s.email) != *e.email)) {
        f.push_back({"email", s.email, e.email});
        email = e.email;
      }
      zone = e.time_zone.value_or(s.time_zone);
      if (zone != s.time_zone) f.push_back({"time zone", s.time_zone, zone});
      team = e.team ? blank_is_none(e.team) : s.team;
      if (team != s.team) f.push_back({"team", s.team, team});
      region = e.region ? blank_is_none(e.region) : s.region;
      if (region != s.region) f.push_back({"region", s.region, region});
      if (manager != s.manager) f.push_back({"manager", s.manager_label, manager ? manager_label : std::nullopt});
      for (auto platform : {bot::Platform::slack, bot::Platform::teams}) {
        std::vector<bot::Identity> after = s.identities;
        bool added = false;
        for (const auto& id : row.link)
          if (id.platform == platform) {
            after.push_back(id);
            added = true;
          }
        if (added)
          f.push_back({platform_name(platform), identities_label(s.identities, platform),
                       identities_label(after, platform)});
      }
      if (f.empty()) {
        row.state = RowState::written;
        row.person = s.id;
        ++result_.unchanged;
        return;
      }
    }

    Use begin{s_.savepoint_};
    begin->exec();
    try {
      if (!row.stored) {
        Use s{s_.insert_};
        s->bind(1, name);
        bind_optional(*s, 2, email);
        s->bind(3, zone);
        bind_optional(*s, 4, team);
        bind_optional(*s, 5, region);
        if (manager) s->bind(6, *manager);
        else s->bind(6);
        s->bind(7, defaults_.checkin_weekday);
        s->bind(8, defaults_.checkin_minute);
        s->bind(9, bot::to_unix_ms(now_));
        s->exec();
        row.person = s_.db_.getLastInsertRowid();
      } else {
        row.person = row.stored->id;
        Use s{s_.update_};
        s->bind(1, row.person);
        s->bind(2, name);
        bind_optional(*s, 3, email);
        s->bind(4, zone);
        bind_optional(*s, 5, team);
        bind_optional(*s, 6, region);
        if (manager) s->bind(7, *manager);
        else s->bind(7);
        s->bind(8, bot::to_unix_ms(now_));
        s->exec();
      }
      for (const auto& id : row.link) {
        Use s{s_.insert_identity_};
        s->bind(1, std::string{bot::to_string(id.platform)});
        s->bind(2, id.tenant);
        s->bind(3, id.user);
        s->bind(4, row.person);
        s->bind(5, bot::to_unix_ms(now_));
        s->exec();
      }
      Use end{s_.release_};
      end->exec();
    } catch (const SQLite::Exception& ex) {
      // Another writer's row or a stored oddity we did not foresee: this row is
      // undone and reported, the others go on. Anything else ends the import.
      if (!is_constraint(ex)) throw;
      Use undo{s_.rollback_to_};
      undo->exec();
      Use end{s_.release_};
      end->exec();
      row.problem = std::string{"the database refused it: "} + ex.what();
      row.state = RowState::failed;
      return;
    }
    row.state = RowState::written;
    change.person = bot::PersonId{row.person};
    if (change.kind == bot::PersonChangeKind::created) ++result_.created;
    else ++result_.updated;
    result_.changes.push_back(std::move(change));
  }

  SqliteDirectoryImport& s_;
  const bot::Defaults& defaults_;
  bot::Instant now_;
  const Progress& progress_;
  std::size_t total_ = 0;
  std::size_t done_ = 0;
  std::vector<RowPlan> rows_;
  std::unordered_map<std::string, std::size_t> live_email_;     // final email -> row not skipped
  std::unordered_map<std::int64_t, std::size_t> live_person_;   // stored person -> row not skipped
  // Email -> where a skipped row gave it, for the message of a row it was to manage.
  std::unordered_map<std::string, bot::RowRef> unreadable_email_;  // the directory's problems
  std::unordered_map<std::string, bot::RowRef> skipped_email_;     // and rows skipped here
  std::unordered_map<std::int64_t, std::optional<std::int64_t>> manager_cache_;
  bot::DirectoryImportResult result_;
};

SqliteDirectoryImport::SqliteDirectoryImport(SQLite::Database& db)
    : db_(db),
      // people_email_nocase (schema v3) serves this lookup.
      by_email_(db, "SELECT id FROM people WHERE email = ?1 COLLATE NOCASE ORDER BY id"),
      by_identity_(db,
                   "SELECT person_id, tenant FROM identities WHERE platform = ?1 AND user_id = ?2 AND tenant = ?3"),
      // identities_user (schema v3) serves this one.
      by_user_(db, "SELECT person_id, tenant FROM identities WHERE platform = ?1 AND user_id = ?2 ORDER BY tenant"),
      person_(db,
              "SELECT p.display_name, p.email, p.time_zone, p.team, p.region, p.manager_id, "
              "coalesce(m.email, m.display_name) FROM people p LEFT JOIN people m ON m.id = p.manager_id "
              "WHERE p.id = ?1"),
      identities_(db,
                  "SELECT platform, tenant, user_id FROM identities WHERE person_id = ?1 "
                  "AND platform IN ('slack', 'teams') ORDER BY platform, created_at, tenant, user_id"),
      manager_of_(db, "SELECT manager_id FROM people WHERE id = ?1"),
      label_(db, "SELECT email, display_name FROM people WHERE id = ?1"),
      insert_(db,
              "INSERT INTO people (display_name, email, time_zone, team, region, manager_id, checkin_weekday, "
              "checkin_minute, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)"),
      update_(db,
              "UPDATE people SET display_name = ?2, email = ?3, time_zone = ?4, team = ?5, region = ?6, "
              "manager_id = ?7, updated_at = ?8 WHERE id = ?1"),
      insert_identity_(db,
                       "INSERT INTO identities (platform, tenant, user_id, person_id, created_at) "
                       "VALUES (?1, ?2, ?3, ?4, ?5)"),
      // SQLiteCpp 3.2.1's Savepoint leaves a rolled-back savepoint open on the stack;
      // these three do ROLLBACK TO and then RELEASE.
      savepoint_(db, "SAVEPOINT directory_row"),
      release_(db, "RELEASE directory_row"),
      rollback_to_(db, "ROLLBACK TO directory_row") {}

bot::DirectoryImportResult SqliteDirectoryImport::run(const bot::Directory& directory, const bot::Defaults& defaults,
                                                      bot::Instant now, bool commit, const Progress& progress,
                                                      const BeforeCommit& before_commit) {
  // IMMEDIATE: the lookups and the writes see one state of the people table, and the
  // service waits (busy_timeout) rather than interleaving its own changes.
  SQLite::Transaction tx{db_, SQLite::TransactionBehavior::IMMEDIATE};
  bot::DirectoryImportResult result = Run{*this, directory, defaults, now, progress}.run();
  if (commit) {
    if (before_commit) before_commit(result);
    tx.commit();
  }  // else leaving scope rolls back: a dry run
  result.skipped.insert(result.skipped.end(), directory.problems.begin(), directory.problems.end());
  std::stable_sort(result.skipped.begin(), result.skipped.end(),
                   [](const bot::RowProblem& a, const bot::RowProblem& b) { return a.where < b.where; });
  return result;
}

}  // namespace storage
