// Request-smuggling and framing checks on a parsed header block, done before any handler runs.
// Pure: operates on the header list exactly as received (duplicates kept, order kept).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <warroom/api/http_call.hpp>

namespace warroom::net {

/// Why a request's framing is refused (always answered 400 and the connection closed).
struct framing_error {
  std::string message;
};

/// Rejects: Transfer-Encoding other than exactly "chunked" (or repeated), Transfer-Encoding
/// together with Content-Length, several or comma-listed Content-Length values, a non-numeric
/// length, a missing or repeated Host, and any target that is not origin-form ("/path?query").
std::optional<framing_error> check_framing(std::string_view target,
                                           const std::vector<api::header>& headers);

}  // namespace warroom::net
