#pragma once
// The engine turns one inbound Event into committed state: in ONE transaction it
// records the platform event id (so a redelivery changes nothing), finds or creates
// the person, runs the conversation, applies the effects, stores the dialog state
// (checked against its version) and queues every reply in the outbox. Only when
// handle() returns may the adapter acknowledge the event to the platform.
// Not thread-safe: call from the thread that owns the Store.
#include <chrono>
#include <map>
#include <vector>

#include "bot/clock.hpp"
#include "bot/dialog.hpp"
#include "bot/event.hpp"
#include "bot/recurrence.hpp"
#include "bot/timers.hpp"
#include "bot/repositories.hpp"

namespace bot {

struct EngineSettings {
  Defaults defaults;
  std::chrono::hours session_expiry{24 * 7};
  std::vector<std::string> objectives;
  std::map<std::string, std::string> team_channels;  // team -> channel id
  Calendars calendars;                                // when prompts may be sent
  WeeklyRule digest{1, 9 * 60, {}};                   // managers' digest: weekday and local time (zone unused)
  bool escalate_reviews = false;                      // second review reminder also to the manager's manager
};

enum class Handled {
  done,       // committed; replies are in the outbox
  duplicate,  // the platform event id was seen before; nothing changed
  conflict,   // another writer kept moving the same dialog; nothing changed, retry later
};

struct HandleResult {
  Handled status = Handled::done;
  PersonId person;
  std::vector<OutboxId> queued;
  bool declined = false;  // Transition::declined: the clicked message is left alone
};

class Engine {
 public:
  Engine(Store& store, const Conversation& conversation, const Clock& clock, EngineSettings settings);
  HandleResult handle(const Event& event);

 private:
  std::optional<HandleResult> try_handle(const Event& event);
  bool shows_home(const Event& event, const Transition& t, PersonId person);
  Message home(const Person& person, const std::optional<DialogState>& open, Instant now);
  // The Home pages of other people the effects changed (who opened theirs once).
  std::vector<Message> others_homes(const std::vector<Effect>& effects, const Person& person,
                                    std::optional<PersonId> previous_manager, Instant now);
  std::vector<Message> homes_of(std::vector<PersonId> people, Instant now);
  // "Delete my data": what it changes for others is read before the person's rows go.
  struct Erasure {
    PersonId person;
    std::vector<OutboxItem> shown_to_others;  // their messages others can see: taken back
    std::vector<GoalId> kudos_given;          // achievements whose posts show their name
    std::optional<PersonId> manager;          // whose Home counts their plan
    std::vector<PersonId> reports;            // whose plans lose their reviewer
    std::vector<std::string> slack_homes;     // their Slack user ids, if they opened the Home tab once
  };
  Erasure erase(const Person& person, Instant now);
  HandleResult after_erasure(std::vector<Message> messages, const Erasure& erased, const Event& event, Instant now);
  // Runs a kManagerGone or kKudosWithdrawn input for someone an erasure affected.
  std::vector<OutboxId> notify(PersonId who, const Input& input, const Event& event);
  Person find_or_create(const Event& event, bool& created);
  Context load_context(const Person& person, bool created, const std::optional<StoredSession>& session);
  std::optional<PlanSubject> load_subject(const Event& event, const std::optional<StoredSession>& session);
  std::optional<AchievementSubject> load_achievement(const std::string& value, PersonId viewer);
  std::string team_channel(const std::optional<std::string>& team) const;
  void apply(const Effect& effect, Person& person, const Event& event, Context& context);
  void attach_export(std::vector<Message>& messages, const Person& person);
  void own_goal(GoalId goal, const Person& person);
  void sync_schedule(const Person& person, const std::vector<Effect>& effects);
  TeamPicture load_team(const Person& manager, Instant now);
  void own_reflection(ReflectionId reflection, const Person& person);
  // `unprompted`: nothing `person` did caused these, so even messages to them wait for
  // their sending window.
  std::vector<OutboxId> enqueue(std::vector<Message> messages, const Person& person, const Event& event,
                                bool unprompted = false);
  Platform platform_of(PersonId person, Platform fallback);

  Store& store_;
  const Conversation& conversation_;
  const Clock& clock_;
  EngineSettings settings_;
};

// Replies to the person who wrote are merged into one message, so that every message
// a person sends gets exactly one answer, however many parts the dialogs produced.
std::vector<Message> coalesce_replies(std::vector<Message> messages, PersonId author);

}  // namespace bot
