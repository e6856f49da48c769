#include <array>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/error.hpp>
#include <spdlog/spdlog.h>

#include <warroom/net/session_stream.hpp>

#include "use_tuple.hpp"

namespace warroom::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

constexpr std::size_t drain_limit = 4 << 20;
constexpr std::chrono::seconds drain_timeout{2};

}  // namespace

bool connection_lost(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == beast::error::timeout ||
         ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
         ec == asio::error::eof || ec == asio::ssl::error::stream_truncated ||
         ec.category() == asio::error::get_ssl_category();
}

asio::awaitable<bool> handshake(plain_stream&, std::chrono::milliseconds, const std::string&) {
  co_return true;
}

asio::awaitable<bool> handshake(tls_stream& stream, std::chrono::milliseconds deadline,
                                const std::string& remote) {
  stream.next_layer().expires_after(deadline);  // the whole handshake, like a whole request read
  auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, use_tuple);
  if (ec && ec != asio::error::operation_aborted)
    spdlog::debug("TLS handshake with {} failed: {}", remote, ec.message());
  co_return !ec;
}

asio::awaitable<void> close_connection(plain_stream& stream, after_error ending) {
  beast::error_code ec;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  if (ending != after_error::drain) co_return;
  stream.expires_after(drain_timeout);
  std::array<char, 16384> sink;
  std::size_t drained = 0;
  while (drained < drain_limit) {
    auto [read_ec, n] = co_await stream.async_read_some(asio::buffer(sink), use_tuple);
    if (read_ec) break;
    drained += n;
  }
}

asio::awaitable<void> close_connection(tls_stream& stream, after_error) {
  // close_notify, then the client's. Application data arriving after our close_notify is
  // discarded by OpenSSL, which is the drain of a refused body; the deadline bounds both.
  stream.next_layer().expires_after(drain_timeout);
  auto [ec] = co_await stream.async_shutdown(use_tuple);
  // Ignored on purpose: the answer is written; a client closing without close_notify
  // (stream_truncated) or not at all (timeout) loses nothing.
  (void)ec;
}

}  // namespace warroom::net
