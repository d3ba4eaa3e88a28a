#pragma once
// Wiring: the only place that sees storage, dialogs and adapters together. Builds the
// store, the conversation, the engine and the outbox sender from a Config and runs
// one of the sub-commands. Not thread-safe; one App per process.
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "bot/clock.hpp"
#include "bot/config.hpp"

namespace bot {

struct ChatRequest {
  std::string as;  // the person to chat as
};

enum class ExportFormat { markdown, json };

struct ExportRequest {
  // A numeric person id, or a user id / handle from any platform's identities ("alice",
  // "@alice", "U024BE7LH"). A number that is a person id means that person.
  std::string person;
  ExportFormat format = ExportFormat::markdown;
  std::string out_path;  // empty: write to `out`
};

enum class ReportKind { skills, participation };
enum class ReportFormat { table, csv, json };

struct ReportRequest {
  ReportKind kind = ReportKind::skills;
  ReportFormat format = ReportFormat::table;
  int top = 10;          // skills: tags shown per group
  std::string out_path;  // empty: write to `out`
};

// Each returns the process exit code; problems are printed to `err`.
int run_chat(const Config& config, const ChatRequest& request, std::istream& in, std::ostream& out, std::ostream& err);
// Writes one person's portfolio (bot/portfolio.hpp) to out_path or `out`. Exit code 2
// for an unknown or ambiguous person, a missing database or a file that cannot be
// written.
int run_export(const Config& config, const ExportRequest& request, std::ostream& out, std::ostream& err);
// Writes an org report (bot/report.hpp, privacy rule applied) to out_path or `out`;
// "today" and the weeks it covers come from `clock`. Exit code 2 for a missing database
// or a file that cannot be written.
int run_report(const Config& config, const ReportRequest& request, const Clock& clock, std::ostream& out,
               std::ostream& err);
struct ImportRequest {
  std::string file;      // CSV or JSON (bot/directory.hpp), told apart by extension or content
  bool dry_run = false;  // report what would change, write nothing
};

// `coachbot import-directory` exit codes besides 0 (every row applied or unchanged)
// and 2 (nothing imported: the file cannot be read or used as a whole, or the database
// cannot be opened or written).
inline constexpr int kExitRowsSkipped = 3;  // the valid rows were applied, some were not

// Applies an org directory to people and manager links (storage/directory_import.hpp)
// and prints what changed to `out`. A progress line goes to `err` when it is std::cerr
// on a terminal and the file has more than 200 rows.
int run_import_directory(const Config& config, const ImportRequest& request, const Clock& clock, std::ostream& out,
                         std::ostream& err);
// `coachbot outbox`: the dead letters, and sending one again.
struct OutboxRequest {
  bool failed = false;                   // list dead messages
  std::optional<std::int64_t> retry;     // the id of a dead message to send again
  std::size_t limit = 100;               // --failed: at most this many rows
};

// `coachbot outbox --retry` exit code besides 0 (re-queued) and 2 (no message with
// that id, or no usable database).
inline constexpr int kExitNotDead = 3;  // the message is pending or delivered: nothing to retry

// Lists dead messages as a table (bot/outbox_table.hpp) or re-queues one (pending,
// attempts 0, due now; a running service sends it within a minute).
int run_outbox(const Config& config, const OutboxRequest& request, const Clock& clock, std::ostream& out,
               std::ostream& err);
int run_service(const Config& config, std::istream& in, std::ostream& out, std::ostream& err);
int check_config(const std::string& path, const EnvLookup& env, std::ostream& out);

}  // namespace bot
