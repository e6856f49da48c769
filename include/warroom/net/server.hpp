// The inbound HTTP/1.1 server, plain or over TLS: listener, one coroutine per connection, framing
// checks and routing. The listener, shutdown and routes that run on the event loop live on the
// main executor (a single-threaded io_context); connections may be spread over further loops, each
// connection staying on the one it was given. No member but open_connections() is safe to call
// from another thread than the main executor's.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <vector>

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
  /// Connections are handed in turn to the main executor and to each of `loops` (single-threaded
  /// io_contexts running on threads of their own), where they are read, answered and closed.
  /// Routes added with runs_on::event_loop still run on the main executor. Before start().
  void serve_on(const std::vector<boost::asio::any_io_executor>& loops);
  /// Starts accepting (spawns the accept loop on the executor).
  void start();
  /// Connections accepted from now on handshake with `tls` (null: plain HTTP). Connections already
  /// open keep the context they started with, which is how a certificate reload drops nothing.
  void use_tls(std::shared_ptr<boost::asio::ssl::context> tls) { tls_ = std::move(tls); }
  /// Stops accepting, closes idle connections, lets requests in flight finish for up to
  /// `grace`, then closes what is left (on another loop: soon after, by a posted close).
  boost::asio::awaitable<void> shutdown(std::chrono::milliseconds grace);

  /// Safe from any thread (a metrics scrape, a test): the session list itself is the loop's.
  std::size_t open_connections() const { return open_count_.load(std::memory_order_relaxed); }

 private:
  struct session_state;
  struct loop;
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> run_session(boost::asio::ip::tcp::socket socket, loop& home,
                                           std::shared_ptr<boost::asio::ssl::context> tls,
                                           bool refused);
  // Generic over the stream (beast::tcp_stream or an ssl_stream of one), defined in server.cpp.
  template <class Stream>
  boost::asio::awaitable<void> serve(Stream& stream, loop& home);
  template <class Stream>
  boost::asio::awaitable<void> refuse(Stream& stream);
  void connection_ended();
  // Runs `action` on each loop's own thread (its session list is that thread's alone).
  void on_every_loop(void (*action)(loop&));

  boost::asio::any_io_executor executor_;
  server_options options_;
  router routes_;
  observer on_request_;
  std::shared_ptr<boost::asio::ssl::context> tls_;  // main executor only
  boost::asio::ip::tcp::acceptor acceptor_;
  std::vector<std::unique_ptr<loop>> loops_;  // [0] is the main executor's
  // Accept loop only. From 1: a lone keep-alive sender (PagerDuty's) is served beside the event
  // loop, which keeps its time for the jobs.
  std::size_t next_loop_ = 1;
  // Connections accepted and not yet ended, counted at accept so the cap holds across loops.
  std::atomic<std::size_t> open_count_{0};
  boost::asio::steady_timer drained_;
  std::atomic<bool> stopping_{false};
};

}  // namespace warroom::net
