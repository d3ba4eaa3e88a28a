#pragma once
// A progress display on one terminal line: "importing people.csv [#####-----] 50%",
// redrawn in place ('\r') only when the percentage changes, so a large import does not
// flood a slow terminal, and erased by finish() (or the destructor) so the report that
// follows starts on a clean line. Meant for stderr on a terminal: the caller decides
// (isatty), because in a file or a pipe the redraws would be noise. Not thread-safe.
#include <cstddef>
#include <iosfwd>
#include <string>

namespace bot {

class ProgressLine {
 public:
  ProgressLine(std::ostream& out, std::string label);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  void update(std::size_t done, std::size_t total);
  void finish();

 private:
  std::ostream& out_;
  std::string label_;
  int shown_ = -1;  // the percentage on screen; -1 before the first draw
};

}  // namespace bot
