// dispatcher: hands stored jobs to the pipelines — one incident's jobs strictly in order, one at
// a time, different incidents concurrently (the store's claim query enforces both) — and records
// each outcome: done, retried after the retry policy's delay, or buried as a dead letter.
// Runs on the event loop thread; wake() and stop() must be called there too.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <warroom/pipelines/job_context.hpp>
#include <warroom/retry/retry_policy.hpp>

namespace warroom::runtime {

struct dispatcher_options {
  int max_parallel = 16;                 // jobs running at once
  std::chrono::milliseconds poll{1000};  // re-check the queue at least this often
  warroom::retry::retry_policy retry;
};

class dispatcher {
 public:
  dispatcher(boost::asio::any_io_executor executor, pipelines::job_context& ctx,
             dispatcher_options options);

  /// Starts the claim loop.
  void start();
  /// A job was stored: claim soon instead of at the next poll.
  void wake();
  /// Stops claiming; waits up to `grace` for running jobs (unfinished ones stay claimed in the
  /// store and are handed out again at the next start, resuming from their checkpoints).
  boost::asio::awaitable<void> stop(std::chrono::milliseconds grace);

  int running() const { return running_; }
  bool stopped() const { return stopping_; }

 private:
  boost::asio::awaitable<void> loop();
  boost::asio::awaitable<void> run_one(store::job job);
  /// Stores the outcome; returns the retry delay when the job will be tried again.
  boost::asio::awaitable<std::optional<std::chrono::milliseconds>> record(
      const store::job& job, const pipelines::step_result<bool>& outcome);

  boost::asio::any_io_executor executor_;
  pipelines::job_context& ctx_;
  dispatcher_options options_;
  boost::asio::steady_timer wakeup_;
  boost::asio::steady_timer drained_;
  std::mt19937_64 random_;
  int running_ = 0;
  bool stopping_ = false;
  bool woken_ = false;
};

}  // namespace warroom::runtime
