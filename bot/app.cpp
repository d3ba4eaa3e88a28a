#include "bot/app.hpp"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "adapters/console/console_chat.hpp"
#include "bot/app_settings.hpp"
#include "bot/directory.hpp"
#include "bot/engine.hpp"
#include "bot/outbox_sender.hpp"
#include "bot/outbox_table.hpp"
#include "bot/portfolio.hpp"
#include "bot/progress_line.hpp"
#include "bot/report.hpp"
#include "bot/scheduler.hpp"
#include "bot/text.hpp"
#include "dialogs/coach_conversation.hpp"
#include "storage/directory_import.hpp"
#include "storage/export_repository.hpp"
#include "storage/report_repository.hpp"
#include "storage/sqlite_store.hpp"

namespace bot {

namespace {

std::string absolute(const std::string& path) {
  std::error_code ec;
  auto p = std::filesystem::absolute(path, ec);
  return ec ? path : p.lexically_normal().string();
}

std::optional<PersonId> numeric_id(std::string_view text) {
  std::int64_t v = 0;
  const auto* end = text.data() + text.size();
  const auto r = std::from_chars(text.data(), end, v);
  if (text.empty() || r.ec != std::errc{} || r.ptr != end || v <= 0) return std::nullopt;
  return PersonId{v};
}

// The person an export names: a person id first, else a user id or handle on any
// platform. Problems are printed to `err`.
std::optional<PersonId> resolve_person(storage::SqliteExportRepository& repo, const std::string& typed,
                                       std::ostream& err) {
  const std::string key{trim(typed)};
  if (auto id = numeric_id(key); id && repo.exists(*id)) return id;
  const auto matches = repo.find_by_user(key);
  std::set<PersonId> people;
  for (const auto& m : matches) people.insert(m.id);
  if (people.empty()) {
    err << "coachbot: no person with id or handle '" << key << "' in this database\n";
    return std::nullopt;
  }
  if (people.size() > 1) {
    err << "coachbot: '" << key << "' matches " << people.size() << " people; export by person id instead:\n";
    for (const auto& m : matches)
      err << "  --person " << m.id.value << "  " << m.display_name << " (" << to_string(m.identity.platform) << ' '
          << m.identity.tenant << '/' << m.identity.user << ")\n";
    return std::nullopt;
  }
  return *people.begin();
}

// The document is rendered in full before the file is opened, so a failure while
// reading the database leaves an existing file untouched; a write that fails part-way
// (disk full) is reported and exits 2.
bool write_file(const std::string& path, const std::string& text, std::ostream& err) {
  std::ofstream f{path, std::ios::binary | std::ios::trunc};
  if (!f) {
    err << "coachbot: cannot write " << path << ": " << std::strerror(errno) << '\n';
    return false;
  }
  f.write(text.data(), static_cast<std::streamsize>(text.size()));
  f.close();
  if (!f) {
    err << "coachbot: writing " << path << " failed: " << std::strerror(errno) << '\n';
    return false;
  }
  return true;
}

// Commands that read a database must not create one: opening a mistyped --db would.
bool existing_database(const std::string& db_path, std::ostream& err) {
  std::error_code ec;
  if (std::filesystem::exists(db_path, ec)) return true;
  err << "coachbot: no database at " << db_path << " (give --db FILE, or database.path in the config)\n";
  return false;
}

}  // namespace

int run_chat(const Config& config, const ChatRequest& request, std::istream& in, std::ostream& out, std::ostream& err) {
  const std::string handle = normalise_handle(request.as);
  if (handle.empty()) {
    err << "coachbot: --as needs a name made of letters, digits, '.', '_' or '-' (e.g. --as alice)\n";
    return 2;
  }
  const std::string db_path = absolute(config.database_path);
  try {
    storage::SqliteStore store{storage::OpenOptions{db_path, config.synchronous}};
    SystemClock clock;
    dialogs::CoachConversation conversation;
    Engine engine{store, conversation, clock, engine_settings(config)};
    OutboxSender sender{store, clock, config.outbox_max_attempts};
    const bool tty = ::isatty(STDIN_FILENO) == 1 && &in == &std::cin;
    out << "Coachbot local chat as " << handle << ". Database: " << db_path << "\n"
        << "Type /as NAME to become someone else, /quit to leave.\n\n";
    Scheduler scheduler{store, engine, clock, scheduler_settings(config)};
    adapters::console::ChatOptions options;
    options.interactive = tty;
    options.timers = [&scheduler] {
      scheduler.run_due();
      return scheduler.next_run();
    };
    if (&in == &std::cin) options.input_fd = STDIN_FILENO;
    adapters::console::ConsoleChat chat{engine, sender, clock, in, out, options};
    return chat.run(handle);
  } catch (const storage::DatabaseError& e) {
    err << "coachbot: " << e.what() << '\n';
    return 2;
  }
}

int run_export(const Config& config, const ExportRequest& request, std::ostream& out, std::ostream& err) {
  const std::string db_path = absolute(config.database_path);
  if (!existing_database(db_path, err)) return 2;
  try {
    storage::SqliteStore store{storage::OpenOptions{db_path, config.synchronous}};
    storage::SqliteExportRepository repo{store.database()};
    const auto id = resolve_person(repo, request.person, err);
    if (!id) return 2;
    auto portfolio = repo.load(*id);
    if (!portfolio) {
      err << "coachbot: no person with id " << id->value << " in this database\n";
      return 2;
    }
    portfolio->exported_at = SystemClock{}.now();
    const bool json = request.format == ExportFormat::json;
    // Stored text can hold invalid UTF-8 (older rows, other writers); replace it
    // rather than fail the learner's export.
    const std::string text =
        json ? to_json(*portfolio).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"
             : to_markdown(*portfolio);
    if (request.out_path.empty()) {
      out << text << std::flush;
      if (!out) {
        err << "coachbot: writing the export to standard output failed\n";
        return 2;
      }
    } else if (!write_file(request.out_path, text, err)) {
      return 2;
    }
    // Ids and counts only: the portfolio is what people wrote.
    spdlog::info("export: person {} as {}: {} plans, {} goals, {} check-ins, {} bytes", id->value,
                 json ? "json" : "markdown", portfolio->plans.size(), portfolio->goals.size(),
                 portfolio->checkins.size(), text.size());
    return 0;
  } catch (const storage::DatabaseError& e) {
    err << "coachbot: " << e.what() << '\n';
    return 2;
  }
}

int run_report(const Config& config, const ReportRequest& request, const Clock& clock, std::ostream& out,
               std::ostream& err) {
  const std::string db_path = absolute(config.database_path);
  if (!existing_database(db_path, err)) return 2;
  const auto render = [&](const auto& report) -> std::string {
    switch (request.format) {
      case ReportFormat::csv:
        return to_csv(report);
      case ReportFormat::json:
        // Team names and tags can hold invalid UTF-8 (older rows, other writers).
        return to_json(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
      case ReportFormat::table:
        break;
    }
    return to_table(report);
  };
  try {
    storage::SqliteStore store{storage::OpenOptions{db_path, config.synchronous}};
    storage::SqliteReportRepository repo{store.database()};
    const Instant now = clock.now();
    // The repository's figures include teams too small to show: only what the
    // make_*_report functions let through is rendered.
    std::string text;
    std::size_t groups = 0;
    if (request.kind == ReportKind::skills) {
      const SkillsReport report = make_skills_report(repo.skills(), request.top, now);
      groups = report.groups.size();
      text = render(report);
    } else {
      ReportPeriod period = report_period(now);
      const auto teams = repo.participation(period);
      const ParticipationReport report = make_participation_report(teams, std::move(period), now);
      groups = report.groups.size();
      text = render(report);
    }
    // Rendered in full before the file is opened: a failed read leaves it untouched.
    if (request.out_path.empty()) {
      out << text << std::flush;
      if (!out) {
        err << "coachbot: writing the report to standard output failed\n";
        return 2;
      }
    } else if (!write_file(request.out_path, text, err)) {
      return 2;
    }
    spdlog::info("report: {} as {}: {} groups shown, {} bytes",
                 request.kind == ReportKind::skills ? "skills" : "participation",
                 request.format == ReportFormat::csv    ? "csv"
                 : request.format == ReportFormat::json ? "json"
                                                        : "table",
                 groups, text.size());
    return 0;
  } catch (const storage::DatabaseError& e) {
    err << "coachbot: " << e.what() << '\n';
    return 2;
  } catch (const SQLite::Exception& e) {
    // A database locked past the busy timeout, or damaged pages met while reading.
    err << "coachbot: reading " << db_path << " failed: " << e.what() << '\n';
    return 2;
  }
}

int run_import_directory(const Config& config, const ImportRequest& request, const Clock& clock, std::ostream& out,
                         std::ostream& err) {
  // Below this many rows an import is over before a progress line would be read.
  constexpr std::size_t kProgressRows = 200;
  std::error_code ec;
  if (std::filesystem::is_directory(request.file, ec)) {
    err << "coachbot: " << request.file << " is a folder; give the CSV or JSON file\n";
    return 2;
  }
  std::ifstream f{request.file, std::ios::binary};
  if (!f) {
    err << "coachbot: cannot read " << request.file << ": " << std::strerror(errno) << '\n';
    return 2;
  }
  const std::string content{std::istreambuf_iterator<char>{f}, {}};
  if (f.bad()) {
    err << "coachbot: reading " << request.file << " failed: " << std::strerror(errno) << '\n';
    return 2;
  }
  const DirectoryRead read = read_directory(content, detect_directory_format(request.file, content));
  if (!read.directory) {
    err << "coachbot: " << request.file << ": " << read.error << "\ncoachbot: nothing was imported\n";
    return 2;
  }
  const Directory& directory = *read.directory;

  const std::string db_path = absolute(config.database_path);
  // Importing the directory is a natural first step on a new install; a dry run
  // writes nothing, not even an empty database.
  if (request.dry_run && !existing_database(db_path, err)) return 2;
  if (!std::filesystem::exists(db_path, ec)) err << "coachbot: no database at " << db_path << " yet; creating it\n";
  try {
    storage::SqliteStore store{storage::OpenOptions{db_path, config.synchronous}};
    storage::SqliteDirectoryImport importer{store.database()};
    std::optional<ProgressLine> bar;
    if (directory.rows > kProgressRows && &err == &std::cerr && ::isatty(STDERR_FILENO) == 1)
      bar.emplace(err, "importing " + request.file);
    storage::SqliteDirectoryImport::Progress progress;
    if (bar) progress = [&bar](std::size_t done, std::size_t total) { bar->update(done, total); };
    const Instant now = clock.now();
    // A new zone moves the person's weekly prompt, a new manager gets a digest: now,
    // with the import, not when the person next writes to the bot.
    const auto keep_timers = [&](const DirectoryImportResult& changed) {
      const SchedulerSettings settings = scheduler_settings(config);
      for (const auto& change : changed.changes)
        if (const auto person = store.people().find(change.person))
          keep_recurring_timers(store, *person, settings.calendars, settings.digest, now);
    };
    const DirectoryImportResult result =
        importer.run(directory, config.defaults, now, !request.dry_run, progress, keep_timers);
    bar.reset();  // erases the line before the report
    out << format_import_report(result, request.file, request.dry_run) << std::flush;
    // Counts only: the rows are people's names and emails.
    spdlog::info("import-directory: {} rows: {} created, {} updated, {} unchanged, {} skipped{}", directory.rows,
                 result.created, result.updated, result.unchanged, result.skipped.size(),
                 request.dry_run ? " (dry run)" : "");
    return result.skipped.empty() ? 0 : kExitRowsSkipped;
  } catch (const storage::DatabaseError& e) {
    err << "coachbot: " << e.what() << '\n';
    return 2;
  } catch (const SQLite::Exception& e) {
    // A database locked past the busy timeout, a full disk: the transaction is gone.
    err << "coachbot: importing into " << db_path << " failed, nothing was imported: " << e.what() << '\n';
    return 2;
  }
}

int run_outbox(const Config& config, const OutboxRequest& request, const Clock& clock, std::ostream& out,
               std::ostream& err) {
  const std::string db_path = absolute(config.database_path);
  if (!existing_database(db_path, err)) return 2;
  try {
    storage::SqliteStore store{storage::OpenOptions{db_path, config.synchronous}};
    if (request.retry) {
      const OutboxId id{*request.retry};
      auto tx = store.begin();
      const auto item = store.outbox().find(id);
      if (!item) {
        err << "coachbot: no message " << id.value << " in the outbox (`coachbot outbox --failed` lists dead ones)\n";
        return 2;
      }
      if (!store.outbox().retry(id, clock.now())) {
        err << "coachbot: message " << id.value << " is "
            << (item->status == OutboxStatus::delivered ? "already delivered" : "still pending")
            << ", not dead: nothing to retry\n";
        return kExitNotDead;
      }
      tx->commit();
      out << "Message " << id.value << " to " << item->recipient_key << " on " << to_string(item->platform)
          << " is queued again; a running service sends it within a minute.\n";
      spdlog::info("outbox: message {} re-queued from the dead letters after {} attempts", id.value, item->attempts);
      return 0;
    }
    const auto items = store.outbox().dead(request.limit);
    out << dead_letters_table(items, store.outbox().count(OutboxStatus::dead)) << std::flush;
    return 0;
  } catch (const storage::DatabaseError& e) {
    err << "coachbot: " << e.what() << '\n';
    return 2;
  } catch (const SQLite::Exception& e) {
    // A database locked past the busy timeout, or damaged pages met while reading.
    err << "coachbot: using " << db_path << " failed: " << e.what() << '\n';
    return 2;
  }
}

int check_config(const std::string& path, const EnvLookup& env, std::ostream& out) {
  const ConfigResult r = load_config_file(path, env);
  if (r.ok()) {
    out << path << ": OK\n";
    return 0;
  }
  for (const auto& p : r.problems) {
    out << path << ": " << (p.key.empty() ? "" : p.key + ": ") << p.message << '\n';
  }
  out << r.problems.size() << (r.problems.size() == 1 ? " problem" : " problems") << " found\n";
  return 1;
}

}  // namespace bot
