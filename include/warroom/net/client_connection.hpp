// One outbound HTTP/1.1 connection, plain TCP or TLS, as lent out by a connection_pool.
// Not thread-safe: one coroutine uses it at a time, on the executor it was opened with.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <variant>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <warroom/api/http_call.hpp>
#include <warroom/net/tls_context.hpp>
#include <warroom/util/result.hpp>
#include <warroom/util/url.hpp>

namespace warroom::net {

using client_clock = std::chrono::steady_clock;
using outbound_request = boost::beast::http::request<boost::beast::http::string_body>;

/// The Beast request for a call: method, target, Host and User-Agent, the call's headers, body
/// and Content-Length. Fails (bad_request) when the target or a header would break the framing
/// (CR, LF or NUL); the error names the header, never its value.
result<outbound_request> make_outbound_request(const api::http_call& call, const util::url& origin,
                                               std::string_view user_agent);

/// How a request/response exchange failed. `stale` means the server provably sent nothing back:
/// the write failed, or the connection was closed or reset before the first response byte. Only
/// then may a pool replay an idempotent call on a fresh connection.
struct exchange_error {
  error err;
  bool stale = false;
};

struct response_limits {
  std::size_t max_body_bytes = 0;
  std::uint32_t max_header_bytes = 0;
};

class client_connection {
 public:
  using plain_stream = boost::beast::tcp_stream;

  /// Resolves (asynchronously), connects and, for https, handshakes with peer and host-name
  /// verification. `tls` must be set for https origins. Every stage ends by `deadline`.
  static boost::asio::awaitable<result<std::unique_ptr<client_connection>>> open(
      boost::asio::any_io_executor executor, const util::url& origin,
      boost::asio::ssl::context* tls, client_clock::time_point deadline);

  explicit client_connection(plain_stream stream);
  explicit client_connection(std::unique_ptr<tls_client_stream> stream);

  /// Writes the request and reads one whole response within the limits, by `deadline`.
  boost::asio::awaitable<result<api::http_reply, exchange_error>> exchange(
      const outbound_request& request, response_limits limits, client_clock::time_point deadline);

  /// True when the last response leaves the connection usable: keep-alive, body fully read,
  /// nothing unexpected buffered.
  bool reusable() const { return reusable_; }
  /// Exchanges completed on this connection so far.
  std::uint64_t exchanges() const { return exchanges_; }

  /// A non-blocking look at an idle connection: false when the server has closed it or sent
  /// something unsolicited, so it must not carry another request.
  bool still_open();

  void mark_idle(client_clock::time_point now) { idle_since_ = now; }
  client_clock::time_point idle_since() const { return idle_since_; }

 private:
  plain_stream& tcp();

  // ssl_stream is held by pointer so the TLS state never moves.
  std::variant<plain_stream, std::unique_ptr<tls_client_stream>> stream_;
  boost::beast::flat_buffer buffer_;
  bool reusable_ = false;
  std::uint64_t exchanges_ = 0;
  client_clock::time_point idle_since_{};
};

}  // namespace warroom::net
