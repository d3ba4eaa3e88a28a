// The log throttle that keeps a flood of refused requests from flooding the log.
#include <catch2/catch.hpp>

#include <chrono>
#include <optional>

#include "adapters/net/log_throttle.hpp"

TEST_CASE("A log throttle lets one line through per interval and counts the rest") {
  using namespace std::chrono_literals;
  net::LogThrottle throttle{10s};
  const net::LogThrottle::Clock::time_point t0{};
  CHECK(throttle.admit(t0 + 1s) == std::optional<std::size_t>{0});
  CHECK_FALSE(throttle.admit(t0 + 2s));
  CHECK_FALSE(throttle.admit(t0 + 10s));
  CHECK(throttle.admit(t0 + 11s) == std::optional<std::size_t>{2});
  CHECK(throttle.admit(t0 + 30s) == std::optional<std::size_t>{0});
}
