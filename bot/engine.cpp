#include "bot/engine.hpp"

#include <charconv>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "bot/local_time.hpp"
#include "bot/overloaded.hpp"
#include "bot/portfolio.hpp"
#include "bot/text.hpp"

namespace bot {

namespace {

Input to_input(const Event& e) {
  switch (e.kind) {
    case EventKind::text:
      return Input::typed(strip_controls(e.text));
    case EventKind::command:
      // A slash command is a command, never the answer to an open question; it
      // routes as a click of a command button does.
      return Input::click(std::string{kCommandAction}, strip_controls(e.text));
    case EventKind::button:
      return Input::click(e.action, e.value);
    case EventKind::form_submit: {
      Input in{Input::Kind::form, {}, e.action, {}, e.form_values};
      for (auto& [field, value] : in.form) value = strip_controls(value);
      return in;
    }
    case EventKind::app_opened: {
      // Slack sends one for every look at its Home or Messages tab; the terminal one
      // when a chat starts, which is when to pick up where we were.
      Input in = Input::opened();
      if (e.from.platform == Platform::slack) in.action = std::string{kOpenedTab};
      return in;
    }
    case EventKind::member_joined:
    case EventKind::install:
      return Input::opened();
    case EventKind::timer: {
      Input in = Input::timer(e.action, e.value);
      in.text = e.text;  // a reminder's number
      return in;
    }
  }
  return Input::typed(e.text);
}


// Button values of the form "verb:<id>".
std::optional<std::int64_t> id_after_colon(std::string_view value) {
  const auto colon = value.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::int64_t v = 0;
  const char* end = value.data() + value.size();
  if (auto r = std::from_chars(value.data() + colon + 1, end, v); r.ec != std::errc{} || r.ptr != end) return std::nullopt;
  return v;
}

}  // namespace

Engine::Engine(Store& store, const Conversation& conversation, const Clock& clock, EngineSettings settings)
    : store_(store), conversation_(conversation), clock_(clock), settings_(std::move(settings)) {}

HandleResult Engine::handle(const Event& event) {
  // SQLite serialises writers (BEGIN IMMEDIATE), so a stale version only happens with
  // another process on the same file or a future multi-writer store: reload and retry.
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (auto r = try_handle(event)) return *r;
    spdlog::warn("engine: dialog of {}:{} moved under us, retrying", to_string(event.from.platform), event.from.user);
  }
  return HandleResult{Handled::conflict, {}, {}};
}

