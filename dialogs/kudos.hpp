#pragma once
// A shared achievement in the team channel, and kudos for it: the post carries a
// kudos button (value "kudos:<achieved goal's id>") that anyone but the learner can press
// once; the learner gets a note saying who sent kudos, and the post is updated in
// place with the names. Pure; thread-safe.
#include <string>
#include <vector>

#include "bot/dialog.hpp"

namespace dialogs {

// The channel message for an achievement, with its kudos button. Posts about the same
// goal share an update key, so a kudos update replaces the post where the platform can.
bot::Message achievement_post(const std::string& channel, const std::string& text, bot::GoalId goal,
                              const std::vector<std::string>& kudos_from);

// Handles a click on a kudos button (Input action bot::kKudosAction).
bot::Transition kudos_click(const bot::Input& input, const bot::Context& c);

// Someone who gave kudos to Context::achievement erased their data: the post shows
// the names of those left.
bot::Transition kudos_withdrawn(const bot::Context& c);

}  // namespace dialogs
