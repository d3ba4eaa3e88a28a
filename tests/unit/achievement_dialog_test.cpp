// Achievements after a goal reaches 100%, and kudos on the team post.
#include <catch2/catch.hpp>

#include "tests/support/dialog_harness.hpp"

using Catch::Matchers::Contains;

namespace {

testing::DialogHarness about_to_achieve(const std::string& channel) {
  auto chat = testing::DialogHarness::onboarded();
  bot::Goal g;
  g.id = bot::GoalId{3};
  g.statement = "Pass the CKA exam";
  g.progress = 80;
  chat.context.goals = {g};
  chat.context.team_channel = channel;
  bot::Evidence e;
  e.goal = g.id;
  e.content = "cert";
  e.url = "https://example.com/cert/9";
  chat.context.evidence = {e};
  return chat;
}

std::string reach_100(testing::DialogHarness& chat) {
  chat.say("checkin");
  chat.click("100");
  chat.say("2");
  chat.say("Troubleshooting etcd");
  chat.say("none");
  chat.click("5");
  return chat.say("Celebrate");
}

}  // namespace

TEST_CASE("Reaching a goal previews a team post, sharing posts it with a kudos button") {
  auto chat = about_to_achieve("C-DATA");
  const std::string preview = reach_100(chat);
  CHECK_THAT(preview, Contains("You reached 100% on \"Pass the CKA exam\"") &&
                          Contains("*alice* reached a learning goal: *Pass the CKA exam*") &&
                          Contains("Learned along the way: Troubleshooting etcd") &&
                          Contains("Evidence: https://example.com/cert/9") && Contains("Share it in the team channel"));
  CHECK(chat.last_reply.buttons.size() == 3);
  CHECK(chat.to_others.empty());  // nothing is posted before the choice
  const std::string done = chat.click("share");
  CHECK_THAT(done, Contains("Shared \"Pass the CKA exam\" with your team"));
  REQUIRE(chat.achievements.size() == 1);
  CHECK(chat.achievements[0].shared);
  CHECK(chat.achievements[0].channel == "C-DATA");
  CHECK(chat.achievements[0].goal == bot::GoalId{3});
  REQUIRE(chat.to_others.size() == 1);
  const bot::Message& post = chat.to_others[0];
  CHECK(post.to.kind == bot::RecipientKind::channel);
  CHECK(post.to.channel == "C-DATA");
  CHECK_THAT(post.plain_text(), Contains("Troubleshooting etcd"));
  REQUIRE(post.buttons.size() == 1);
  CHECK(post.buttons[0].id == "kudos");
  CHECK(post.buttons[0].value == "kudos:3");
  CHECK(post.update_key == "achievement:3");
}

TEST_CASE("Keeping an achievement private posts nothing") {
  auto chat = about_to_achieve("C-DATA");
  reach_100(chat);
  CHECK_THAT(chat.say("keep private"), Contains("Kept \"Pass the CKA exam\" private"));
  REQUIRE(chat.achievements.size() == 1);
  CHECK_FALSE(chat.achievements[0].shared);
  CHECK(chat.to_others.empty());
}

TEST_CASE("Editing the text first shows it again before sharing") {
  auto chat = about_to_achieve("C-DATA");
  reach_100(chat);
  CHECK_THAT(chat.click("edit"), Contains("Type the text to post"));
  CHECK_THAT(chat.say("CKA passed! Thanks to the platform team for the practice cluster."),
             Contains("Your post:") && Contains("practice cluster") && Contains("Share it with the team"));
  CHECK_THAT(chat.say("maybe"), Contains("Please answer *share* or *private*"));
  chat.click("share");
  REQUIRE(chat.to_others.size() == 1);
  // The channel reads it under their name, as it was shown to them before sharing.
  const std::string posted = "*" + chat.context.person.display_name +
                             "* shared an achievement:\nCKA passed! Thanks to the platform team for the practice cluster.";
  CHECK(chat.to_others[0].plain_text() == posted);
  CHECK(chat.achievements[0].text == posted);
}

