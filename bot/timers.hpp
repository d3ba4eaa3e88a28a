#pragma once
// The schedule rows behind a person's recurring timers (weekly check-in, a manager's
// digest), computed from their preferences and calendar. Shared by the engine (which
// keeps rows in line with preferences) and the scheduler (which moves them on after
// firing). Pure; thread-safe.
#include <string>

#include "bot/model.hpp"
#include "bot/recurrence.hpp"
#include "bot/repositories.hpp"

namespace bot {

// The readable rule of a person's weekly check-in ("weekly Monday 09:00 Europe/Berlin");
// when it differs from the stored row's, their preferences changed.
std::string checkin_rule(const Person& person);

// The weekly check-in timer of a person, as their preferences say now.
ScheduleEntry checkin_entry(const Person& person, const WorkCalendar& calendar, Instant after);

// A manager's weekly digest timer at `digest`'s weekday and time in their own zone.
ScheduleEntry digest_entry(const Person& manager, const WeeklyRule& digest, const WorkCalendar& calendar, Instant after);

}  // namespace bot
