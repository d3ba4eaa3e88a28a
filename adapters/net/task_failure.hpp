#pragma once
// The completion handler for tasks started with co_spawn whose result nobody awaits:
// an exception that ends such a task is logged with the task's name instead of
// vanishing. Stateless; thread-safe.
#include <exception>
#include <string>
#include <string_view>

namespace net {

void log_task_failure(std::string_view task, std::exception_ptr e);

// co_spawn(ex, task(), failure_logger("slack delivery"))
inline auto failure_logger(std::string task) {
  return [task = std::move(task)](std::exception_ptr e) { log_task_failure(task, e); };
}

}  // namespace net
