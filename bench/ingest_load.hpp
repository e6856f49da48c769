// ingest_load: the load generator of ingest_bench. One thread, one io_context, N keep-alive
// connections each sending one request at a time (no pipelining) and reading the whole response.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace warroom::bench {

struct load_options {
  std::uint16_t port = 0;  // on 127.0.0.1
  int connections = 64;
  std::chrono::milliseconds warmup{1000};
  std::chrono::milliseconds timed{5000};
  /// 0: closed loop, every connection sends back to back. Otherwise requests per second over all
  /// connections on a fixed schedule (request j due at start + j/rate); latency is measured from
  /// the due time, so a late server is charged for the queueing it causes (wrk2's correction
  /// for coordinated omission). With all connections busy, due requests wait for one.
  double rate = 0;
  /// No windows and no rate: send every request left in the pool, then stop (for counting).
  bool send_whole_pool = false;
  std::function<void()> on_timed_start;  // called when the timed window opens
  std::function<void()> on_timed_end;    // and when it closes
};

/// The prepared requests and how far they are used; successive runs continue where the last one
/// stopped, so each request reaches a deduplicating server once.
struct request_pool {
  const std::vector<std::string>* items = nullptr;
  std::size_t next = 0;
  /// Start again from the first request once all were sent (the bare server does not dedupe);
  /// otherwise stop sending and report `pool_exhausted`.
  bool cycle = false;
};

struct load_result {
  double seconds = 0;                     // length of the timed window
  std::vector<std::int64_t> latency_ns;   // each response completed in the window, sorted
  std::map<int, std::uint64_t> statuses;  // by status code, responses completed in the window
  std::uint64_t accepted_all_phases = 0;  // 202 answers, warm-up and tail included
  std::uint64_t sent_all_phases = 0;      // requests written (distinct unless cycled)
  std::uint64_t transport_errors = 0;     // connect, write or read failures
  bool pool_exhausted = false;

  std::uint64_t completed() const { return latency_ns.size(); }
  double per_second() const { return seconds > 0 ? static_cast<double>(completed()) / seconds : 0; }
  /// Latency at quantile q (0..1) in milliseconds; 0 when nothing completed.
  double quantile_ms(double q) const;
};

/// Runs the warm-up then the timed window against 127.0.0.1:port; returns after every
/// connection has finished its last request.
load_result run_load(const load_options& options, request_pool& pool);

}  // namespace warroom::bench
