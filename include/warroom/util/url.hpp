// Absolute http(s) URLs as configured for the upstream services and the public address.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <warroom/util/result.hpp>

namespace warroom::util {

/// A parsed absolute URL. `path` has no trailing slash ("" for the root), so callers append
/// "/rest/api/3/issue" and get exactly one slash.
struct url {
  std::string scheme;  // "http" or "https"
  std::string host;    // lowercase; IPv6 without brackets
  std::uint16_t port = 0;
  std::string path;

  bool tls() const { return scheme == "https"; }
  /// "https://host" or "http://host:port" (default ports omitted): the pool's origin key.
  std::string origin() const;
  /// The Host header value: host, with ":port" when not the scheme's default.
  std::string host_header() const;
};

/// Parses an absolute http:// or https:// URL without query or fragment.
result<url> parse_url(std::string_view text);

/// Percent-encodes one path segment or query value (RFC 3986 unreserved characters stay).
std::string percent_encode(std::string_view text);

}  // namespace warroom::util
