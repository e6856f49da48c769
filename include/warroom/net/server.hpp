// The inbound HTTP/1.1 server, plain or over TLS: listener, one coroutine per connection, framing
// checks and routing. Runs on one single-threaded io_context; no member but open_connections() is
// safe to call from another thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <warroom/net/message.hpp>
#include <warroom/net/router.hpp>
#include <warroom/util/result.hpp>

namespace warroom::net {

/// A route handler: receives the fully read request, answers with a response.
using handler = std::function<boost::asio::awaitable<response>(request)>;
using router = basic_router<handler>;

struct server_options {
  std::size_t max_body_bytes = 262144;
  std::size_t max_header_bytes = 8192;
  std::size_t max_connections = 1024;
  std::chrono::milliseconds read_timeout{10000};   // whole request: headers and body
  std::chrono::milliseconds write_timeout{10000};  // whole response
};

/// What the server reports after every answered request (for the access log and metrics).
struct request_record {
  std::string_view method;
  std::string_view route;  // registered pattern or "unmatched"/"malformed"
  unsigned status = 0;
  std::chrono::nanoseconds duration{0};
  std::string_view remote;
};

class server {
 public:
  using observer = std::function<void(const request_record&)>;

  server(boost::asio::any_io_executor executor, server_options options, router routes,
         observer on_request = {});
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// Binds and listens; returns the bound endpoint (port 0 picks a free port).
  result<boost::asio::ip::tcp::endpoint> listen(const std::string& host, std::uint16_t port);
  /// Starts accepting (spawns the accept loop on the executor).
  void start();
  /// Connections accepted from now on handshake with `tls` (null: plain HTTP). Connections already
  /// open keep the context they started with, which is how a certificate reload drops nothing.
  void use_tls(std::shared_ptr<boost::asio::ssl::context> tls) { tls_ = std::move(tls); }
  /// Stops accepting, closes idle connections, lets requests in flight finish for up to
  /// `grace`, then closes what is left.
  boost::asio::awaitable<void> shutdown(std::chrono::milliseconds grace);

  /// Safe from any thread (a metrics scrape, a test): the session list itself is the loop's.
  std::size_t open_connections() const { return open_count_.load(std::memory_order_relaxed); }

 private:
  struct session_state;
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> run_session(boost::asio::ip::tcp::socket socket, bool refused);
  // Generic over the stream (beast::tcp_stream or an ssl_stream of one), defined in server.cpp.
  template <class Stream>
  boost::asio::awaitable<void> serve(Stream& stream);
  template <class Stream>
  boost::asio::awaitable<void> refuse(Stream& stream);
  void session_ended(std::list<session_state>::iterator it);

  boost::asio::any_io_executor executor_;
  server_options options_;
  router routes_;
  observer on_request_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::list<session_state> sessions_;
  std::atomic<std::size_t> open_count_{0};  // sessions_.size(), published for other threads
  boost::asio::steady_timer drained_;
  bool stopping_ = false;
};

}  // namespace warroom::net
