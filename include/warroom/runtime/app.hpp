// The daemon: owns the event loop, the store, the HTTP server, the dispatcher and the signal
// handling. One instance per process; start() and run() are called from the main thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include <warroom/config/config.hpp>
#include <warroom/util/result.hpp>

namespace warroom::runtime {

class app {
 public:
  explicit app(config::config cfg);
  ~app();
  app(const app&) = delete;
  app& operator=(const app&) = delete;

  /// Opens the store and binds the listener. Errors are startup failures (exit non-zero).
  result<void> start();
  /// Serves until SIGTERM/SIGINT or request_stop(), then shuts down within the grace period.
  /// Returns the process exit code.
  int run();
  /// Thread-safe: begins the graceful shutdown.
  void request_stop();

  /// "HOST:PORT" actually bound (port 0 resolved), valid after start().
  std::string listening_on() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace warroom::runtime
