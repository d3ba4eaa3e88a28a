#pragma once
// The command line (CLI11): global options and the sub-commands. Returns the exit code.
namespace bot {

int run_cli(int argc, char** argv);

}  // namespace bot