TEST_CASE("A team without a channel is named, and the admin's setting, not the person's, is what is missing") {
  auto chat = about_to_achieve("");
  chat.context.person.team = "Platform";
  CHECK_THAT(reach_100(chat), Contains("Your team *Platform* has no channel to share in yet") &&
                                  Contains("sharing.team_channels") && !Contains("set your team"));
  CHECK_THAT(chat.say("share"), Contains("your team *Platform* has no channel") && !Contains("*settings*"));
}

TEST_CASE("Without a team channel sharing is explained, not offered") {
  auto chat = about_to_achieve("");
  CHECK_THAT(reach_100(chat), Contains("Sharing needs a team channel"));
  CHECK(chat.last_reply.buttons.size() == 2);
  CHECK_THAT(chat.say("share"), Contains("sharing needs a team channel") && Contains("*settings*") &&
                                   Contains("*private* or *edit*"));
  CHECK_THAT(chat.say("no"), Contains("Please answer *private* or *edit*.") && !Contains("*share*"));
  chat.say("edit");
  chat.say("Shipped my first tool!");
  CHECK_THAT(chat.say("hmm"), Contains("Please answer *private*.") && !Contains("*share*"));
  chat.say("private");
  CHECK(chat.to_others.empty());
  CHECK_FALSE(chat.achievements.at(0).shared);
}

TEST_CASE("Cancelling the achievement post keeps it private") {
  auto chat = about_to_achieve("C-DATA");
  reach_100(chat);
  CHECK_THAT(chat.say("cancel"), Contains("nothing was posted"));
  REQUIRE(chat.achievements.size() == 1);
  CHECK_FALSE(chat.achievements[0].shared);
  CHECK(chat.to_others.empty());
}

namespace {
testing::DialogHarness teammate_sees_post(bool already_gave) {
  auto chat = testing::DialogHarness::onboarded();
  chat.context.person.id = bot::PersonId{8};
  chat.context.person.display_name = "carol";
  bot::AchievementSubject s;
  s.achievement.id = bot::AchievementId{11};
  s.achievement.person = bot::PersonId{1};
  s.achievement.goal = bot::GoalId{3};
  s.achievement.text = "alice passed the CKA";
  s.achievement.shared = true;
  s.achievement.channel = "C-DATA";
  s.owner.id = bot::PersonId{1};
  s.owner.display_name = "alice";
  s.goal_statement = "Pass the CKA exam";
  s.kudos_from = {"bob"};
  s.given_by_viewer = already_gave;
  chat.context.achievement = s;
  return chat;
}
}  // namespace

TEST_CASE("Kudos: once per person, the learner hears who, and the post shows the names") {
  auto chat = teammate_sees_post(false);
  CHECK_THAT(chat.click("kudos", "kudos:3"), Contains("Kudos sent to alice"));
  REQUIRE(chat.kudos.size() == 1);
  CHECK(chat.kudos[0] == bot::AchievementId{11});
  REQUIRE(chat.to_others.size() == 2);
  CHECK(chat.to_others[0].to == bot::Recipient::dm(bot::PersonId{1}));
  CHECK_THAT(chat.to_others[0].plain_text(), Contains("carol sent you kudos for reaching \"Pass the CKA exam\""));
  CHECK(chat.to_others[1].update_key == "achievement:3");
  CHECK_THAT(chat.to_others[1].plain_text(), Contains("Kudos from bob, carol"));

  auto again = teammate_sees_post(true);
  CHECK_THAT(again.click("kudos", "kudos:3"), Contains("already sent kudos"));
  CHECK(again.kudos.empty());
  CHECK(again.to_others.empty());
}

TEST_CASE("Kudos for one's own or a vanished achievement change nothing, and keep the open dialog") {
  auto own = teammate_sees_post(false);
  own.context.person.id = bot::PersonId{1};
  CHECK_THAT(own.click("kudos", "kudos:3"), Contains("your own achievement"));
  CHECK(own.kudos.empty());

  auto gone = testing::DialogHarness::onboarded();
  gone.say("reflect");
  CHECK_THAT(gone.click("kudos", "kudos:99"), Contains("no longer shared"));
  REQUIRE(gone.state.has_value());
  CHECK(gone.state->dialog == "reflection");
}
