#include <array>
#include <cstddef>
#include <memory_resource>
#include <optional>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include <warroom/net/framing.hpp>
#include <warroom/net/server.hpp>
#include <warroom/net/session_stream.hpp>

#include "use_tuple.hpp"

namespace warroom::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using clock = std::chrono::steady_clock;

namespace {

// A connection's read buffer: one signed webhook of a few KB with its headers, read at once.
constexpr std::size_t read_buffer_bytes = 8192;

// Beast keeps each header field in an allocation of its own, freed with the parser: about a dozen
// malloc/free pairs a request, 2,900 instructions of each webhook (callgrind). They come from a
// buffer in the session instead (2 KiB more per connection), which a PagerDuty delivery's dozen
// fields fit; more spill to the heap.
constexpr std::size_t header_arena_bytes = 2048;
using header_allocator = std::pmr::polymorphic_allocator<char>;
using request_parser = http::request_parser<http::string_body, header_allocator>;

template <class Fields>
std::vector<header> to_headers(const Fields& fields) {
  std::vector<header> out;
  out.reserve(16);
  for (const auto& f : fields)
    out.push_back({std::string(f.name_string()), std::string(f.value())});
  return out;
}

// Feeds `parser` what `buffer` already holds, as a read would before reading more; `ec` is set
// only for a parse error (running out of bytes is not one).
template <class Parser>
void parse_buffered(Parser& parser, beast::flat_buffer& buffer, beast::error_code& ec) {
  while (!parser.is_done() && buffer.size() > 0) {
    const std::size_t used = parser.put(buffer.data(), ec);
    buffer.consume(used);
    if (ec == http::error::need_more) {
      ec = {};
      return;
    }
    if (ec || used == 0) return;
  }
}

// The accepted socket registered with `executor`'s reactor instead. Accepting straight onto
// another loop would leave a socket of that loop inside the acceptor's pending operation, which
// the event loop destroys last, after the other loops are gone.
tcp::socket moved_to(tcp::socket socket, const asio::any_io_executor& executor,
                     beast::error_code& ec) {
  if (socket.get_executor() == executor) return socket;
  const auto protocol = socket.local_endpoint(ec).protocol();
  tcp::socket out(executor);
  if (ec) return out;
  const auto fd = socket.release(ec);
  if (ec) return out;
  out.assign(protocol, fd, ec);
  if (ec) ::close(fd);
  return out;
}

std::string remote_of(const beast::tcp_stream& stream) {
  beast::error_code ec;
  const auto ep = stream.socket().remote_endpoint(ec);
  if (ec) return "unknown";
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}

}  // namespace

struct server::session_state {
  beast::tcp_stream* stream = nullptr;
  bool busy = false;  // a request is being read or handled; idle ones are closed on shutdown
};

// An executor connections are served on, with the connections it serves: the list is touched only
// on that executor's thread, which is what lets shutdown reach a stream safely (by posting there).
struct server::loop {
  asio::any_io_executor executor;
  std::list<session_state> sessions;
};

server::server(asio::any_io_executor executor, server_options options, router routes,
               observer on_request)
    : executor_(executor),
      options_(options),
      routes_(std::move(routes)),
      on_request_(std::move(on_request)),
      acceptor_(executor),
      drained_(executor) {
  loops_.push_back(std::make_unique<loop>(loop{executor, {}}));
}

server::~server() = default;

result<tcp::endpoint> server::listen(const std::string& host, std::uint16_t port) {
  beast::error_code ec;
  const auto address = asio::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec) return make_error("bad_address", "cannot listen on " + host + ": " + ec.message());
  const tcp::endpoint endpoint(address, port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return make_error("listen_failed", "cannot listen on " + host + ":" + std::to_string(port) +
                                           ": " + ec.message());
  return acceptor_.local_endpoint();
}

void server::serve_on(const std::vector<asio::any_io_executor>& loops) {
  for (const auto& executor : loops)
    loops_.push_back(std::make_unique<loop>(loop{executor, {}}));
}

void server::on_every_loop(void (*action)(loop&)) {
  action(*loops_.front());  // this thread's own
  for (std::size_t i = 1; i < loops_.size(); ++i)
    asio::post(loops_[i]->executor, [home = loops_[i].get(), action] { action(*home); });
}

void server::start() {
  asio::co_spawn(executor_, accept_loop(), [](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      spdlog::critical("accept loop failed: {}", ex.what());
    }
  });
}

