// json_input: reading untrusted JSON request bodies (PagerDuty webhooks, Mattermost callbacks)
// without exceptions and without trusting any value's type. Pure; every function is thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <warroom/util/result.hpp>

namespace warroom::webhook {

/// Error codes of the webhook module's parsers (the HTTP layer maps them to 400).
namespace errc {
inline constexpr const char* malformed_json = "malformed_json";  // not JSON at all, or too deep
inline constexpr const char* bad_envelope = "bad_envelope";      // JSON, but not a V3 webhook
inline constexpr const char* bad_request = "bad_request";        // JSON, but not an action request
}  // namespace errc

/// Deepest array/object nesting accepted. Real bodies nest about 5 levels; the bound keeps a
/// hostile body from costing deep recursion or a large parser stack.
inline constexpr std::size_t max_json_depth = 64;

/// True when no array/object in `body` nests deeper than `max_depth` (brackets inside strings are
/// ignored). A cheap linear scan run before the real parse; it does not validate the JSON.
bool json_depth_within(std::string_view body, std::size_t max_depth) noexcept;

/// Parses `body` (depth-checked, no exceptions). Errors: malformed_json.
result<nlohmann::json> parse_json_body(std::string_view body);

/// Field readers over a JSON value of any type: a missing field, a null, or a value of the wrong
/// type reads as "absent" instead of throwing.
const nlohmann::json* object_field(const nlohmann::json& parent, std::string_view key) noexcept;
const nlohmann::json* array_field(const nlohmann::json& parent, std::string_view key) noexcept;
std::optional<std::string> optional_string_field(const nlohmann::json& parent,
                                                 std::string_view key);
std::string string_field(const nlohmann::json& parent, std::string_view key);
/// An integral number that fits in int64 (a float, a string or anything else reads as absent).
std::optional<std::int64_t> integer_field(const nlohmann::json& parent,
                                          std::string_view key) noexcept;

}  // namespace warroom::webhook
