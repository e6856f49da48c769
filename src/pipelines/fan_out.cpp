#include <exception>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <warroom/pipelines/fan_out.hpp>

namespace warroom::pipelines {
namespace asio = boost::asio;

latch::latch(asio::any_io_executor executor)
    : timer_(std::move(executor), asio::steady_timer::time_point::max()) {}

void latch::set() {
  set_ = true;
  timer_.cancel();
}

asio::awaitable<void> latch::wait() {
  while (!set_) {
    auto op = timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    co_await std::move(op);
    // set() and a cancellation of the waiter both end the wait with operation_aborted.
    auto state = co_await asio::this_coro::cancellation_state;
    if (state.cancelled() != asio::cancellation_type::none) co_return;
  }
}

asio::awaitable<void> run_all(std::vector<asio::awaitable<void>> tasks) {
  if (tasks.empty()) co_return;
  auto ex = co_await asio::this_coro::executor;
  using spawned =
      decltype(asio::co_spawn(ex, std::declval<asio::awaitable<void>>(), asio::deferred));
  std::vector<spawned> ops;
  ops.reserve(tasks.size());
  for (auto& task : tasks)
    ops.push_back(asio::co_spawn(ex, std::move(task), asio::deferred));
  auto group = asio::experimental::make_parallel_group(std::move(ops));
  auto waited = group.async_wait(asio::experimental::wait_for_all(), asio::use_awaitable);
  auto [order, failures] = co_await std::move(waited);
  for (const auto& failure : failures)
    if (failure) std::rethrow_exception(failure);
}

}  // namespace warroom::pipelines