asio::awaitable<void> server::accept_loop() {
  while (!stopping_) {
    // Connections go round the loops: with keep-alive senders each loop keeps its share.
    loop& home = *loops_[next_loop_++ % loops_.size()];
    auto [ec, accepted] = co_await acceptor_.async_accept(use_tuple);
    if (ec == asio::error::operation_aborted || stopping_) break;
    if (ec) {
      // EMFILE and friends: back off briefly instead of spinning on the failing accept.
      spdlog::warn("accept failed: {}", ec.message());
      asio::steady_timer pause(executor_, std::chrono::milliseconds(50));
      co_await pause.async_wait(use_tuple);
      continue;
    }
    auto socket = moved_to(std::move(accepted), home.executor, ec);
    if (ec) {
      spdlog::warn("accepted connection could not be handed over: {}", ec.message());
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    const bool refused = open_count_.load(std::memory_order_relaxed) >= options_.max_connections;
    if (!refused) open_count_.fetch_add(1, std::memory_order_relaxed);
    // The TLS context current at accept: a reload replaces tls_ for later connections only.
    auto session = run_session(std::move(socket), home, tls_, refused);
    asio::co_spawn(home.executor, std::move(session), [](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        spdlog::error("session failed: {}", ex.what());
      }
    });
  }
}

asio::awaitable<void> server::run_session(tcp::socket socket, loop& home,
                                          std::shared_ptr<asio::ssl::context> tls, bool refused) {
  // Counted at accept; uncounted however the session ends, even before it was registered.
  struct counted {
    server* self;
    bool counts;
    ~counted() {
      if (counts) self->connection_ended();
    }
  } count{this, !refused};
  if (!tls) {
    beast::tcp_stream stream(std::move(socket));
    auto op = refused ? refuse(stream) : serve(stream, home);
    co_await std::move(op);
    co_return;
  }
  tls_stream stream(std::move(socket), *tls);
  auto op = refused ? refuse(stream) : serve(stream, home);
  co_await std::move(op);
}

// Over the connection cap: answer 503 (after the handshake, over TLS) without registering.
template <class Stream>
asio::awaitable<void> server::refuse(Stream& stream) {
  const std::string remote = remote_of(beast::get_lowest_layer(stream));
  auto shaken = handshake(stream, options_.read_timeout, remote);
  if (!co_await std::move(shaken)) co_return;
  const std::string res = serialize_response(
      error_response(503, "unavailable", "too many open connections"), 11, false);
  beast::get_lowest_layer(stream).expires_after(options_.write_timeout);
  auto [ec, n] = co_await asio::async_write(stream, asio::buffer(res), use_tuple);
  if (ec) co_return;
  auto closing = close_connection(stream, after_error::close);
  co_await std::move(closing);
}

void server::connection_ended() {
  // The last one out during a shutdown ends its wait, which is the main executor's.
  if (open_count_.fetch_sub(1) == 1 && stopping_)
    asio::post(executor_, [this] { drained_.cancel(); });
}

