// Inbound HTTP request and response as plain values, so handlers and routing stay free of Beast.
// The session converts from and to Beast messages at the edge.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <warroom/api/http_call.hpp>

namespace warroom::net {

using api::header;

/// One fully read, already validated request (framing checks happen before a handler sees it).
struct request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // origin-form, as received: "/webhooks/pagerduty?x=1"
  std::vector<header> headers;
  std::string body;
  std::string remote;  // "127.0.0.1:51234"

  /// The path without the query string.
  std::string_view path() const;
  /// The raw query string without '?', or "".
  std::string_view query() const;
  /// Case-insensitive lookup of the first header with this name.
  std::optional<std::string_view> header_value(std::string_view name) const;
};

/// What a handler answers. `close` asks the session to close the connection after writing.
struct response {
  unsigned status = 200;
  std::vector<header> headers;
  std::string body;
  bool close = false;

  void set_header(std::string name, std::string value);
};

/// A JSON response body with Content-Type set.
response json_response(unsigned status, std::string body);
/// The house error shape: {"error": "<word>", "message": "<sentence>"}.
response error_response(unsigned status, std::string_view word, std::string_view message);
/// The standard reason phrase for a status code ("Accepted"), or "Unknown".
std::string_view reason_phrase(unsigned status);

/// The response as HTTP/1.x bytes, ready for one write. `version` is 10 or 11. The framing headers
/// are ours alone: Content-Length from the body (none, and no body, for 1xx, 204 and 304),
/// Connection from `keep_alive` as the version needs it, and Server; a handler's own copies of
/// these are dropped, and CR, LF and NUL never reach the wire from a header.
std::string serialize_response(const response& r, unsigned version, bool keep_alive);

/// The error word for a status code ("bad_request", "not_found", ...).
std::string_view error_word(unsigned status);

}  // namespace warroom::net
