// Settings, error words and counters shared by the outbound HTTP client (http_client) and its
// per-origin pools (connection_pool). Plain values; no I/O.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace warroom::net {

/// Outbound settings, filled from the `outbound.*` config keys by the runtime.
///
/// `request_timeout` is ONE budget per send() call, not a per-stage timeout: waiting for a free
/// connection, DNS, TCP connect, TLS handshake, writing the request and reading the whole reply
/// all draw on it, and a replay on a fresh connection only gets what is left. A caller therefore
/// knows the longest a call can take.
struct client_options {
  std::size_t max_connections_per_host = 8;
  std::chrono::milliseconds request_timeout{10'000};
  /// An idle keep-alive connection is closed after this long without use.
  std::chrono::milliseconds idle_timeout{30'000};
  std::size_t max_body_bytes = 8 * 1024 * 1024;
  std::uint32_t max_header_bytes = 64 * 1024;
  std::string user_agent = "warroom";
};

/// The `error::code` words that send() returns. Messages name the origin and the stage, never a
/// header value.
namespace client_errc {
inline constexpr const char* bad_request = "bad_request";        // the call is unusable (origin)
inline constexpr const char* connect_failed = "connect_failed";  // DNS or TCP connect
inline constexpr const char* tls_failed = "tls_failed";          // handshake, with OpenSSL's reason
inline constexpr const char* timeout = "timeout";                // request_timeout used up
inline constexpr const char* connection_closed = "connection_closed";  // EOF/reset/write failure
inline constexpr const char* bad_response = "bad_response";  // unparsable or over the limits
}  // namespace client_errc

/// A snapshot of a pool's counters (for /metrics). The first four only grow; the rest are gauges.
struct pool_stats {
  std::uint64_t opened = 0;   // connections established (TCP, plus TLS handshake for https)
  std::uint64_t reused = 0;   // requests sent on a connection that had served one before
  std::uint64_t retried = 0;  // idempotent calls replayed after a stale pooled connection
  std::uint64_t evicted = 0;  // idle connections closed by idle_timeout
  std::uint64_t open = 0;     // connections held: in use, connecting or idle
  std::uint64_t in_use = 0;   // slots lent to a request (including ones still connecting)
  std::uint64_t idle = 0;     // kept-alive connections waiting for the next request
  std::uint64_t waiting = 0;  // requests queued for a slot (FIFO)

  pool_stats& operator+=(const pool_stats& other) {
    opened += other.opened;
    reused += other.reused;
    retried += other.retried;
    evicted += other.evicted;
    open += other.open;
    in_use += other.in_use;
    idle += other.idle;
    waiting += other.waiting;
    return *this;
  }
};

}  // namespace warroom::net
