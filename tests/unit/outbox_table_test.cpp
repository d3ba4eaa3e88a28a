// The operator's table of dead letters (`coachbot outbox --failed`).
#include <catch2/catch.hpp>

#include "bot/outbox_table.hpp"

using Catch::Matchers::Contains;

TEST_CASE("A dead removal says which message it was to delete, having no text of its own") {
  bot::OutboxItem removal;
  removal.id = bot::OutboxId{42};
  removal.platform = bot::Platform::slack;
  removal.recipient_key = "channel:CTEAM";
  removal.message.to = {bot::RecipientKind::channel, {}, "CTEAM", {}};
  removal.message.retracts = "CTEAM:1700000000.000100";
  removal.last_error = "chat.delete: cant_delete_message";
  const std::string table = bot::dead_letters_table({removal}, 1);
  CHECK_THAT(table, Contains("(delete message CTEAM:1700000000.000100)") && Contains("cant_delete_message"));
}
