#pragma once
// Flows that run on the wall clock (the Slack and Teams rigs, whose fakes sign and time
// out in real time) must not depend on the hour the suite runs at: with the default
// calendar, a message to someone other than the writer waits for their next sending
// window, which in the evening or at a weekend is hours away. This calendar allows every
// day and every minute. The window itself is tested with a ManualClock (scheduler_test,
// engine_test).
#include "bot/recurrence.hpp"

namespace testing {

inline bot::Calendars always_open_calendar() {
  bot::Calendars c;
  c.base.working_days = {1, 2, 3, 4, 5, 6, 7};
  c.base.window_start_minute = 0;
  c.base.window_end_minute = 0;  // start == end: no window
  return c;
}

}  // namespace testing
