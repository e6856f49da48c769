// warroom-sim: small HTTP and text helpers shared by the Mattermost and Jira fakes (routing on
// path segments, query parameters, JSON bodies, UTF-8 rune counts). Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <warroom/net/message.hpp>

namespace warroom::sim {

/// The path split on '/', empty segments dropped, each segment percent-decoded:
/// "/api/v4/users/email/a%40b.c" → {"api", "v4", "users", "email", "a@b.c"}.
std::vector<std::string> path_segments(std::string_view path);

/// Matches segments against a pattern such as "channels/{}/members" ("{}" matches any one
/// segment). On a match, returns the segments the "{}" stood for, in order.
std::optional<std::vector<std::string>> match_route(std::string_view pattern,
                                                    const std::vector<std::string>& segments);

/// Percent-decoding ('+' stays '+' unless `plus_is_space`); malformed escapes are kept as is.
std::string percent_decode(std::string_view text, bool plus_is_space = false);

/// The decoded value of the first query parameter `name` ("a=1&b=x%20y"), or nullopt.
std::optional<std::string> query_param(std::string_view query, std::string_view name);

/// The body as JSON, or a discarded value when it is not JSON. Never throws.
nlohmann::json parse_json(std::string_view body);

/// The string member `key` of `object`, or "" when `object` is not an object or the member is
/// absent or not a string. Never throws (input is untrusted).
std::string string_at(const nlohmann::json& object, std::string_view key);

/// A JSON response; invalid UTF-8 in `body` is replaced rather than thrown on.
net::response json_reply(unsigned status, const nlohmann::json& body);

/// Number of UTF-8 code points (what Mattermost calls runes); continuation bytes not counted.
std::size_t rune_count(std::string_view text);

/// Standard base64 with padding.
std::string base64_encode(std::string_view bytes);

/// Case-insensitive ASCII equality.
bool iequals(std::string_view a, std::string_view b);

}  // namespace warroom::sim
