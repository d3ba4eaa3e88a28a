#pragma once
// Wiring: the only place that sees storage, dialogs and adapters together. Builds the
// store, the conversation, the engine and the outbox sender from a Config and runs
// one of the sub-commands. Not thread-safe; one App per process.
#include <iosfwd>
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
int run_service(const Config& config, std::istream& in, std::ostream& out, std::ostream& err);
int check_config(const std::string& path, const EnvLookup& env, std::ostream& out);

}  // namespace bot
