// What differs between a plain and a TLS inbound connection: the handshake, and how a connection
// is closed after its last response. The server's session code is one template over the two
// stream types and calls these overloads; everything else is the same code for both.
#pragma once

#include <chrono>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace warroom::net {

using plain_stream = boost::beast::tcp_stream;
using tls_stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

/// How the session ends after writing an error: plain close, or half-close then read and discard
/// what the client is still sending, so it receives our answer instead of a reset.
enum class after_error { close, drain };

/// Read errors after which nothing can be answered: the client went away (over TLS, possibly
/// without close_notify: stream_truncated), was too slow, we are shutting down, or TLS broke.
bool connection_lost(const boost::beast::error_code& ec);

/// The server side of the TLS handshake, bounded as a whole by `deadline`; true when done.
/// A plain stream has none (true at once). Failures are logged at debug level with `remote`.
boost::asio::awaitable<bool> handshake(plain_stream& stream, std::chrono::milliseconds deadline,
                                       const std::string& remote);
boost::asio::awaitable<bool> handshake(tls_stream& stream, std::chrono::milliseconds deadline,
                                       const std::string& remote);

/// Ends the connection after its last response: half-close (plain) or close_notify (TLS), and
/// for `drain` a bounded wait that discards what the client still sends.
boost::asio::awaitable<void> close_connection(plain_stream& stream, after_error ending);
boost::asio::awaitable<void> close_connection(tls_stream& stream, after_error ending);

}  // namespace warroom::net
