// Shared by the fuzz targets: the input as a string_view, and property checks that abort (so
// libFuzzer and the replay runner both report the input) with a line naming the property.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <utility>

namespace warroom::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Splits at the first '\n': {before, after}; no newline gives {text, ""}.
inline std::pair<std::string_view, std::string_view> split_line(std::string_view text) {
  const auto nl = text.find('\n');
  if (nl == std::string_view::npos) return {text, {}};
  return {text.substr(0, nl), text.substr(nl + 1)};
}

/// True when no byte is a C0 control character or DEL (newlines included).
inline bool one_line(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return false;
  return true;
}

/// UTF-16 code units of valid UTF-8 (what Jira counts as characters).
inline std::size_t utf16_units(std::string_view valid) {
  std::size_t units = 0;
  for (char c : valid) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte & 0xC0) != 0x80) units += byte >= 0xF0 ? 2 : 1;
  }
  return units;
}

#define WARROOM_FUZZ_REQUIRE(cond)                                                              \
  do {                                                                                          \
    if (!(cond)) {                                                                              \
      std::fprintf(stderr, "fuzz property violated at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                             \
    }                                                                                           \
  } while (false)

}  // namespace warroom::fuzz
