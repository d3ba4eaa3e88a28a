#pragma once
// A fresh directory under the system temp dir, removed with everything in it when the
// object goes away. Each test gets its own, so tests can run in parallel.
#include <filesystem>
#include <string>
#include <vector>

namespace testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  // The names of what the directory holds now, sorted.
  std::vector<std::string> names() const;

 private:
  std::filesystem::path path_;
};

}  // namespace testing