std::optional<HandleResult> Engine::try_handle(const Event& event) {
  auto tx = store_.begin();
  const Instant now = clock_.now();
  if (!event.platform_event_id.empty() &&
      !store_.processed_events().mark(event.from.platform, event.platform_event_id, now)) {
    return HandleResult{Handled::duplicate, {}, {}};
  }

  bool created = false;
  Person person = find_or_create(event, created);
  if (!created) {
    // Someone first seen without a name (a Teams install event carries only ids) gets
    // the name the platform gives with their next event. An event that brings the
    // platform's profile (Slack's users.info, which was rate-limited or slow at first
    // contact) replaces what was guessed then (a slash command's handle, the default
    // zone), unless the person has been through setup, where they confirm or choose
    // their zone themselves.
    const bool named = !event.display_name.empty() && event.display_name != event.from.user;
    const bool fresh = (named && person.display_name == event.from.user) || (event.profile && !person.onboarded);
    const Person guessed = person;
    if (fresh && named) person.display_name = event.display_name;
    if (fresh && !person.onboarded && event.time_zone && is_valid_time_zone(*event.time_zone))
      person.prefs.time_zone = *event.time_zone;
    if (person != guessed) store_.people().update(person);
  }
  const auto session = store_.sessions().load(person.id);
  Context context = load_context(person, created, session);
  context.subject = load_subject(event, session);
  if (event.kind == EventKind::button && event.action == kKudosAction)
    context.achievement = load_achievement(event.value, person.id);
  const Input input = to_input(event);
  if ((event.kind == EventKind::timer && event.action == kTimerDigest) || conversation_.needs_team(input))
    context.team = load_team(person, context.now);
  context.handle = event.from.user;
  context.bot_handle = event.bot_user;
  context.names_by_mention = event.from.platform == Platform::slack;
  if (context.manager) {
    for (const auto& i : store_.people().identities(context.manager->id))
      if (i.platform == event.from.platform && i.tenant == event.from.tenant) context.manager_handle = i.user;
    // Named by a mention and never written to us: their name is still their Slack id,
    // and a mention shows them by name.
    if (context.names_by_mention && !context.manager_handle.empty() &&
        context.manager->display_name == context.manager_handle)
      context.manager->display_name = "<@" + context.manager_handle + ">";
  }

  std::optional<DialogState> open;
  if (session) open = session->state;
  Transition t = conversation_.handle(open, input, context);

  const Person before = person;
  std::optional<Erasure> erased;
  for (const auto& effect : t.effects) {
    if (erased) throw std::logic_error("engine: an effect after EraseMe");
    if (std::holds_alternative<EraseMe>(effect)) {
      erased = erase(person, now);
      continue;
    }
    if (std::holds_alternative<AttachExport>(effect)) {
      attach_export(t.messages, person);
      continue;
    }
    apply(effect, person, event, context);
  }
  if (erased) {
    HandleResult result = after_erasure(std::move(t.messages), *erased, event, now);
    tx->commit();
    spdlog::info("engine: a person erased their data");
    return result;
  }
  if (person != before) store_.people().update(person);
  sync_schedule(person, t.effects);

  const std::int64_t version = session ? session->version : 0;
  if (t.next) {
    if (!store_.sessions().save(person.id, *t.next, version, now)) return std::nullopt;
  } else if (session) {
    if (!store_.sessions().remove(person.id, version)) return std::nullopt;
  }

  if (shows_home(event, t, person.id)) t.messages.push_back(home(person, t.next, now));
  // Home pages exist only in Slack, whatever platform this event came from.
  std::vector<Message> other_pages = others_homes(t.effects, person, before.manager, now);
  // A review reminder is scheduled in the manager's working days; when it goes to the
  // learner (who has no manager now), it waits for theirs. Check-ins and the digest are
  // scheduled in their recipient's own (a check-in on the weekday they chose included).
  const bool unprompted = event.kind == EventKind::timer && event.action == kTimerReviewReminder;
  HandleResult result{Handled::done, person.id, enqueue(std::move(t.messages), person, event, unprompted), t.declined};
  for (const auto& page : other_pages) result.queued.push_back(store_.outbox().add(Platform::slack, page, now, person.id));
  tx->commit();
  return result;
}

Person Engine::find_or_create(const Event& event, bool& created) {
  if (auto p = store_.people().find_by_identity(event.from)) return *p;
  Person p;
  p.display_name = event.display_name.empty() ? event.from.user : event.display_name;
  p.prefs.time_zone = (event.time_zone && is_valid_time_zone(*event.time_zone)) ? *event.time_zone
                                                                                : settings_.defaults.time_zone;
  p.prefs.checkin_weekday = settings_.defaults.checkin_weekday;
  p.prefs.checkin_minute = settings_.defaults.checkin_minute;
  p.created_at = clock_.now();
  created = true;
  spdlog::info("engine: new person from {} (tz {})", to_string(event.from.platform), p.prefs.time_zone);
  return store_.people().create(p, event.from);
}

Context Engine::load_context(const Person& person, bool created, const std::optional<StoredSession>& session) {
  Context c;
  c.now = clock_.now();
  c.person = person;
  if (person.manager) c.manager = store_.people().find(*person.manager);
  c.goals = store_.goals().active_for(person.id);
  c.iso_week = iso_week(c.now, person.prefs.time_zone);
  c.today = local_date(c.now, person.prefs.time_zone);
  c.plan = store_.plans().current(person.id, c.today);
  c.objectives = settings_.objectives;
  c.this_week = store_.checkins().latest(person.id, c.iso_week);
  c.first_contact = created;
  c.follow_up = store_.reflections().follow_up_due(person.id, c.now);
  for (const auto& g : c.goals)
    for (auto& e : store_.evidence().for_goal(g.id)) c.evidence.push_back(std::move(e));
  c.team_channel = team_channel(person.team);
  c.escalate_reviews = settings_.escalate_reviews;
  if (session) c.session_updated_at = session->updated_at;
  c.session_expiry = settings_.session_expiry;
  c.defaults = settings_.defaults;
  c.sending_window = settings_.calendars.base.window();
  return c;
}

