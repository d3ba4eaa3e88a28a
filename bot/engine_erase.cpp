// "Delete my data": the person's rows go in one DELETE (ON DELETE CASCADE), and what
// that changes for other people is done in the same transaction.
#include <stdexcept>

#include "bot/engine.hpp"
#include "bot/home_page.hpp"

namespace bot {

Engine::Erasure Engine::erase(const Person& person, Instant now) {
  Erasure e;
  e.person = person.id;
  e.shown_to_others = store_.outbox().shown_to_others(person.id);
  e.kudos_given = store_.achievements().kudos_given_by(person.id);
  e.manager = person.manager;
  for (const auto& report : store_.people().reports(person.id)) e.reports.push_back(report.id);
  if (store_.outbox().ever_queued(Platform::slack, Recipient::home_of(person.id), std::string{kHomeUpdateKey}))
    for (const auto& i : store_.people().identities(person.id))
      if (i.platform == Platform::slack) e.slack_homes.push_back(i.user);
  store_.outbox().forget_home(person.id);
  store_.people().erase(person.id, now);
  return e;
}

HandleResult Engine::after_erasure(std::vector<Message> messages, const Erasure& erased, const Event& event,
                                   Instant now) {
  // Nothing of theirs is left to address: the goodbye goes back to the conversation
  // the request came from, and is nobody's "origin".
  HandleResult result{Handled::done, {}, {}};
  for (auto& m : messages) {
    if (m.to.kind != RecipientKind::person || m.to.person != erased.person) continue;
    m.to = Recipient{RecipientKind::channel, {}, event.conversation, {}};
    result.queued.push_back(store_.outbox().add(event.from.platform, m, now));
  }
  // What others still see of them is taken back: the removal carries none of it.
  for (const auto& item : erased.shown_to_others) {
    store_.outbox().forget_message(item);
    result.queued.push_back(
        store_.outbox().add(item.platform, Message::removal(item.message.to, *item.platform_ref), now));
  }
  // Their name leaves the kudos lines of others' posts.
  const auto told = [&](const std::vector<OutboxId>& ids) { result.queued.insert(result.queued.end(), ids.begin(), ids.end()); };
  for (const GoalId goal : erased.kudos_given)
    if (const auto achievement = store_.achievements().for_goal(goal))
      told(notify(achievement->person,
                  Input::timer(std::string{kKudosWithdrawn}, "kudos:" + std::to_string(goal.value)), event));
  // A plan they were to review can now only be decided by its owner.
  for (const PersonId report : erased.reports) told(notify(report, Input::timer(std::string{kManagerGone}, {}), event));
  // Their own Home tab showed their plan: it is emptied, wherever they asked from.
  for (const auto& user : erased.slack_homes)
    result.queued.push_back(store_.outbox().add(Platform::slack, emptied_home_page(user), now));
  // The count of plans to review, and the plans' state, on Slack Home tabs.
  std::vector<PersonId> homes = erased.reports;
  if (erased.manager) homes.push_back(*erased.manager);
  for (const auto& page : homes_of(std::move(homes), now))
    result.queued.push_back(store_.outbox().add(Platform::slack, page, now));
  return result;
}

std::vector<OutboxId> Engine::notify(PersonId who, const Input& input, const Event& event) {
  const auto person = store_.people().find(who);
  if (!person) return {};
  const auto session = store_.sessions().load(who);
  Context context = load_context(*person, false, session);
  if (input.action == kKudosWithdrawn) context.achievement = load_achievement(input.value, who);
  std::optional<DialogState> open;
  if (session) open = session->state;
  Transition t = conversation_.handle(open, input, context);
  if (!t.effects.empty() || t.next != open)
    throw std::logic_error("engine: a notice after an erasure changed " + std::string{input.action} + "'s state");
  // An update of a channel post goes where the post was shown, whichever platform the
  // erasure came from; where it was never shown, it would post it anew.
  std::vector<OutboxId> ids;
  const Instant now = clock_.now();
  std::erase_if(t.messages, [&](const Message& m) {
    if (m.to.kind != RecipientKind::channel || !m.update_key) return false;
    for (const Platform p : {Platform::slack, Platform::teams, Platform::console})
      if (store_.outbox().ever_queued(p, m.to, *m.update_key)) ids.push_back(store_.outbox().add(p, m, now, who));
    return true;
  });
  // Nothing they did: not an answer, and inside their sending window.
  Event unprompted = event;
  unprompted.kind = EventKind::timer;
  for (const OutboxId id : enqueue(std::move(t.messages), *person, unprompted, true)) ids.push_back(id);
  return ids;
}

}  // namespace bot