template <class Stream>
asio::awaitable<void> server::serve(Stream& stream, loop& home) {
  auto& lowest = beast::get_lowest_layer(stream);
  // Registered before the handshake: shutdown can cancel it.
  const auto state = home.sessions.insert(home.sessions.end(), session_state{&lowest, false});
  struct guard {
    loop& home;
    std::list<session_state>::iterator it;
    ~guard() { home.sessions.erase(it); }
  } on_exit{home, state};
  const bool on_main_loop = &home == loops_.front().get();

  const std::string remote = remote_of(lowest);
  auto shaken = handshake(stream, options_.read_timeout, remote);
  if (!co_await std::move(shaken)) co_return;
  beast::flat_buffer buffer;
  // Beast sizes each read by the buffer's free capacity, at least 512 bytes: an empty buffer took
  // a signed 2 KB webhook in five recvmsg calls. Room for a typical webhook takes it in one.
  buffer.reserve(read_buffer_bytes);
  alignas(std::max_align_t) std::array<std::byte, header_arena_bytes> header_bytes;
  beast::error_code ec;

  for (;;) {
    state->busy = false;
    if (stopping_) co_return;  // shutdown began while this connection was not reading
    // Declared before the parser, so the parser and its fields are gone before the arena is.
    std::pmr::monotonic_buffer_resource header_arena(header_bytes.data(), header_bytes.size());
    request_parser parser(std::piecewise_construct, std::make_tuple(),
                          std::make_tuple(header_allocator(&header_arena)));
    parser.header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
    parser.body_limit(options_.max_body_bytes);
    lowest.expires_after(options_.read_timeout);  // bounds the whole request read

    std::tie(ec, std::ignore) = co_await http::async_read_header(stream, buffer, parser, use_tuple);
    const auto started = clock::now();
    state->busy = true;

    std::optional<response> early;  // an answer decided before any handler runs
    after_error ending = after_error::close;
    std::string_view route = "malformed";
    if (connection_lost(ec)) co_return;
    if (ec == http::error::header_limit) {
      early = error_response(431, "headers_too_large", "request headers exceed 8 KiB");
    } else if (ec == http::error::body_limit) {
      early = error_response(413, "payload_too_large", "request body too large");
      ending = after_error::drain;
    } else if (ec) {
      early = error_response(400, "bad_request", "malformed HTTP request: " + ec.message());
    }

    request req;
    const handler* h = nullptr;
    runs_on where = runs_on::event_loop;
    if (!early) {
      auto& header = parser.get();
      req.method = std::string(header.method_string());
      req.target = std::string(header.target());
      req.headers = to_headers(header.base());
      req.remote = remote;
      if (auto bad = check_framing(req.target, req.headers)) {
        early = error_response(400, "bad_request", bad->message);
      } else {
        const auto match = routes_.match(req.method, req.path());
        route = match.route;
        if (match.status == 404) {
          early = error_response(404, "not_found", "no such endpoint");
        } else if (match.status == 405) {
          early = error_response(405, "method_not_allowed", "method not allowed here");
          early->set_header("Allow", match.allow);
        } else if (parser.content_length() && *parser.content_length() > options_.max_body_bytes) {
          early = error_response(413, "payload_too_large", "request body too large");
          ending = after_error::drain;
        }
        h = match.handler;
        where = match.where;
      }
      if (!early && !parser.is_done()) {
        if (auto expect = req.header_value("expect");
            expect && api::header_name_equal(*expect, "100-continue")) {
          response interim;
          interim.status = 100;
          const std::string cont = serialize_response(interim, header.version(), true);
          std::tie(ec, std::ignore) =
              co_await asio::async_write(stream, asio::buffer(cont), use_tuple);
          if (ec) co_return;
        }
        // The body mostly came with the headers: parsed from the buffer, it needs no read op
        // (which would post its completion and resume this coroutine once more).
        parse_buffered(parser, buffer, ec);
        if (!ec && !parser.is_done())
          std::tie(ec, std::ignore) = co_await http::async_read(stream, buffer, parser, use_tuple);
        if (ec == http::error::body_limit) {
          early = error_response(413, "payload_too_large", "request body too large");
          ending = after_error::drain;
        } else if (connection_lost(ec)) {
          co_return;
        } else if (ec) {
          early = error_response(400, "bad_request", "malformed HTTP body: " + ec.message());
        }
      }
    }

    response res;
    if (early) {
      res = std::move(*early);
      res.close = true;
    } else {
      req.body = std::move(parser.get().body());
      if (on_main_loop || where == runs_on::any_loop) {
        // Named, not a temporary inside co_await: GCC 12 mishandles such temporaries.
        auto handled = (*h)(std::move(req));
        res = co_await std::move(handled);
      } else {
        // The handler reads what the main loop owns: it runs there, this connection waits here.
        auto handled = asio::co_spawn(executor_, (*h)(std::move(req)), asio::use_awaitable);
        res = co_await std::move(handled);
      }
    }
    const unsigned version = parser.get().version() ? parser.get().version() : 11;
    const bool keep_alive = !res.close && !stopping_ && parser.get().keep_alive();
    const unsigned status = res.status;
    // Our own bytes in one write: Beast's serializer cost more than the syscall for a 202.
    const std::string out = serialize_response(res, version, keep_alive);
    lowest.expires_after(options_.write_timeout);
    std::tie(ec, std::ignore) = co_await asio::async_write(stream, asio::buffer(out), use_tuple);

    if (on_request_) {
      on_request_(request_record{parser.get().method_string(), route, status,
                                 clock::now() - started, remote});
    }
    if (ec) co_return;
    if (keep_alive) continue;

    auto closing = close_connection(stream, ending);
    co_await std::move(closing);
    co_return;
  }
}

asio::awaitable<void> server::shutdown(std::chrono::milliseconds grace) {
  stopping_ = true;
  beast::error_code ec;
  acceptor_.close(ec);
  on_every_loop([](loop& home) {
    for (auto& s : home.sessions)
      if (!s.busy) s.stream->cancel();
  });
  if (open_count_.load() == 0) co_return;  // seq_cst with connection_ended: one of the two sees it
  drained_.expires_after(grace);
  co_await drained_.async_wait(use_tuple);
  on_every_loop([](loop& home) {
    beast::error_code closed;
    for (auto& s : home.sessions)
      s.stream->socket().close(closed);
  });
}

}  // namespace warroom::net