std::optional<PlanSubject> Engine::load_subject(const Event& event, const std::optional<StoredSession>& session) {
  std::optional<std::int64_t> id;
  if (event.kind == EventKind::button && event.action == kPlanReviewAction) {
    id = id_after_colon(event.value);
  } else if (session) {
    static const auto pointer = "/data/subject_plan"_json_pointer;
    if (session->state.data.contains(pointer) && session->state.data.at(pointer).is_number_integer())
      id = session->state.data.at(pointer).get<std::int64_t>();
  }
  if (!id) return std::nullopt;
  auto plan = store_.plans().find(PlanId{*id});
  if (!plan) return std::nullopt;
  auto owner = store_.people().find(plan->person);
  if (!owner) return std::nullopt;
  return PlanSubject{*plan, *owner, store_.goals().active_for(owner->id)};
}

std::optional<AchievementSubject> Engine::load_achievement(const std::string& value, PersonId viewer) {
  const auto goal = id_after_colon(value);
  if (!goal) return std::nullopt;
  auto achievement = store_.achievements().for_goal(GoalId{*goal});
  if (!achievement) return std::nullopt;
  auto owner = store_.people().find(achievement->person);
  if (!owner) return std::nullopt;
  AchievementSubject s{*achievement, *owner, {}, {}, false};
  if (auto g = store_.goals().find(GoalId{*goal})) s.goal_statement = g->statement;
  for (const auto id : store_.achievements().kudos(achievement->id)) {
    if (id == viewer) s.given_by_viewer = true;
    if (auto p = store_.people().find(id)) s.kudos_from.push_back(p->display_name);
  }
  return s;
}

std::string Engine::team_channel(const std::optional<std::string>& team) const {
  if (!team) return {};
  // Teams are typed by people; "Data" and "data " are the same team.
  const std::string wanted = lower(trim(*team));
  for (const auto& [name, channel] : settings_.team_channels)
    if (lower(trim(name)) == wanted) return channel;
  return {};
}

void Engine::attach_export(std::vector<Message>& messages, const Person& person) {
  auto portfolio = store_.portfolio(person.id);
  if (!portfolio) throw std::logic_error("export: the person has no record");
  portfolio->exported_at = clock_.now();
  for (auto& m : messages) {
    if (m.to.kind != RecipientKind::person || m.to.person != person.id) continue;
    m.attachment = Attachment{"portfolio-" + local_date(clock_.now(), person.prefs.time_zone) + ".md", "text/markdown",
                              to_markdown(*portfolio)};
    return;
  }
  throw std::logic_error("export: no message to the person to attach it to");
}

