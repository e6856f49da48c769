// Test helper: the vendor fixtures the repository carries in tests/fixtures/ (README there says
// where each file comes from; tests/tools/refresh_fixtures.py regenerates them). A missing file is
// a failure, never a skip: a clone holds them all.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include <gtest/gtest.h>

namespace warroom::fixtures {

inline std::filesystem::path path(const std::string& relative) {
  return std::filesystem::path(WARROOM_FIXTURES_DIR) / relative;
}

/// The file's bytes; an empty string (and a test failure) when it is absent.
inline std::string read(const std::string& relative) {
  std::ifstream in(path(relative), std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "fixture missing: " << path(relative);
    return {};
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// Every file in `dir` whose name starts with `prefix` and ends with ".json", sorted.
inline std::vector<std::filesystem::path> files(const std::string& dir, const std::string& prefix) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(path(dir), ec)) {
    const auto name = entry.path().filename().string();
    if (name.starts_with(prefix) && name.ends_with(".json")) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace warroom::fixtures
