// background_thread: a std::thread that never takes a process-directed signal.
#pragma once

#include <csignal>
#include <string>
#include <thread>
#include <utility>

namespace warroom::util {

/// Blocks every signal in the calling thread until destroyed, then restores the previous mask.
/// A thread started meanwhile inherits the full mask.
class signals_blocked {
 public:
  signals_blocked();
  ~signals_blocked();
  signals_blocked(const signals_blocked&) = delete;
  signals_blocked& operator=(const signals_blocked&) = delete;

 private:
  sigset_t previous_;
};

/// Names the calling thread as `top -H` and `ps -L` list it (the first 15 bytes).
void name_this_thread(const std::string& name);

/// Starts `body` on a thread named `name` with every signal blocked. SIGTERM, SIGINT and SIGHUP
/// then always reach the event loop's thread, where the daemon's signal_set waits for them. A
/// store thread parked in a condition wait must not be the one the kernel picks: under
/// ThreadSanitizer, which defers signals it intercepts, such a SIGTERM was lost and the daemon
/// never stopped.
template <class Body>
std::thread background_thread(const char* name, Body&& body) {
  const signals_blocked blocked;
  return std::thread([name = std::string(name), body = std::forward<Body>(body)]() mutable {
    name_this_thread(name);
    body();
  });
}

}  // namespace warroom::util
