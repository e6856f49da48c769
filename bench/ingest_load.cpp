#include "ingest_load.hpp"

#include <algorithm>
#include <exception>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace warroom::bench {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// Shared by every connection; the io_context has one thread, so no locking.
struct run_state {
  run_state(const load_options& o, request_pool& p)
      : options(o),
        pool(p),
        target(asio::ip::address_v4::loopback(), o.port),
        start(clock_type::now()),
        window_start(start + o.warmup),
        window_end(window_start + o.timed) {}

  const load_options& options;
  request_pool& pool;
  tcp::endpoint target;
  clock_type::time_point start, window_start, window_end;
  load_result result;

  const std::string* next_request() {
    if (pool.next == pool.items->size()) {
      if (!pool.cycle || pool.items->empty()) {
        result.pool_exhausted = true;
        return nullptr;
      }
      pool.next = 0;
    }
    ++result.sent_all_phases;
    return &(*pool.items)[pool.next++];
  }

  void record(unsigned status, clock_type::time_point due, clock_type::time_point done) {
    if (status == 202) ++result.accepted_all_phases;
    if (done < window_start || done >= window_end) return;
    ++result.statuses[static_cast<int>(status)];
    result.latency_ns.push_back((done - due).count());
  }
};

// Waits until `due` (fixed-rate mode); false when it lies past the end of the run, or when the
// run is over (a server slower than the offered rate leaves a backlog of due requests: they are
// not sent, so that a run lasts as long as its phases, whatever the server does).
asio::awaitable<bool> wait_until_due(run_state& s, asio::steady_timer& timer,
                                     clock_type::time_point due) {
  if (due >= s.window_end || clock_type::now() >= s.window_end) co_return false;
  if (due <= clock_type::now()) co_return true;
  timer.expires_at(due);
  auto wait = timer.async_wait(use_tuple);
  co_await std::move(wait);
  co_return true;
}

asio::awaitable<void> connection(run_state& s, int index) {
  auto executor = co_await asio::this_coro::executor;
  tcp::socket socket(executor);
  asio::steady_timer timer(executor);
  auto connect = socket.async_connect(s.target, use_tuple);
  auto [connect_ec] = co_await std::move(connect);
  if (connect_ec) {
    ++s.result.transport_errors;
    co_return;
  }
  socket.set_option(tcp::no_delay(true));
  beast::flat_buffer buffer;
  const auto n = static_cast<std::uint64_t>(s.options.connections);
  for (std::uint64_t k = 0;; ++k) {
    auto due = clock_type::now();
    if (s.options.rate > 0) {
      const double at_s =
          static_cast<double>(k * n + static_cast<std::uint64_t>(index)) / s.options.rate;
      due = s.start +
            std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(at_s));
      auto waited = wait_until_due(s, timer, due);
      if (!co_await std::move(waited)) break;
    } else if (!s.options.send_whole_pool && due >= s.window_end) {
      break;
    }
    const std::string* request = s.next_request();
    if (request == nullptr) break;
    auto write = asio::async_write(socket, asio::buffer(*request), use_tuple);
    auto [write_ec, written] = co_await std::move(write);
    http::response<http::string_body> response;
    beast::error_code read_ec;
    if (!write_ec) {
      auto read = http::async_read(socket, buffer, response, use_tuple);
      std::tie(read_ec, std::ignore) = co_await std::move(read);
    }
    if (write_ec || read_ec) {
      ++s.result.transport_errors;
      break;
    }
    s.record(response.result_int(), due, clock_type::now());
    if (!response.keep_alive()) break;
  }
  beast::error_code ignored;  // the peer may already have closed; nothing to report
  socket.shutdown(tcp::socket::shutdown_both, ignored);
}

// Calls the window callbacks at the window's edges (CPU counters are read there).
asio::awaitable<void> window_marks(run_state& s) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_at(s.window_start);
  auto opened = timer.async_wait(use_tuple);
  co_await std::move(opened);
  if (s.options.on_timed_start) s.options.on_timed_start();
  timer.expires_at(s.window_end);
  auto closed = timer.async_wait(use_tuple);
  co_await std::move(closed);
  if (s.options.on_timed_end) s.options.on_timed_end();
}

void rethrow(std::exception_ptr e) {
  if (e) std::rethrow_exception(e);
}

}  // namespace

double load_result::quantile_ms(double q) const {
  if (latency_ns.empty()) return 0;
  const auto last = static_cast<double>(latency_ns.size() - 1);
  return static_cast<double>(latency_ns[static_cast<std::size_t>(q * last)]) / 1e6;
}

load_result run_load(const load_options& options, request_pool& pool) {
  asio::io_context io{1};
  run_state s(options, pool);
  s.result.latency_ns.reserve(200000);
  for (int i = 0; i < options.connections; ++i)
    asio::co_spawn(io, connection(s, i), rethrow);
  if (!options.send_whole_pool) asio::co_spawn(io, window_marks(s), rethrow);
  io.run();
  s.result.seconds = std::chrono::duration<double>(options.timed).count();
  std::sort(s.result.latency_ns.begin(), s.result.latency_ns.end());
  return std::move(s.result);
}

}  // namespace warroom::bench
