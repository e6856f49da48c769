// pg_listener: a thread with its own PostgreSQL connection that LISTENs on `warroom_jobs`, so a
// replica's dispatcher claims the jobs another replica queued at once instead of at its next
// poll. It only speeds things up: a lost connection is reopened with backoff, and the dispatcher's
// slow poll covers whatever is missed meanwhile.
// Thread-safety: the callback runs on the listener's thread; stop() from any thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace warroom::store {

class pg_listener {
 public:
  /// Starts the thread; it connects on its own, so a database that is down now is not an error.
  pg_listener(std::string url, std::function<void()> on_jobs);
  pg_listener(const pg_listener&) = delete;
  pg_listener& operator=(const pg_listener&) = delete;
  ~pg_listener();

  /// Notifications received so far (tests, metrics).
  std::uint64_t received() const noexcept { return received_.load(); }
  /// Whether it is listening now.
  bool listening() const noexcept { return listening_.load(); }
  void stop();

 private:
  void run();
  /// Waits up to `timeout_ms` for the socket (or -1 for none) or stop(); false when stopping.
  bool wait(int socket, int timeout_ms);

  const std::string url_;
  const std::function<void()> on_jobs_;
  int stop_fd_ = -1;  // eventfd: stop() wakes the thread out of poll()
  std::atomic<bool> stopping_{false};
  std::atomic<bool> listening_{false};
  std::atomic<std::uint64_t> received_{0};
  std::thread thread_;
};

}  // namespace warroom::store
