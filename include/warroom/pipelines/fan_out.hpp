// fan_out: the two pieces of concurrency the open path needs on the event loop thread: a one-shot
// latch (one branch waits for a fact another branch learns) and running several coroutines at
// once until all are done. Both are used on one thread only; neither is thread-safe.
#pragma once

#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

namespace warroom::pipelines {

/// wait() returns once set() has been called (at once when it already was), or when the waiting
/// coroutine is cancelled.
class latch {
 public:
  explicit latch(boost::asio::any_io_executor executor);
  void set();
  bool is_set() const { return set_; }
  boost::asio::awaitable<void> wait();

 private:
  bool set_ = false;
  boost::asio::steady_timer timer_;
};

/// Starts every task at once and returns when all have finished. Tasks report through state they
/// were given; an exception escaping one (a bug) is rethrown once all are done.
boost::asio::awaitable<void> run_all(std::vector<boost::asio::awaitable<void>> tasks);

}  // namespace warroom::pipelines
