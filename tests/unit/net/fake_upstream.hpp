// fake_upstream: an in-process HTTP/1.1 server on 127.0.0.1:0 for the outbound client tests and
// the outbound benchmark. It runs on its own thread, counts connections and requests, and can be
// told to misbehave. Every accessor is thread-safe.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

namespace warroom::net::testing {

enum class upstream_mode {
  keep_alive,            // answer every request, keep the connection
  close_after_response,  // answer with "Connection: close" and close
  close_silently,        // answer as keep-alive, then close anyway
  never_answer,          // read the request, then hold the connection without a byte back
};

struct fake_upstream_options {
  upstream_mode mode = upstream_mode::keep_alive;
  std::size_t body_bytes = 2;  // size of the "ok..." body of every answer
  std::string cert_file{};     // PEM chain; TLS when set
  std::string key_file{};
};

class fake_upstream {
 public:
  explicit fake_upstream(fake_upstream_options options = {});
  ~fake_upstream();  // stops the thread and drops every connection
  fake_upstream(const fake_upstream&) = delete;
  fake_upstream& operator=(const fake_upstream&) = delete;

  std::uint16_t port() const { return port_; }
  /// "http://127.0.0.1:PORT" or "https://127.0.0.1:PORT".
  std::string origin() const;

  void set_mode(upstream_mode mode) { mode_ = mode; }
  /// The next `count` requests are read, counted, and answered by closing the connection.
  void drop_next_requests(int count) { drop_next_ = count; }

  std::size_t accepted() const { return accepted_; }
  std::size_t active() const { return active_; }
  std::size_t max_active() const { return max_active_; }
  std::size_t requests() const { return requests_; }
  std::size_t posts() const { return posts_; }
  std::size_t handshake_failures() const { return handshake_failures_; }

 private:
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> session(boost::asio::ip::tcp::socket socket);
  template <class Stream>
  boost::asio::awaitable<void> serve(Stream& stream);

  std::atomic<std::size_t> accepted_{0}, active_{0}, max_active_{0};
  std::atomic<std::size_t> requests_{0}, posts_{0}, handshake_failures_{0};
  std::atomic<upstream_mode> mode_;
  std::atomic<int> drop_next_{0};
  std::string body_;
  bool tls_;
  std::unique_ptr<boost::asio::ssl::context> tls_context_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace warroom::net::testing
