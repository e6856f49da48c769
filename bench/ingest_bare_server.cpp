#include "ingest_bare_server.hpp"

#include <cstdio>
#include <exception>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace warroom::bench {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

asio::awaitable<void> session(tcp::socket socket) {
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(262144);  // warroomd's default max_body_bytes
    auto read = http::async_read(socket, buffer, parser, use_tuple);
    auto [read_ec, bytes_read] = co_await std::move(read);
    if (read_ec) co_return;  // end of stream or a broken client: the session ends either way
    http::response<http::string_body> res{http::status::accepted, 11};
    res.set(http::field::content_type, "application/json");
    res.body() = R"({"status":"accepted"})";
    res.keep_alive(parser.get().keep_alive());
    res.prepare_payload();
    auto write = http::async_write(socket, res, use_tuple);
    auto [write_ec, bytes_written] = co_await std::move(write);
    if (write_ec || !res.keep_alive()) co_return;
  }
}

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor) {
  for (;;) {
    auto accept = acceptor.async_accept(use_tuple);
    auto [ec, socket] = co_await std::move(accept);
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) continue;  // a connection that failed before we saw it; the next one may be fine
    socket.set_option(tcp::no_delay(true), ec);
    asio::co_spawn(acceptor.get_executor(), session(std::move(socket)), asio::detached);
  }
}

}  // namespace

int run_bare_server() {
  asio::io_context io{1};
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  std::printf("listening on 127.0.0.1:%u\n",
              static_cast<unsigned>(acceptor.local_endpoint().port()));
  std::fflush(stdout);
  asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&io](const beast::error_code&, int) { io.stop(); });
  asio::co_spawn(io, accept_loop(acceptor), [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  });
  io.run();
  return 0;
}

}  // namespace warroom::bench
