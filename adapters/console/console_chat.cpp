#include "adapters/console/console_chat.hpp"

#include <algorithm>
#include <charconv>

#include <poll.h>
#include <istream>
#include <ostream>

#include <spdlog/spdlog.h>

#include "adapters/console/console_renderer.hpp"
#include "bot/text.hpp"

namespace adapters::console {

ConsoleChat::ConsoleChat(bot::Engine& engine, bot::OutboxSender& sender, const bot::Clock& clock, std::istream& in,
                         std::ostream& out, ChatOptions options)
    : engine_(engine), sender_(sender), clock_(clock), in_(in), out_(out), options_(std::move(options)) {}

int ConsoleChat::run(const std::string& handle) {
  become(handle);
  std::string text;
  while (true) {
    print_prompt();
    wait_for_input();
    if (!std::getline(in_, text)) break;
    if (!line(text)) break;
  }
  if (options_.interactive) out_ << '\n';
  out_ << "Bye. Your answers are saved; run the chat again to continue where you left off.\n";
  out_.flush();
  return 0;
}

std::optional<bot::Instant> ConsoleChat::tick() {
  if (!options_.timers) return std::nullopt;
  const auto next = options_.timers();
  if (person_ && sender_.drain(*this, person_) > 0) print_prompt();
  out_.flush();
  return next;
}

void ConsoleChat::wait_for_input() {
  if (!options_.timers) return;
  while (true) {
    const auto next = tick();
    if (!options_.input_fd || in_.rdbuf()->in_avail() > 0) return;
    // Wake at the next timer, and at least once a minute (the clock may have jumped).
    int timeout_ms = 60'000;
    if (next) {
      const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(*next - clock_.now()).count();
      timeout_ms = static_cast<int>(std::clamp<std::int64_t>(wait, 0, timeout_ms));
    }
    pollfd fd{*options_.input_fd, POLLIN, 0};
    if (::poll(&fd, 1, timeout_ms) != 0) return;  // input, end of input or an error: getline sees it
  }
}

bot::Event ConsoleChat::event(bot::EventKind kind) const {
  bot::Event e;
  e.from = bot::Identity{bot::Platform::console, options_.tenant, handle_};
  e.display_name = handle_;
  e.conversation = "console:" + handle_;
  e.kind = kind;
  e.received_at = clock_.now();
  return e;
}

void ConsoleChat::become(const std::string& handle) {
  handle_ = handle;
  forget_buttons();
  form_.reset();
  send(event(bot::EventKind::app_opened));
}

bool ConsoleChat::line(const std::string& raw) {
  const std::string text{bot::trim(raw)};
  if (text == "/quit" || text == "/exit") return false;
  if (text == "/as" || text.starts_with("/as ") || text.starts_with("/as\t")) {
    const std::string who = bot::normalise_handle(std::string_view{text}.substr(3));
    if (who.empty()) {
      out_ << "usage: /as NAME   (switch to another person, e.g. /as bob; letters, digits, . _ -)\n";
    } else {
      out_ << "--- you are now " << who << " ---\n";
      become(who);
    }
    return true;
  }
  if (text == "/who") {
    out_ << "You are " << handle_ << ". Type /as NAME to switch, /quit to leave.\n";
    return true;
  }

  if (form_) {
    if (bot::lower(text) == "cancel") {
      form_.reset();
      out_ << "(form closed without sending)\n";
      return true;
    }
    if (auto problem = form_->answer(text)) {
      out_ << "  " << *problem << "\n  " << form_->prompt() << '\n';
      return true;
    }
    if (!form_->done()) {
      out_ << "  " << form_->prompt() << '\n';
      return true;
    }
    bot::Event e = event(bot::EventKind::form_submit);
    e.action = form_->form().id;
    e.form_values = form_->values();
    form_.reset();
    send(std::move(e));
    return true;
  }

  if (text.empty()) return true;

  std::size_t pick = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), pick);
  // Buttons keyed by their own (numeric) value need no mapping: the dialog reads the
  // typed number as the answer.
  if (!buttons_.empty() && !keyed_by_value(buttons_) && r.ec == std::errc{} && r.ptr == text.data() + text.size() && pick >= 1 &&
      pick <= buttons_.size()) {
    bot::Event e = event(bot::EventKind::button);
    e.action = buttons_[pick - 1].id;
    e.value = buttons_[pick - 1].value;
    forget_buttons();
    send(std::move(e));
    return true;
  }
  bot::Event e = event(bot::EventKind::text);
  e.text = text;
  forget_buttons();
  send(std::move(e));
  return true;
}

void ConsoleChat::send(bot::Event e) {
  bot::HandleResult r;
  try {
    r = engine_.handle(e);
  } catch (const std::exception& ex) {
    // The transaction rolled back: say so and keep the chat going.
    spdlog::error("console: handling a {} event failed: {}", bot::to_string(e.kind), ex.what());
    out_ << "(Something went wrong handling that; nothing was saved. Please try again.)\n";
    out_.flush();
    return;
  }
  if (r.status == bot::Handled::conflict) {
    out_ << "(someone else is changing this conversation right now; please try again)\n";
    return;
  }
  if (r.person) person_ = r.person;
  if (person_) sender_.drain(*this, person_);
  out_.flush();
}

bot::Delivery ConsoleChat::deliver(const bot::OutboxItem& item) {
  const bot::Recipient& to = item.message.to;
  if (to.kind == bot::RecipientKind::home) return bot::Delivery::ok();  // the terminal has no home page
  if (item.message.retracts) return bot::Delivery::ok();  // what was printed stays on the screen
  // A channel here is everyone at this terminal; the conversation of the person
  // typing (where a goodbye after "delete my data" goes) is just the chat.
  const bool channel = to.kind != bot::RecipientKind::person && to.channel != "console:" + handle_;
  bot::Message shown = item.message;
  // The terminal answers such questions one at a time already; filling the same form
  // too would ask everything twice.
  if (shown.form && shown.form->also_asked) shown.form.reset();
  out_ << render(shown, RenderOptions{options_.interactive, channel ? "coach in #" + to.channel : "coach"});
  if (const auto& a = item.message.attachment) {
    out_ << "----- " << a->filename << " -----\n" << a->content;
    if (!a->content.ends_with('\n')) out_ << '\n';
    out_ << "----- end of " << a->filename << " -----\n";
  }
  // The latest message with buttons owns the numbers, even when plain messages follow
  // it (a nudge, then "welcome back"), until the person answers.
  if (!item.message.buttons.empty()) {
    buttons_ = item.message.buttons;
    buttons_from_channel_ = channel;
  }
  if (shown.form) {
    form_.emplace(*shown.form);
    out_ << "  " << form_->prompt() << '\n';
  }
  return bot::Delivery::ok();
}

void ConsoleChat::forget_buttons() {
  // A channel post's buttons (kudos) stay pickable for whoever is at the terminal next.
  if (buttons_from_channel_) return;
  buttons_.clear();
}

void ConsoleChat::print_prompt() {
  if (!options_.interactive) return;
  out_ << handle_ << " > " << std::flush;
}

}  // namespace adapters::console
