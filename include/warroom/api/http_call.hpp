// The value that crosses from the pure request builders (api) to the I/O layer (net) and back.
// Builders return an http_call; the pool sends it and returns an http_reply; readers turn the
// reply into a result. Nothing here touches a socket.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace warroom::api {

enum class http_method { get, post, put, patch, delete_ };

std::string_view to_string(http_method method);

struct header {
  std::string name;
  std::string value;
  friend bool operator==(const header&, const header&) = default;
};

/// One outbound request. `origin` is "scheme://host[:port]" and selects the connection pool;
/// `target` is the percent-encoded path and query. Headers may hold credentials
/// (Authorization): never log them, use redacted_headers().
struct http_call {
  http_method method = http_method::get;
  std::string origin;
  std::string target;
  std::vector<header> headers;
  std::string body;

  /// GET, PUT and DELETE may be replayed on a fresh connection when a pooled one turns out
  /// stale; POST and PATCH never are.
  bool idempotent() const;
  /// Case-insensitive header lookup.
  std::optional<std::string_view> header_value(std::string_view name) const;
};

/// The call's operation for a metric label: the method and the path with every variable segment
/// (ids, keys, emails, names) replaced by ":id", and no query, so the set of values stays small.
/// "POST /api/v4/channels/:id/members".
std::string operation_name(const http_call& call);

/// One upstream answer, fully read.
struct http_reply {
  unsigned status = 0;
  std::vector<header> headers;
  std::string body;

  std::optional<std::string_view> header_value(std::string_view name) const;
};

/// Headers safe to log: Authorization, Cookie and token-bearing values masked.
std::vector<header> redacted_headers(const std::vector<header>& headers);

/// Case-insensitive ASCII comparison for header names.
bool header_name_equal(std::string_view a, std::string_view b);

}  // namespace warroom::api
