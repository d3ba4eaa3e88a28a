#pragma once
// The dialog contract. A dialog is a pure state machine:
//   Transition step(state, input, context)
// It does no I/O and reads no clock: the engine loads Context, calls the conversation,
// then applies the Transition's effects, stores the next state and queues the
// messages in one transaction. Everything here is a value type.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/clock.hpp"
#include "bot/message.hpp"
#include "bot/model.hpp"
#include "bot/recurrence.hpp"

namespace bot {

// What the person did, stripped of platform detail.
struct Input {
  enum class Kind { text, button, form, opened, timer };
  Kind kind = Kind::text;
  std::string text;    // typed text (Kind::text)
  std::string action;  // button action id, form id, the timer's schedule kind, or kOpenedTab
  std::string value;   // button value
  std::map<std::string, std::string> form;

  static Input typed(std::string t) { return Input{Kind::text, std::move(t), {}, {}, {}}; }
  static Input click(std::string action, std::string value) { return Input{Kind::button, {}, std::move(action), std::move(value), {}}; }
  static Input opened() { return Input{Kind::opened, {}, {}, {}, {}}; }
  static Input timer(std::string kind, std::string occurrence) {
    return Input{Kind::timer, {}, std::move(kind), std::move(occurrence), {}};
  }
};

// Input::action of an opened input when the person merely looked at the app again (a
// Slack tab: Slack says so each time), rather than installed it or joined.
inline constexpr std::string_view kOpenedTab = "tab";

// A dialog's persisted state: which dialog, the version of its state layout, and the
// state itself as JSON (so one table holds every dialog's sessions).
struct DialogState {
  std::string dialog;
  int schema_version = 1;
  nlohmann::json data = nlohmann::json::object();
  bool operator==(const DialogState&) const = default;
};

// Read-only data the engine loads before a step.
struct Defaults {
  std::string time_zone;
  int checkin_weekday = 1;
  int checkin_minute = 9 * 60;
};

// Buttons that act on a plan carry action kPlanReviewAction and value "<verb>:<plan id>";
// for those the engine loads the plan and its owner into Context::subject.
inline constexpr std::string_view kPlanReviewAction = "plan_review";

// The scheduler's timer kinds (Input::action of a timer; also ScheduleEntry::kind).
inline constexpr std::string_view kTimerCheckIn = "checkin";
inline constexpr std::string_view kTimerReminder = "checkin_reminder";
inline constexpr std::string_view kTimerFollowUp = "follow_up";
inline constexpr std::string_view kTimerReviewReminder = "review_reminder";  // for the plan's owner
inline constexpr std::string_view kTimerDigest = "digest";                   // for a manager
// Not scheduled: the engine runs these for the people someone's erasure affects.
inline constexpr std::string_view kManagerGone = "manager_gone";        // for each report of an erased manager
inline constexpr std::string_view kKudosWithdrawn = "kudos_withdrawn";  // value "kudos:<goal>", for its owner

// What a manager's weekly digest is made of: their reports, each with what the
// manager may know. The engine loads it only for a digest timer.
struct ReportPicture {
  Person person;
  std::optional<Plan> plan;                     // the plan covering today
  std::vector<std::string> weeks_checked_in;    // ISO weeks with a check-in, of the last 4
  std::optional<CheckIn> latest;                // their latest check-in of the last 7 days
  std::vector<Achievement> achievements;        // reached in the last 7 days
  std::vector<std::string> achievement_goals;   // the goal statement of each, same order
};
struct TeamPicture {
  std::vector<std::string> weeks;  // the last 4 ISO weeks, oldest first (manager's zone)
  std::vector<ReportPicture> reports;
};

struct PlanSubject {
  Plan plan;
  Person owner;
  std::vector<Goal> goals;
};

// Kudos buttons on a shared achievement carry action kKudosAction and value
// "kudos:<achieved goal's id>"; for those the engine loads the achievement into
// Context::achievement.
inline constexpr std::string_view kKudosAction = "kudos";

// A button with this action runs its value as if the person had typed it (value
// "checkin"), open dialog or not: home pages and help messages offer commands as
// buttons where typing them is the only other way.
inline constexpr std::string_view kCommandAction = "command";

struct AchievementSubject {
  Achievement achievement;
  Person owner;
  std::string goal_statement;
  std::vector<std::string> kudos_from;  // display names, in the order given
  bool given_by_viewer = false;         // the person clicking gave kudos before
};

struct Context {
  Instant now{};
  Person person;
  std::string handle;                    // the person's user id on the event's platform
  std::string bot_handle;                // the bot's own user id there, where known
  std::optional<Person> manager;
  std::string manager_handle;            // the manager's user id on the event's platform
  bool names_by_mention = false;         // people are named by @-mention here (Slack): a bare word names nobody
  std::vector<Goal> goals;               // the person's active goals
  std::optional<Plan> plan;              // the plan whose period contains today
  std::string today;                     // ISO date in the person's zone
  std::string iso_week;                  // current ISO week in the person's zone
  std::optional<CheckIn> this_week;      // latest check-in revision for iso_week
  bool first_contact = false;            // the person was created by this event
  std::optional<Instant> session_updated_at;  // when the open dialog last moved
  std::chrono::hours session_expiry{24 * 7};
  Defaults defaults;
  SendingWindow sending_window;          // when messages may reach the person; a check-in time must be inside
  std::vector<std::string> objectives;   // organisation objectives a plan can support (config)
  std::optional<PlanSubject> subject;    // the plan a clicked button (or open review) refers to
  std::optional<AchievementSubject> achievement;  // the achievement a kudos click refers to
  std::optional<Reflection> follow_up;   // a reflection whose two-week follow-up is due
  std::vector<Evidence> evidence;        // evidence attached to the active goals
  std::string team_channel;              // the person's team channel (config), "" if none
  std::optional<TeamPicture> team;       // a manager's reports (the digest, and when needs_team)
  bool escalate_reviews = false;         // the second review reminder also goes one level up
};

// Domain writes, as data. The engine applies them inside the event's transaction.
struct UpdatePreferences {
  std::optional<std::string> time_zone;
  std::optional<int> checkin_weekday;
  std::optional<int> checkin_minute;
  std::optional<std::string> paused_until;     // ISO date; "" resumes
  std::optional<int> weekly_budget_minutes;    // 0 clears the budget
  std::optional<std::string> team;             // "" clears
  std::optional<std::pair<ItemKind, Visibility>> visibility;
};
// Set the manager to the person with this handle on the learner's platform (created
// if nobody has it yet), or clear it when handle is empty. Messages addressed with
// RecipientKind::manager go to the manager as it is after the effects.
struct SetManager {
  std::string handle;
};
struct MarkOnboarded {};
struct MarkOnboardingOffered {};
struct RecordCheckIn {
  // id, person, revision and created_at are filled by the engine; so is iso_week when
  // empty (the current week in the person's zone).
  CheckIn checkin;
};
// Creates (id unset) or updates the person's plan.
struct SavePlan {
  Plan plan;
};
// Adds a goal with its activities to the person's current plan (the one saved by an
// earlier SavePlan of the same transition, or Context::plan; none is fine too).
struct AddGoal {
  Goal goal;
};

// The learner sends their plan to their manager.
struct SubmitPlan {
  PlanId plan;
};
// A review decision by `reviewer` (the manager, or the learner on a self-approval when
// they have no manager). The engine re-checks that the reviewer may decide.
struct DecidePlan {
  PlanId plan;
  PlanStatus decision = PlanStatus::approved;  // approved or changes_requested
  std::string comment;
};

// id, person and created_at are filled by the engine; follow_up_due_at is set two
// weeks from now; checkin, when set, must be one of the person's check-ins.
struct RecordReflection {
  Reflection reflection;
};
// The follow-up question is being asked now: it is never asked again.
struct MarkFollowUpAsked {
  ReflectionId reflection;
};
struct RecordFollowUp {
  ReflectionId reflection;
  std::string applied;  // "yes" | "partly" | "no"
  std::string note;
};
struct SaveEvidence {
  Evidence evidence;  // id, person and created_at are filled by the engine
};
// The person chose what happens with a goal they achieved. The channel post, when
// shared, is one of the transition's messages.
struct RecordAchievement {
  Achievement achievement;  // id, person and created_at are filled by the engine
};
// The clicking person gives kudos for the achievement of Context::achievement.
struct GiveKudos {
  AchievementId achievement;
};
// The manager asks to hear about a waiting plan a day later.
struct SnoozeReview {
  PlanId plan;
};
// Attach the person's whole record (Markdown) to the transition's first message to them.
struct AttachExport {};
// Remove the person and everything that is theirs. Must be the last effect; messages
// to the person then go to the conversation the event came from.
struct EraseMe {};

using Effect = std::variant<UpdatePreferences, SetManager, MarkOnboarded, MarkOnboardingOffered, RecordCheckIn, SavePlan,
                            AddGoal, SubmitPlan, DecidePlan, RecordReflection, MarkFollowUpAsked, RecordFollowUp,
                            SaveEvidence, RecordAchievement, GiveKudos, SnoozeReview, AttachExport, EraseMe>;

struct Transition {
  std::optional<DialogState> next;  // nullopt: no dialog is open afterwards
  std::vector<Effect> effects;
  std::vector<Message> messages;
  // A click that was not taken (a button of an earlier question, a decision that is not
  // theirs): the message clicked is left as it was, not marked with a choice.
  bool declined = false;
};

// The whole conversation logic for one person: commands, the open dialog, help,
// cancel, back, expiry. Implemented in dialogs/, called by the engine.
class Conversation {
 public:
  virtual ~Conversation() = default;
  virtual Transition handle(const std::optional<DialogState>& open, const Input& input,
                            const Context& context) const = 0;
  // Whether handling `input` may read Context::team. Loading a manager's reports costs
  // queries per report, so the engine does it only for the digest timer and when this
  // says so.
  virtual bool needs_team(const Input&) const { return false; }
};

}  // namespace bot
