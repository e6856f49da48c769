// How long an upstream asked us to wait before trying again, read from reply headers: the
// standard Retry-After and the vendors' rate-limit reset headers. Pure (the caller passes
// `now`), thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include <warroom/api/http_call.hpp>

namespace warroom::retry {

using wall_clock = std::chrono::system_clock;

/// RFC 9110 HTTP-date in any of its three forms: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"),
/// obsolete RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime ("Sun Nov  6 08:49:37 1994").
std::optional<wall_clock::time_point> parse_http_date(std::string_view text);

/// ISO-8601 date and time with minutes, optional seconds and fraction, and a zone "Z" or
/// "+HH:MM"/"+HHMM" (Jira Cloud's X-RateLimit-Reset is "yyyy-MM-ddTHH:mmZ").
std::optional<wall_clock::time_point> parse_iso8601(std::string_view text);

/// The wait the reply asks for, not clamped (may be zero when the moment has passed).
/// nullopt: no usable header, so the caller falls back to its own backoff.
///  * `Retry-After` (any status): delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
///  * On 429 only, since these describe the rate-limit window and not an outage:
///    `ratelimit-reset` (PagerDuty: seconds until the window resets), then
///    `X-RateLimit-Reset`, which Jira Cloud sends as an ISO-8601 time and Mattermost as a
///    number whose documentation says "UTC epoch seconds" while its examples show both "1"
///    and "1441983590": values of 10^9 and above are read as an epoch time, smaller ones as
///    seconds from now.
std::optional<std::chrono::milliseconds> requested_delay(const api::http_reply& reply,
                                                         wall_clock::time_point now);

}  // namespace warroom::retry
