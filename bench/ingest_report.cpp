#include "ingest_report.hpp"

#include <cstdio>

namespace warroom::bench {
namespace {

// The goal (issue #15, bench/README.md): 15,000 signed 2 KB webhooks/s closed loop, at least half
// the bare server's rate, at most 30 us of server CPU per webhook (or a third of the instructions
// of the SAX intake this replaced), p99 at the offered rate within two fsyncs plus 1 ms, under
// 15 MB resident when idle, ready within 50 ms.
constexpr double goal_rate = 15000;
constexpr double goal_ratio = 0.5;
constexpr double goal_cpu_us = 30;
// Instructions per accepted webhook of the build before the one-pass skim (commit bc12f0b),
// counted by this bench's --instructions on 2026-12-02: the median of three counts, 446k-474k.
constexpr double baseline_instructions = 464000;
constexpr long goal_rss_kib = 15'000'000 / 1024;  // 15 MB, decimal: the stricter reading
constexpr double goal_ready_ms = 50;

const char* verdict(bool ok) {
  return ok ? "PASS" : "FAIL";
}

double mib(long kib) {
  return static_cast<double>(kib) / 1024.0;
}

}  // namespace

void print_run(const char* target, const char* mode, const run_report& run) {
  const auto& l = run.load;
  std::printf(
      "%-9s %-16s req/s %8.0f | latency ms p50 %6.2f p90 %6.2f p99 %6.2f p99.9 %6.2f max %7.2f\n",
      target, mode, l.per_second(), l.quantile_ms(0.50), l.quantile_ms(0.90), l.quantile_ms(0.99),
      l.quantile_ms(0.999), l.quantile_ms(1.0));
  std::printf("%-9s %-16s statuses", "", "");
  for (const auto& [status, count] : l.statuses)
    std::printf(" %d:%llu", status, static_cast<unsigned long long>(count));
  // CPU per request is the figure the machine's other load disturbs least.
  const double per_request = l.completed() ? 1e6 / static_cast<double>(l.completed()) : 0;
  std::printf(
      " | transport errors %llu | CPU cores used: server %.2f, client %.2f | server CPU %.0f us "
      "per request%s\n",
      static_cast<unsigned long long>(l.transport_errors), run.server_cpu_s / l.seconds,
      run.client_cpu_s / l.seconds, run.server_cpu_s * per_request,
      l.pool_exhausted ? " | POOL EXHAUSTED: lower bound, rerun with a larger --pool" : "");
}

void print_summary(const target_report* bare, const target_report* warroomd,
                   const run_conditions& conditions) {
  const double rate = conditions.rate;
  std::printf("\n== summary\n");
  if (bare && warroomd) {
    const double ratio =
        warroomd->saturation.load.per_second() / bare->saturation.load.per_second();
    std::printf("ratio warroomd/bare (closed loop req/s): %.2f\n", ratio);
    std::printf("goal: at least %.0f%% of the bare server's rate            %s\n", goal_ratio * 100,
                verdict(ratio >= goal_ratio));
  }
  if (!warroomd) return;
  const auto& top = warroomd->saturation.load;
  std::printf("goal: >= %.0f accepted webhooks/s (closed loop: %.0f)      %s\n", goal_rate,
              top.per_second(), verdict(top.per_second() >= goal_rate && top.statuses.size() == 1));
  const auto& saturation = warroomd->saturation;
  const double cpu_us =
      top.completed() ? saturation.server_cpu_s * 1e6 / static_cast<double>(top.completed()) : 0;
  std::printf("goal: <= %.0f us server CPU per webhook (closed loop: %.0f us)    %s\n", goal_cpu_us,
              cpu_us, verdict(top.completed() > 0 && cpu_us <= goal_cpu_us));
  if (conditions.instructions) {
    const double per = conditions.instructions->per_webhook;
    std::printf("      or <= a third of %.0f instructions per webhook (callgrind: %.0f)  %s\n",
                baseline_instructions, per, verdict(per <= baseline_instructions / 3));
  }
  const double p99_goal_ms = 2 * conditions.fsync.median_ms + 1;
  if (warroomd->paced) {
    const auto& paced = warroomd->paced->load;
    const bool kept_up = paced.per_second() >= rate * 0.98;
    std::printf(
        "goal: p99 <= 2 x fsync (%.2f ms) + 1 ms = %.2f ms at %.0f/s offered (p99 %.2f ms, "
        "served %.0f/s) %s\n",
        conditions.fsync.median_ms, p99_goal_ms, rate, paced.quantile_ms(0.99), paced.per_second(),
        verdict(kept_up && paced.quantile_ms(0.99) <= p99_goal_ms));
    // A request waits for the commit in progress and then its own: when more than about one
    // fsync in a hundred is slow, the disk alone puts the p99 past the median-based goal.
    std::printf("      the disk's own fsync: p90 %.2f ms, p99 %.2f ms; 2 x p99 + 1 ms = %.2f ms\n",
                conditions.fsync.p90_ms, conditions.fsync.p99_ms, 2 * conditions.fsync.p99_ms + 1);
    // The bare server stores nothing: whatever p99 it has at the same rate is the machine's
    // (scheduling, the loopback, the client), which no server on it can go below.
    if (bare && bare->paced)
      std::printf("      the bare server's own p99 at %.0f/s: %.2f ms (the machine's share)\n",
                  rate, bare->paced->load.quantile_ms(0.99));
  } else {
    std::printf("goal: p99 <= %.2f ms: closed-loop p99 %.2f ms (run with --rate for the goal)\n",
                p99_goal_ms, top.quantile_ms(0.99));
  }
  std::printf("goal: idle RSS < 15 MB before load (%.1f MiB)                %s\n",
              mib(warroomd->rss_idle_kib),
              verdict(warroomd->rss_idle_kib >= 0 && warroomd->rss_idle_kib < goal_rss_kib));
  std::printf("      idle RSS < 15 MB after load (%.1f MiB)                 %s\n",
              mib(warroomd->rss_after_kib),
              verdict(warroomd->rss_after_kib >= 0 && warroomd->rss_after_kib < goal_rss_kib));
  std::printf("goal: ready within %.0f ms (%.1f ms)                          %s\n", goal_ready_ms,
              warroomd->ready_ms, verdict(warroomd->ready_ms < goal_ready_ms));
}

}  // namespace warroom::bench
