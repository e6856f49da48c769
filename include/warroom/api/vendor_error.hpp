// What the PagerDuty and Mattermost builders and readers share: turning an upstream failure into
// a warroom::error, and reading untrusted JSON replies without ever throwing. Pure functions,
// thread-safe. The Jira code keeps its own copy of the same shape (it is written in parallel).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <warroom/api/http_call.hpp>
#include <warroom/util/result.hpp>

namespace warroom::api {

/// Most bytes of vendor text copied into an error message: replies are untrusted and may be
/// whole HTML pages from a proxy.
inline constexpr std::size_t max_vendor_text = 512;

/// Error code of a 2xx reply whose body does not have the documented shape.
inline constexpr std::string_view bad_reply_code = "bad_reply";

bool is_success(unsigned status);
/// 408, 429 and 5xx: worth retrying with backoff (DESIGN §6); every other failure is final.
bool is_transient_status(unsigned status);

/// The body as JSON, or a discarded value (is_discarded()) when it is not JSON. Never throws.
nlohmann::json parse_body(std::string_view body);
/// Serialises a request body; invalid UTF-8 is replaced instead of throwing.
std::string to_body(const nlohmann::json& value);

/// A bounded, printable copy of vendor text: control characters become spaces (no log
/// injection), surrounding blanks are trimmed, and it is cut at max_vendor_text bytes.
std::string vendor_text(std::string_view text);

/// {bad_reply_code, "<vendor> reply: <what>"}.
error bad_reply(std::string_view vendor, std::string_view what);
/// The fallback when a failed reply carries no vendor error object: code "http_<status>",
/// message "<vendor> answered HTTP <status>" followed by the (bounded) body text, if any.
error http_status_error(std::string_view vendor, const http_reply& reply);

/// Path segment encoding: like util::percent_encode, but '@' stays literal as in Go's
/// url.PathEscape (what Mattermost's own client sends for /users/email/{email}).
std::string encode_path_segment(std::string_view text);

// Non-throwing field access for reply readers: absent, null and wrongly typed all read as
// "not there", so each reader decides which fields are required.
const nlohmann::json* object_at(const nlohmann::json& parent, std::string_view key);
const nlohmann::json* array_at(const nlohmann::json& parent, std::string_view key);
std::optional<std::string> string_at(const nlohmann::json& parent, std::string_view key);
std::optional<std::int64_t> integer_at(const nlohmann::json& parent, std::string_view key);
std::optional<bool> bool_at(const nlohmann::json& parent, std::string_view key);

}  // namespace warroom::api
