#pragma once
// A manager's weekly digest: plans waiting for their review (Approve / Open / Snooze 1
// day), reports who asked for a conversation or shared a blocker with them, the
// achievements of the week they may see, and the team's check-in completion over the
// last 4 weeks. Only what each report consented to share appears (bot::may_see and the
// explicit "would a conversation help?"). When there is nothing waiting, no request
// and no achievement, there is no digest. The `team` command shows the same on request,
// saying so where there is nothing. Pure; thread-safe.
#include "bot/dialog.hpp"

namespace dialogs {

// The digest for Context::team, addressed to the manager (c.person); empty when there
// is nothing to say.
bot::Transition manager_digest(const bot::Context& c);

// The `team` command: the same picture whenever the manager asks, with "nothing waits"
// said outright, or why there is no team yet; check-in counts only for finished weeks.
// Needs Context::team.
bot::Transition team_overview(const bot::Context& c);

}  // namespace dialogs
