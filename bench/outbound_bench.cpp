// outbound_bench: calls per second through one http_client to a loopback fake upstream (on its
// own thread) with N concurrent callers, and how many connections they used. Keep-alive rounds
// for several N, then one round where the upstream closes after every response.
//
// Usage: outbound_bench [calls-per-round]   (default 20000)
#include <chrono>
#include <cstdio>
#include <exception>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include <warroom/net/http_client.hpp>

#include "unit/net/fake_upstream.hpp"

namespace {

namespace asio = boost::asio;
using namespace warroom;
using clock_type = std::chrono::steady_clock;

struct round_state {
  std::size_t remaining_callers = 0;
  std::size_t ok = 0;
  std::size_t failed = 0;
  clock_type::time_point finished{};
};

asio::awaitable<void> caller(net::http_client& client, std::string origin, std::size_t calls,
                             round_state& state) {
  for (std::size_t i = 0; i < calls; ++i) {
    api::http_call call;
    call.origin = origin;
    call.target = "/bench";
    auto reply = co_await client.send(std::move(call));
    ++(reply && reply->status == 200 ? state.ok : state.failed);
  }
  if (--state.remaining_callers == 0) {
    state.finished = clock_type::now();
    client.close_idle();  // lets io_context::run() return: no idle timer left
  }
}

void run_round(net::testing::fake_upstream& upstream, std::size_t callers, std::size_t calls,
               const char* label) {
  asio::io_context ioc;
  net::http_client client(ioc.get_executor(), net::client_options{},
                          asio::ssl::context(asio::ssl::context::tls_client));
  round_state state{.remaining_callers = callers};
  const std::size_t per_caller = calls / callers;
  for (std::size_t i = 0; i < callers; ++i)
    asio::co_spawn(ioc, caller(client, upstream.origin(), per_caller, state),
                   [](std::exception_ptr e) {
                     if (e) std::rethrow_exception(e);
                   });
  const auto started = clock_type::now();
  ioc.run();
  const double seconds = std::chrono::duration<double>(state.finished - started).count();
  const auto stats = client.stats();
  std::printf(
      "mode=%-10s callers=%-4zu calls=%-6zu failed=%zu seconds=%.3f calls_per_s=%.0f "
      "connections=%llu reused=%llu\n",
      label, callers, state.ok + state.failed, state.failed, seconds,
      static_cast<double>(state.ok) / seconds, static_cast<unsigned long long>(stats.opened),
      static_cast<unsigned long long>(stats.reused));
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t calls = argc > 1 ? std::stoul(argv[1]) : 20000;
  net::testing::fake_upstream upstream;
  for (std::size_t callers : {1, 8, 32, 128})
    run_round(upstream, callers, calls, "keep-alive");
  upstream.set_mode(net::testing::upstream_mode::close_after_response);
  run_round(upstream, 8, calls / 10, "close");
  return 0;
}
