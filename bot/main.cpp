#include <malloc.h>

#include <exception>
#include <iostream>

#include "bot/cli.hpp"

int main(int argc, char** argv) {
  // The chat waits on stdin with poll() while timers are pending; that only works when
  // std::cin keeps its own buffer (whose fill in_avail() reports) instead of stdio's.
  std::ios_base::sync_with_stdio(false);
  // glibc hands freed memory at the top of the heap back to the kernel at 128 KiB;
  // under load the service frees and regrows that much many times a second, and each
  // shrink is an munmap with a TLB flush on every core. Keep up to 4 MiB instead.
  mallopt(M_TRIM_THRESHOLD, 4 * 1024 * 1024);
  mallopt(M_TOP_PAD, 1024 * 1024);
  try {
    return bot::run_cli(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "coachbot: " << e.what() << '\n';
    return 1;
  }
}
