// ingest_report: what ingest_bench prints: one line per load run, the comparison with the bare
// server, and the performance goal checked item by item.
#pragma once

#include <optional>
#include <string>

#include "ingest_instructions.hpp"
#include "ingest_load.hpp"

namespace warroom::bench {

/// One load run against one server, with the CPU both sides used in the timed window.
struct run_report {
  load_result load;
  double server_cpu_s = 0;
  double client_cpu_s = 0;
};

/// Everything measured for one server.
struct target_report {
  std::string name;
  double ready_ms = 0;
  long rss_idle_kib = -1;           // after start-up, before any load
  long rss_after_kib = -1;          // idle again after the load
  run_report saturation;            // closed loop
  std::optional<run_report> paced;  // fixed rate, when asked for
};

/// Prints one run: rate, latency quantiles, statuses, errors and CPU use.
void print_run(const char* target, const char* mode, const run_report& run);
/// 8 KiB append + fdatasync in the database's directory, in milliseconds.
struct fsync_times {
  double median_ms = 0;
  double p90_ms = 0;
  double p99_ms = 0;
};

/// What the disk and the instruction count say, measured in the same run.
struct run_conditions {
  double rate = 0;  // the fixed-rate run's offered rate (0: none)
  fsync_times fsync;
  std::optional<instruction_count> instructions;
};

/// Prints the ratio warroomd / bare and the goal (issue #15), item by item.
void print_summary(const target_report* bare, const target_report* warroomd,
                   const run_conditions& conditions);

}  // namespace warroom::bench