void Engine::apply(const Effect& effect, Person& person, const Event& event, Context& context) {
  std::visit(Overloaded{
                 [&](const UpdatePreferences& u) {
                   if (u.time_zone) person.prefs.time_zone = *u.time_zone;
                   if (u.checkin_weekday) person.prefs.checkin_weekday = *u.checkin_weekday;
                   if (u.checkin_minute) person.prefs.checkin_minute = *u.checkin_minute;
                   if (u.paused_until) {
                     if (u.paused_until->empty()) person.prefs.paused_until.reset();
                     else person.prefs.paused_until = *u.paused_until;
                   }
                   if (u.weekly_budget_minutes) {
                     if (*u.weekly_budget_minutes <= 0) person.prefs.weekly_budget_minutes.reset();
                     else person.prefs.weekly_budget_minutes = *u.weekly_budget_minutes;
                   }
                   if (u.team) {
                     if (u.team->empty()) person.team.reset();
                     else person.team = *u.team;
                   }
                   if (u.visibility) person.prefs.visibility.set(u.visibility->first, u.visibility->second);
                 },
                 [&](const SetManager& m) {
                   if (m.handle.empty()) {
                     person.manager.reset();
                     return;
                   }
                   const Identity who{event.from.platform, event.from.tenant, m.handle};
                   bool created = false;
                   Event as_manager;
                   as_manager.from = who;
                   as_manager.display_name = m.handle;
                   const Person manager = find_or_create(as_manager, created);
                   if (manager.id != person.id) person.manager = manager.id;
                 },
                 [&](const MarkOnboarded&) { person.onboarded = true; },
                 [&](const MarkOnboardingOffered&) { person.onboarding_offered = true; },
                 [&](const RecordCheckIn& r) {
                   CheckIn c = r.checkin;
                   c.person = person.id;
                   // The dialog says which week it was for: one started on Sunday night
                   // and finished on Monday is still Sunday's week.
                   if (c.iso_week.empty()) c.iso_week = context.iso_week;
                   c.created_at = context.now;
                   store_.checkins().add(std::move(c));
                 },
                 [&](const SavePlan& s) {
                   Plan p = s.plan;
                   p.person = person.id;
                   const bool created = !p.id;
                   context.plan = store_.plans().save(p, context.now);
                   // Goals added while there was no plan were promised a place in it.
                   if (created) store_.goals().attach_unplanned(person.id, context.plan->id, context.now);
                 },
                 [&](const SubmitPlan& s) {
                   auto plan = store_.plans().find(s.plan);
                   if (!plan || plan->person != person.id) throw std::logic_error("submit: not the person's plan");
                   plan->status = PlanStatus::submitted;
                   context.plan = store_.plans().save(*plan, context.now);
                 },
                 [&](const DecidePlan& d) {
                   auto plan = store_.plans().find(d.plan);
                   const auto owner = plan ? store_.people().find(plan->person) : std::nullopt;
                   if (!owner) throw std::logic_error("review: no such plan");
                   const bool by_manager = owner->manager == person.id && plan->status == PlanStatus::submitted;
                   const bool by_self = owner->id == person.id && !owner->manager && d.decision == PlanStatus::approved &&
                                        (plan->status == PlanStatus::draft ||
                                         plan->status == PlanStatus::changes_requested ||
                                         plan->status == PlanStatus::submitted);
                   // The dialogs checked this on the same snapshot; failing here is a bug, and
                   // throwing rolls the whole event back.
                   if (!by_manager && !by_self) throw std::logic_error("review: reviewer may not decide this plan");
                   plan->status = d.decision;
                   store_.plans().save(*plan, context.now);
                   store_.reviews().add(PlanReview{plan->id, person.id, d.decision, d.comment, context.now});
                 },
                 [&](const RecordReflection& r) {
                   Reflection x = r.reflection;
                   x.person = person.id;
                   x.created_at = context.now;
                   x.follow_up_due_at = context.now + std::chrono::days{14};
                   store_.reflections().add(x);
                 },
                 [&](const MarkFollowUpAsked& m) { own_reflection(m.reflection, person); store_.reflections().mark_followed_up(m.reflection, context.now); },
                 [&](const RecordFollowUp& f) {
                   own_reflection(f.reflection, person);
                   store_.reflections().record_follow_up(f.reflection, f.applied, f.note);
                 },
                 [&](const SaveEvidence& e) {
                   Evidence x = e.evidence;
                   x.person = person.id;
                   x.created_at = context.now;
                   if (x.goal) own_goal(*x.goal, person);
                   store_.evidence().add(x);
                 },
                 [&](const RecordAchievement& a) {
                   Achievement x = a.achievement;
                   x.person = person.id;
                   x.created_at = context.now;
                   if (x.goal) own_goal(*x.goal, person);
                   if (x.shared) x.shared_at = context.now;
                   store_.achievements().add(x);
                 },
                 [&](const GiveKudos& k) {
                   if (!context.achievement || context.achievement->achievement.id != k.achievement ||
                       context.achievement->owner.id == person.id)
                     throw std::logic_error("kudos: not the achievement that was clicked, or one's own");
                   store_.achievements().add_kudos(k.achievement, person.id, context.now);
                 },
                 [&](const SnoozeReview&) {},  // a timer change: sync_schedule
                 [&](const AttachExport&) {},
                 [&](const EraseMe&) {},
                 [&](const AddGoal& a) {
                   Goal g = a.goal;
                   g.person = person.id;
                   if (context.plan) g.plan = context.plan->id;
                   store_.goals().add(g, context.now);
                 },
             },
             effect);
}

