#pragma once
// The schedule rows behind a person's recurring timers (weekly check-in, a manager's
// digest), computed from their preferences and calendar. Shared by the engine (which
// keeps rows in line with preferences), the directory import (which changes zones and
// managers) and the scheduler (which moves them on after firing). The entry builders
// are pure and thread-safe; keep_recurring_timers writes through the Store it is given,
// on that Store's thread.
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

// Brings a person's recurring timers in line with what is stored of them, inside the
// caller's transaction: their weekly prompt once they talked to the bot (someone only
// named as a manager has not asked for one), their digest when its zone changed, and a
// digest for their manager if the manager has none yet.
void keep_recurring_timers(Store& store, const Person& person, const Calendars& calendars, const WeeklyRule& digest,
                           Instant now);

}  // namespace bot
