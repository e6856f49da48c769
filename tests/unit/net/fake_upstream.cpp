#include "unit/net/fake_upstream.hpp"

#include <chrono>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace warroom::net::testing {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// Counts a session as active for its whole life, and records the peak.
class active_scope {
 public:
  active_scope(std::atomic<std::size_t>& active, std::atomic<std::size_t>& peak) : active_(active) {
    const std::size_t now = ++active_;
    std::size_t seen = peak.load();
    while (seen < now && !peak.compare_exchange_weak(seen, now)) {
    }
  }
  ~active_scope() { --active_; }
  active_scope(const active_scope&) = delete;
  active_scope& operator=(const active_scope&) = delete;

 private:
  std::atomic<std::size_t>& active_;
};

}  // namespace

fake_upstream::fake_upstream(fake_upstream_options options)
    : mode_(options.mode),
      body_(options.body_bytes, 'k'),
      tls_(!options.cert_file.empty()),
      acceptor_(ioc_) {
  if (!body_.empty()) body_.front() = 'o';
  if (tls_) {
    tls_context_ = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    tls_context_->use_certificate_chain_file(options.cert_file);
    tls_context_->use_private_key_file(options.key_file, asio::ssl::context::pem);
  }
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  acceptor_.open(endpoint.protocol());
  acceptor_.bind(endpoint);
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();
  asio::co_spawn(ioc_, accept_loop(), asio::detached);
  thread_ = std::thread([this] { ioc_.run(); });
}

fake_upstream::~fake_upstream() {
  ioc_.stop();
  thread_.join();
}

std::string fake_upstream::origin() const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

asio::awaitable<void> fake_upstream::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(use_tuple);
    if (ec) co_return;
    ++accepted_;
    asio::co_spawn(ioc_, session(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> fake_upstream::session(tcp::socket socket) {
  active_scope scope(active_, max_active_);
  if (!tls_) {
    beast::tcp_stream stream(std::move(socket));
    co_await serve(stream);
    co_return;
  }
  beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *tls_context_);
  stream.next_layer().expires_after(std::chrono::seconds(10));
  auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, use_tuple);
  stream.next_layer().expires_never();
  if (ec) {
    ++handshake_failures_;
    co_return;
  }
  co_await serve(stream);
}

template <class Stream>
asio::awaitable<void> fake_upstream::serve(Stream& stream) {
  beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> request;
    auto [read_ec, read] = co_await http::async_read(stream, buffer, request, use_tuple);
    if (read_ec) co_return;
    ++requests_;
    if (request.method() == http::verb::post) ++posts_;
    if (drop_next_.load() > 0) {
      --drop_next_;  // only this thread decrements
      co_return;
    }
    const upstream_mode mode = mode_;
    if (mode == upstream_mode::never_answer) {
      asio::steady_timer hold(co_await asio::this_coro::executor,
                              asio::steady_timer::time_point::max());
      co_await hold.async_wait(use_tuple);
      co_return;
    }
    http::response<http::string_body> response{http::status::ok, request.version()};
    response.set(http::field::content_type, "text/plain");
    response.keep_alive(mode != upstream_mode::close_after_response);
    response.body() = body_;
    response.prepare_payload();
    auto [write_ec, written] = co_await http::async_write(stream, response, use_tuple);
    if (write_ec || mode != upstream_mode::keep_alive) co_return;
  }
}

}  // namespace warroom::net::testing
