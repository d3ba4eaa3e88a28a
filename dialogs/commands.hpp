#pragma once
// The commands a person can type when no dialog is open, with their aliases and the
// one-line descriptions `help` shows. Pure; thread-safe.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dialogs {

enum class Command {
  help, checkin, edit_checkin, reflect, save, setup, settings, plan, goal, goals, submit, team, export_data,
  delete_data, greeting
};

struct CommandInfo {
  Command command;
  std::string_view name;
  std::vector<std::string_view> aliases;
  std::string_view summary;  // empty: not listed in help
};

const std::vector<CommandInfo>& commands();

// Recognises a command, ignoring case, surrounding spaces, a leading '/' and a
// trailing '!' or '?'.
std::optional<Command> parse_command(std::string_view text);

// A command with what was typed after it (`save https://...`): only `save` takes an
// argument; the argument keeps its case and inner spacing.
struct CommandLine {
  Command command;
  std::string argument;
};
std::optional<CommandLine> parse_command_line(std::string_view text);

// The closest listed command name for a typo, if one is close enough.
std::optional<std::string_view> suggest_command(std::string_view text);

std::string help_text();

}  // namespace dialogs
