#include "adapters/net/task_failure.hpp"

#include <spdlog/spdlog.h>

namespace net {

void log_task_failure(std::string_view task, std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    spdlog::error("{} failed: {}", task, x.what());
  } catch (...) {
    spdlog::error("{} failed with an unknown exception", task);
  }
}

}  // namespace net
