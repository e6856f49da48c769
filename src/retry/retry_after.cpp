#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include <warroom/retry/retry_after.hpp>

namespace warroom::retry {
namespace {

using namespace std::chrono;

// Beyond any epoch time we will meet; bounding parsed numbers keeps the conversion to
// milliseconds far from overflow (the policy clamps the resulting delay much lower anyway).
constexpr double max_hint_seconds = 1e11;
// Mattermost's X-Ratelimit-Reset: an epoch time from here on (2001-09-09), seconds below.
constexpr double epoch_threshold = 1e9;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Exactly `count` decimal digits at the front of `s`, consumed.
std::optional<int> take_digits(std::string_view& s, std::size_t count) {
  if (s.size() < count ||
      !std::all_of(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(count), is_digit))
    return std::nullopt;
  int value = 0;
  std::from_chars(s.data(), s.data() + count, value);
  s.remove_prefix(count);
  return value;
}

bool take(std::string_view& s, char c) {
  if (s.empty() || s.front() != c) return false;
  s.remove_prefix(1);
  return true;
}

std::optional<wall_clock::time_point> make_time(int y, int mon, int d, int h, int min, int sec) {
  const year_month_day date{year{y}, month{static_cast<unsigned>(mon)},
                            day{static_cast<unsigned>(d)}};
  if (!date.ok() || h > 23 || min > 59 || sec > 60) return std::nullopt;
  return sys_days{date} + hours{h} + minutes{min} + seconds{sec};
}

std::optional<int> month_number(std::string_view name) {
  static constexpr std::array<std::string_view, 12> names = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (std::size_t i = 0; i < names.size(); ++i)
    if (name == names[i]) return static_cast<int>(i) + 1;
  return std::nullopt;
}

// Non-negative decimal seconds ("2", "1.5"); nullopt for anything else.
std::optional<double> parse_seconds(std::string_view text) {
  text = trim(text);
  if (text.empty() || !is_digit(text.front())) return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) return max_hint_seconds;
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return std::min(value, max_hint_seconds);
}

milliseconds from_seconds(double s) {
  return milliseconds{std::llround(s * 1000.0)};
}

milliseconds until(wall_clock::time_point when, wall_clock::time_point now) {
  return std::max(milliseconds{0}, ceil<milliseconds>(when - now));
}

}  // namespace

std::optional<wall_clock::time_point> parse_http_date(std::string_view text) {
  std::vector<std::string_view> tokens;
  for (std::string_view rest = trim(text); !rest.empty();) {
    const auto end = rest.find_first_of(" ,-");
    if (end != 0) tokens.push_back(rest.substr(0, end));
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  if (tokens.size() < 5 || tokens.size() > 6) return std::nullopt;
  if (!std::all_of(tokens[0].begin(), tokens[0].end(),
                   [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }))
    return std::nullopt;  // the weekday name
  // asctime: weekday month day clock year; IMF-fixdate and RFC 850: weekday day month year
  // clock "GMT" (RFC 850 writes "06-Nov-94", which the '-' separator splits the same way).
  const bool asctime = tokens.size() == 5;
  if (!asctime && tokens[5] != "GMT") return std::nullopt;
  const auto mon = month_number(tokens[asctime ? 1 : 2]);
  std::string_view day_text = tokens[asctime ? 2 : 1];
  std::string_view year_text = tokens[asctime ? 4 : 3];
  std::string_view clock = tokens[asctime ? 3 : 4];
  const bool two_digit_year = year_text.size() == 2;
  const auto d = take_digits(day_text, day_text.size() == 1 ? 1 : 2);
  auto y = take_digits(year_text, two_digit_year ? 2 : 4);
  if (!mon || !d || !y || !day_text.empty() || !year_text.empty() || clock.size() != 8)
    return std::nullopt;
  if (two_digit_year) *y += *y < 70 ? 2000 : 1900;  // RFC 850
  const auto h = take_digits(clock, 2);
  const bool c1 = take(clock, ':');
  const auto min = take_digits(clock, 2);
  const bool c2 = take(clock, ':');
  const auto sec = take_digits(clock, 2);
  if (!h || !c1 || !min || !c2 || !sec) return std::nullopt;
  return make_time(*y, *mon, *d, *h, *min, *sec);
}

std::optional<wall_clock::time_point> parse_iso8601(std::string_view text) {
  std::string_view s = trim(text);
  const auto y = take_digits(s, 4);
  const bool d1 = take(s, '-');
  const auto mon = take_digits(s, 2);
  const bool d2 = take(s, '-');
  const auto d = take_digits(s, 2);
  const bool t = take(s, 'T') || take(s, 't') || take(s, ' ');
  const auto h = take_digits(s, 2);
  const bool c1 = take(s, ':');
  const auto min = take_digits(s, 2);
  if (!y || !d1 || !mon || !d2 || !d || !t || !h || !c1 || !min) return std::nullopt;
  int sec = 0;
  if (take(s, ':')) {
    const auto parsed = take_digits(s, 2);
    if (!parsed) return std::nullopt;
    sec = *parsed;
    if (take(s, '.') || take(s, ','))
      while (!s.empty() && is_digit(s.front()))
        s.remove_prefix(1);  // below our resolution
  }
  minutes offset{0};
  if (!take(s, 'Z') && !take(s, 'z')) {
    // A local time without a zone cannot be placed, so a zone is required.
    const int sign = take(s, '-') ? -1 : take(s, '+') ? 1 : 0;
    const auto oh = take_digits(s, 2);
    take(s, ':');
    const auto om = take_digits(s, 2);
    if (sign == 0 || !oh || !om || *oh > 23 || *om > 59) return std::nullopt;
    offset = sign * (hours{*oh} + minutes{*om});
  }
  if (!s.empty()) return std::nullopt;
  auto when = make_time(*y, *mon, *d, *h, *min, sec);
  if (!when) return std::nullopt;
  return *when - offset;
}

std::optional<milliseconds> requested_delay(const api::http_reply& reply,
                                            wall_clock::time_point now) {
  if (auto value = reply.header_value("Retry-After")) {
    if (auto s = parse_seconds(*value)) return from_seconds(*s);
    if (auto when = parse_http_date(*value)) return until(*when, now);
  }
  if (reply.status != 429) return std::nullopt;
  if (auto value = reply.header_value("ratelimit-reset"))
    if (auto s = parse_seconds(*value)) return from_seconds(*s);
  if (auto value = reply.header_value("X-RateLimit-Reset")) {
    if (auto when = parse_iso8601(*value)) return until(*when, now);
    if (auto s = parse_seconds(*value)) {
      if (*s < epoch_threshold) return from_seconds(*s);
      return until(wall_clock::time_point{} + from_seconds(*s), now);
    }
  }
  return std::nullopt;
}

}  // namespace warroom::retry
