// ingest_instructions: instructions warroomd executes per accepted webhook, counted by valgrind's
// callgrind (user space, every thread). Unlike CPU time, the count does not drift with the
// machine's load or clock, so each change to the intake path can be judged by it (this machine's
// virtual CPUs expose no hardware counters to `perf stat`).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace warroom::bench {

struct instruction_count {
  double per_webhook = 0;    // (count at 2n - count at n) / n
  std::size_t webhooks = 0;  // n
};

/// Two runs of `warroomd` under callgrind, each on a fresh database under `dir`, sending the
/// first n and then the first 2n of `requests` (distinct signed webhooks) closed loop over
/// `connections` (as many as the timed runs, so commits batch alike); start-up and shutdown
/// cancel in the difference. nullopt, after a line saying why, when valgrind
/// is not installed or a run does not accept every webhook. `keep`: leave the callgrind output
/// files (for callgrind_annotate) and print where. `threads`: warroomd's server.threads (0: one).
std::optional<instruction_count> count_instructions(const std::string& warroomd,
                                                    const std::string& dir,
                                                    const std::vector<std::string>& requests,
                                                    std::size_t n, int connections,
                                                    bool keep = false, int threads = 0);

}  // namespace warroom::bench
