// The report of `coachbot import-directory`, as declared in bot/directory.hpp.
#include "bot/directory.hpp"

namespace bot {

namespace {

std::string shown(const std::optional<std::string>& v) { return v ? *v : "(none)"; }

}  // namespace

std::string format_import_report(const DirectoryImportResult& r, std::string_view source, bool dry_run) {
  std::string out;
  for (const auto& c : r.changes) {
    out += c.kind == PersonChangeKind::created ? "created " : "updated ";
    out += c.who;
    for (std::size_t i = 0; i < c.fields.size(); ++i) {
      const auto& f = c.fields[i];
      out += i == 0 ? ": " : ", ";
      out += f.field + ' ';
      // A new person has no "before": only what they were given.
      if (c.kind == PersonChangeKind::created) out += shown(f.after);
      else out += shown(f.before) + " \u2192 " + shown(f.after);
    }
    out += '\n';
  }
  for (const auto& p : r.skipped) out += p.where.str() + ": " + p.message + '\n';
  out += std::string{source} + ": " + std::to_string(r.created) + " created, " + std::to_string(r.updated) +
         " updated, " + std::to_string(r.unchanged) + " unchanged, " + std::to_string(r.skipped.size()) + " skipped";
  if (dry_run) out += " (dry run: nothing was written)";
  return out + '\n';
}

}  // namespace bot
