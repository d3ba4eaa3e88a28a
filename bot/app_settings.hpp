#pragma once
// The engine's and the scheduler's settings as the Config gives them: shared by the
// sub-commands (app.cpp) and the service (service.cpp). Pure; thread-safe.
#include "bot/config.hpp"
#include "bot/engine.hpp"
#include "bot/scheduler.hpp"

namespace bot {

inline SchedulerSettings scheduler_settings(const Config& c) {
  return SchedulerSettings{c.calendar, c.reminder_delay, c.max_reminders, c.missed_window, c.digest};
}

inline EngineSettings engine_settings(const Config& c) {
  return EngineSettings{c.defaults, c.session_expiry, c.objectives, c.team_channels,
                        c.calendar, c.digest,         c.escalate_reviews};
}

}  // namespace bot
