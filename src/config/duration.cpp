#include <array>
#include <cctype>
#include <cstdint>
#include <limits>
#include <utility>

#include <warroom/config/duration.hpp>

namespace warroom::config {
namespace {

constexpr std::array<std::pair<std::string_view, std::int64_t>, 5> units = {
    {{"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}}};

std::optional<std::int64_t> unit_millis(std::string_view unit) {
  for (const auto& [name, ms] : units)
    if (name == unit) return ms;
  return std::nullopt;
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::int64_t number = 0;
    const std::size_t digits_start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      if (number > (std::numeric_limits<std::int64_t>::max() - 9) / 10) return std::nullopt;
      number = number * 10 + (text[i] - '0');
      ++i;
    }
    if (i == digits_start) return std::nullopt;
    const std::size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])))
      ++i;
    const auto ms = unit_millis(text.substr(unit_start, i - unit_start));
    if (!ms) return std::nullopt;
    if (number > (std::numeric_limits<std::int64_t>::max() - total) / *ms) return std::nullopt;
    total += number * *ms;
  }
  return std::chrono::milliseconds(total);
}

std::string format_duration(std::chrono::milliseconds value) {
  const std::int64_t ms = value.count();
  for (auto it = units.rbegin(); it != units.rend(); ++it)
    if (ms != 0 && ms % it->second == 0)
      return std::to_string(ms / it->second) + std::string(it->first);
  return std::to_string(ms) + "ms";
}

}  // namespace warroom::config
