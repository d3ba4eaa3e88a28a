#pragma once
// The terminal chat: one person at a time talks to the engine through stdin/stdout.
// Each line becomes an Event (a number picks one of the buttons just shown; a form is
// asked field by field); after the engine commits, the outbox delivers what is due for
// the current person, and channel posts (shown as "coach in #channel"), whose buttons
// stay pickable after `/as bob`. `/as bob` switches person and shows what was queued
// for them.
// Not thread-safe: it drives the engine on the calling thread.
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "adapters/console/form_filler.hpp"
#include "bot/engine.hpp"
#include "bot/outbox_sender.hpp"

namespace adapters::console {

struct ChatOptions {
  bool interactive = false;  // a terminal: show a prompt and use ANSI bold
  std::string tenant = "local";
  // Fires due timers and returns when the next one is due. Called before each line
  // is read and, when input_fd is set, whenever that time comes while waiting.
  std::function<std::optional<bot::Instant>()> timers;
  std::optional<int> input_fd;  // the descriptor behind `in`, to wait on with poll()
};

class ConsoleChat : private bot::Messenger {
 public:
  ConsoleChat(bot::Engine& engine, bot::OutboxSender& sender, const bot::Clock& clock, std::istream& in,
              std::ostream& out, ChatOptions options);
  // Chats as `handle` until end of input or /quit. Returns the process exit code.
  int run(const std::string& handle);
  // One typed line, as run() would handle it. False when the line asks to quit.
  bool line(const std::string& text);
  // Becomes `handle`: shows what was queued for them, or resumes their open dialog.
  void become(const std::string& handle);
  // Fires due timers and shows what they queued for the current person; returns when
  // the next timer is due.
  std::optional<bot::Instant> tick();

 private:
  bot::Platform platform() const override { return bot::Platform::console; }
  bot::Delivery deliver(const bot::OutboxItem& item) override;

  void send(bot::Event event);
  bot::Event event(bot::EventKind kind) const;
  void print_prompt();
  void wait_for_input();
  void forget_buttons();

  bot::Engine& engine_;
  bot::OutboxSender& sender_;
  const bot::Clock& clock_;
  std::istream& in_;
  std::ostream& out_;
  ChatOptions options_;
  std::string handle_;
  std::optional<bot::PersonId> person_;
  std::vector<bot::Button> buttons_;  // of the last message shown, for numbered picks
  bool buttons_from_channel_ = false;
  std::optional<FormFiller> form_;
};

}  // namespace adapters::console
