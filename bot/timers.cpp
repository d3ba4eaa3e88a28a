#include "bot/timers.hpp"

#include "bot/local_time.hpp"

namespace bot {

std::string checkin_rule(const Person& person) {
  const auto& p = person.prefs;
  return "weekly " + std::string{weekday_name(p.checkin_weekday)} + " " + format_time_of_day(p.checkin_minute) + " " +
         p.time_zone + (p.paused_until ? " paused until " + *p.paused_until : "");
}

ScheduleEntry checkin_entry(const Person& person, const WorkCalendar& calendar, Instant after) {
  const auto& p = person.prefs;
  const WeeklyRule rule{p.checkin_weekday, p.checkin_minute, p.time_zone};
  const Occurrence next = next_weekly(rule, calendar, p.paused_until, after);
  ScheduleEntry e;
  e.kind = std::string{kTimerCheckIn};
  e.person = person.id;
  e.rule = checkin_rule(person);
  e.next_run_at = next.at;
  e.occurrence = next.key;
  return e;
}

ScheduleEntry digest_entry(const Person& manager, const WeeklyRule& digest, const WorkCalendar& calendar, Instant after) {
  const WeeklyRule rule{digest.weekday, digest.minute, manager.prefs.time_zone};
  const Occurrence next = next_weekly(rule, calendar, std::nullopt, after);
  ScheduleEntry e;
  e.kind = std::string{kTimerDigest};
  e.person = manager.id;
  e.rule = "digest " + std::string{weekday_name(rule.weekday)} + " " + format_time_of_day(rule.minute) + " " +
           rule.time_zone;
  e.next_run_at = next.at;
  e.occurrence = next.key;
  return e;
}

void keep_recurring_timers(Store& store, const Person& person, const Calendars& calendars, const WeeklyRule& digest,
                           Instant now) {
  auto& schedule = store.schedule();
  if (person.onboarded || person.onboarding_offered) {
    const auto existing = schedule.find(std::string{kTimerCheckIn}, person.id);
    if (!existing || existing->rule != checkin_rule(person))
      schedule.put(checkin_entry(person, calendars.of(person.region), now), now);
  }
  if (const auto existing = schedule.find(std::string{kTimerDigest}, person.id)) {
    const ScheduleEntry entry = digest_entry(person, digest, calendars.of(person.region), now);
    if (existing->rule != entry.rule) schedule.put(entry, now);
  }
  if (person.manager && !schedule.find(std::string{kTimerDigest}, *person.manager)) {
    if (const auto manager = store.people().find(*person.manager))
      schedule.put(digest_entry(*manager, digest, calendars.of(manager->region), now), now);
  }
}

}  // namespace bot
