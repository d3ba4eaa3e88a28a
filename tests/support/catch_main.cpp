#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <spdlog/spdlog.h>

// Tests assert on behaviour, not log lines: keep only warnings and errors visible.
int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  return Catch::Session().run(argc, argv);
}
