#include "bot/clock.hpp"

#include <cstdio>

namespace bot {

Instant SystemClock::now() const {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

std::string format_utc(Instant t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> tod{t - day};
  char buf[40];
  const auto ms = tod.subseconds().count();
  const int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                              static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                              static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                              static_cast<int>(tod.seconds().count()));
  std::string out(buf, static_cast<std::size_t>(n));
  if (ms != 0) {
    std::snprintf(buf, sizeof buf, ".%03d", static_cast<int>(ms));
    out += buf;
  }
  return out + 'Z';
}

}  // namespace bot
