// Test helper: reads vendor fixtures from WARROOM_SHARED_DIR (never copied into the repo).
#pragma once

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace warroom::webhook::testing {

inline std::filesystem::path shared_path(const std::string& relative) {
  return std::filesystem::path(WARROOM_SHARED_DIR) / relative;
}

/// The file's bytes, or nullopt when it is absent (the caller then skips).
inline std::optional<std::string> read_shared(const std::string& relative) {
  std::ifstream in(shared_path(relative), std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// Every file in `dir` whose name starts with `prefix` and ends with ".json", sorted.
inline std::vector<std::filesystem::path> shared_files(const std::string& dir,
                                                       const std::string& prefix) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(shared_path(dir), ec)) {
    const auto name = entry.path().filename().string();
    if (name.starts_with(prefix) && name.ends_with(".json")) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace warroom::webhook::testing
