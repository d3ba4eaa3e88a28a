#include <exception>
#include <iostream>

#include "bot/cli.hpp"

int main(int argc, char** argv) {
  // The chat waits on stdin with poll() while timers are pending; that only works when
  // std::cin keeps its own buffer (whose fill in_avail() reports) instead of stdio's.
  std::ios_base::sync_with_stdio(false);
  try {
    return bot::run_cli(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "coachbot: " << e.what() << '\n';
    return 1;
  }
}