void Engine::own_goal(GoalId goal, const Person& person) {
  const auto g = store_.goals().find(goal);
  if (!g || g->person != person.id) throw std::logic_error("effect names a goal that is not the person's");
}

void Engine::own_reflection(ReflectionId reflection, const Person& person) {
  const auto r = store_.reflections().find(reflection);
  if (!r || r->person != person.id) throw std::logic_error("effect names a reflection that is not the person's");
}

std::vector<Message> coalesce_replies(std::vector<Message> messages, PersonId author) {
  std::vector<Message> out;
  std::optional<std::size_t> reply;
  for (auto& m : messages) {
    const bool to_author = m.to.kind == RecipientKind::person && m.to.person == author;
    if (!to_author || !reply) {
      if (to_author) reply = out.size();
      out.push_back(std::move(m));
      continue;
    }
    Message& r = out[*reply];
    for (auto& s : m.sections) r.sections.push_back(std::move(s));
    // The last question asked is the one the buttons and form belong to.
    if (!m.buttons.empty() || m.form) {
      r.buttons = std::move(m.buttons);
      r.form = std::move(m.form);
    }
    if (m.update_key) r.update_key = std::move(m.update_key);
  }
  return out;
}

Platform Engine::platform_of(PersonId person, Platform fallback) {
  const auto ids = store_.people().identities(person);
  for (const auto& i : ids)
    if (i.platform == fallback) return fallback;
  return ids.empty() ? fallback : ids.front().platform;
}

std::vector<OutboxId> Engine::enqueue(std::vector<Message> messages, const Person& person, const Event& event,
                                      bool unprompted) {
  std::vector<OutboxId> ids;
  const Instant now = clock_.now();
  for (auto& m : coalesce_replies(std::move(messages), person.id)) {
    if (m.to.kind == RecipientKind::manager) {
      const auto subject = m.to.person == person.id ? std::optional<Person>{person} : store_.people().find(m.to.person);
      if (!subject || !subject->manager) continue;  // nobody to tell
      m.to = Recipient::dm(*subject->manager);
    }
    if (m.to.kind == RecipientKind::person && !m.to.person) m.to.person = person.id;
    // What they typed or clicked: not a timer, nor an install someone else may have made.
    m.answer = m.to.kind == RecipientKind::person && m.to.person == person.id &&
               (event.kind == EventKind::text || event.kind == EventKind::button ||
                event.kind == EventKind::form_submit || event.kind == EventKind::command);
    // An answer goes where they wrote from, which platform_of() would say too: the
    // identity they wrote with is theirs.
    const Platform platform = m.to.kind == RecipientKind::person && !m.answer
                                  ? platform_of(m.to.person, event.from.platform)
                                  : event.from.platform;
    // Someone who did not write to us now (a manager, a kudos receiver) hears about it
    // inside their own sending window; replies to the writer go at once.
    std::optional<Instant> not_before;
    if (m.to.kind == RecipientKind::person && (unprompted || m.to.person != person.id)) {
      if (const auto recipient = store_.people().find(m.to.person))
        not_before = next_allowed(now, recipient->prefs.time_zone, settings_.calendars.of(recipient->region));
    }
    ids.push_back(store_.outbox().add(platform, m, now, person.id, not_before));
  }
  return ids;
}

}  // namespace bot
