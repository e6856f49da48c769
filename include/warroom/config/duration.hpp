// Duration strings of the config file: "500ms", "10s", "5m", "720h", "1h30m".
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace warroom::config {

/// Parses one or more <integer><unit> segments (units ms, s, m, h, d). nullopt when malformed,
/// negative or overflowing.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

/// The shortest exact spelling of a duration ("1500ms", "10s", "720h").
std::string format_duration(std::chrono::milliseconds value);

}  // namespace warroom::config
