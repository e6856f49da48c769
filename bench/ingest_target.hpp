// ingest_target: a server under test run as a child process (warroomd, or ingest_bench itself
// in --bare-server mode): start-up time, resident memory and CPU time read from /proc, and the
// temporary config warroomd runs with. Not thread-safe; owned by ingest_bench's main thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/child_process.hpp"

namespace warroom::bench {

class target_process {
 public:
  /// Starts `argv` and waits for its "listening on 127.0.0.1:PORT" line; nullopt (after printing
  /// the child's output) when it does not come within `deadline`.
  static std::unique_ptr<target_process> start(std::vector<std::string> argv,
                                               std::chrono::milliseconds deadline);

  std::uint16_t port() const { return port_; }
  /// From just before fork+exec to the "listening" line read back through the pipe.
  double ready_ms() const { return ready_ms_; }
  /// VmRSS of /proc/<pid>/status in KiB; -1 when unreadable.
  long rss_kib() const;
  /// User plus system CPU time of every thread so far, from /proc/<pid>/stat.
  double cpu_seconds() const;
  /// SIGTERM, then waits for the exit; returns the exit code (nullopt when it did not exit).
  std::optional<int> stop(std::chrono::milliseconds deadline);
  /// Everything the process printed so far (its pipe is drained all along).
  std::string output() { return process_.output(); }

 private:
  explicit target_process(std::vector<std::string> argv) : process_(std::move(argv)) {}
  test::child_process process_;
  std::uint16_t port_ = 0;
  double ready_ms_ = 0;
};

/// A loopback port that accepts TCP connections (the kernel's backlog does) but never answers:
/// warroomd's jobs wait on it until their timeout instead of failing fast and retrying in a loop,
/// so the dispatcher stays (nearly) out of the ingest figures. Closed when destroyed.
class stalled_upstream {
 public:
  stalled_upstream();
  ~stalled_upstream();
  stalled_upstream(const stalled_upstream&) = delete;
  stalled_upstream& operator=(const stalled_upstream&) = delete;
  /// "http://127.0.0.1:PORT"; empty when the socket could not be set up.
  std::string url() const;

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

/// Writes warroomd's config into `dir`: listen on 127.0.0.1:0, the store at `db_path` (or at
/// `postgres_url` when given), log level warn, every service at `upstream_url` with
/// `request_timeout` and a 3 s shutdown grace, the bench's webhook secret, `server.threads` when
/// not 0 (the daemon's default). Returns its path.
std::string write_warroomd_config(const std::filesystem::path& dir, const std::string& db_path,
                                  const std::string& upstream_url,
                                  const std::string& postgres_url = "",
                                  const std::string& request_timeout = "1s", int threads = 0);

}  // namespace warroom::bench
