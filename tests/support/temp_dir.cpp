#include "tests/support/temp_dir.hpp"

#include <stdlib.h>

#include <algorithm>
#include <stdexcept>

namespace testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "coachbot-test-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::vector<std::string> TempDir::names() const {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator{path_}) out.push_back(entry.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace testing
