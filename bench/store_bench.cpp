// store_bench [threads] [deliveries] [in_flight_per_thread] [dir]
// Threads submit distinct 2 KB deliveries to sqlite_store, each keeping a bounded number in
// flight (like webhook connections waiting for their answer). Prints accepted/s, callback latency
// percentiles and the average group-commit batch. The database lives in a fresh temporary
// directory (default under $TMPDIR or /tmp), removed at the end.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <semaphore>
#include <string>
#include <thread>
#include <vector>

#include <warroom/store/sqlite_store.hpp>

namespace {

using clock_type = std::chrono::steady_clock;
using warroom::store::delivery;
using warroom::store::ingest_result;
using warroom::store::ingest_status;

struct run_stats {
  std::atomic<std::int64_t> accepted{0};
  std::atomic<std::int64_t> failed{0};
  std::vector<std::int64_t> latency_ns;  // slot i written once by the store thread
  std::vector<clock_type::time_point> sent;
};

void sender(warroom::store::sqlite_store& store, run_stats& stats, int first, int count,
            int in_flight) {
  std::counting_semaphore<> slots(in_flight);
  const std::string payload(2048, 'p');
  for (int i = first; i < first + count; ++i) {
    slots.acquire();
    delivery d{"pagerduty",
               "delivery-" + std::to_string(i),
               "event-" + std::to_string(i),
               "P" + std::to_string(i % 500),
               "incident.triggered",
               payload,
               1000};
    stats.sent[static_cast<std::size_t>(i)] = clock_type::now();
    store.ingest(std::move(d), [&stats, &slots, i](warroom::result<ingest_result> r) {
      const auto slot = static_cast<std::size_t>(i);
      stats.latency_ns[slot] = (clock_type::now() - stats.sent[slot]).count();
      if (r && r->status == ingest_status::accepted) {
        stats.accepted.fetch_add(1, std::memory_order_relaxed);
      } else {
        stats.failed.fetch_add(1, std::memory_order_relaxed);
      }
      slots.release();
    });
  }
  // Wait for this thread's last callbacks before `slots` goes away.
  for (int i = 0; i < in_flight; ++i)
    slots.acquire();
}

double percentile_ms(std::vector<std::int64_t> sorted_ns, double p) {
  const auto index = static_cast<std::size_t>(p * static_cast<double>(sorted_ns.size() - 1));
  return static_cast<double>(sorted_ns[index]) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : 8;
  const int deliveries = argc > 2 ? std::atoi(argv[2]) : 200000;
  const int in_flight = argc > 3 ? std::atoi(argv[3]) : 32;
  std::string base = argc > 4 ? argv[4] : std::filesystem::temp_directory_path().string();
  std::string dir = base + "/warroom-store-bench-XXXXXX";
  if (threads < 1 || deliveries < threads || in_flight < 1 || mkdtemp(dir.data()) == nullptr) {
    std::fprintf(stderr, "usage: store_bench [threads] [deliveries] [in_flight] [dir]\n");
    return 2;
  }

  int status = 0;
  {
    auto store = warroom::store::sqlite_store::open({{dir + "/bench.db"}}, 0);
    if (!store) {
      std::fprintf(stderr, "open failed: %s\n", store.error().message.c_str());
      std::filesystem::remove_all(dir);
      return 1;
    }
    run_stats stats;
    stats.latency_ns.resize(static_cast<std::size_t>(deliveries));
    stats.sent.resize(static_cast<std::size_t>(deliveries));

    const auto start = clock_type::now();
    std::vector<std::thread> senders;
    const int per_thread = deliveries / threads;
    for (int t = 0; t < threads; ++t) {
      const int count = t == threads - 1 ? deliveries - per_thread * t : per_thread;
      senders.emplace_back(sender, std::ref(**store), std::ref(stats), per_thread * t, count,
                           in_flight);
    }
    for (auto& s : senders)
      s.join();
    const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
    const auto totals = (*store)->stats();
    (*store)->stop();

    std::sort(stats.latency_ns.begin(), stats.latency_ns.end());
    std::printf("store_bench: threads=%d in_flight/thread=%d deliveries=%d payload=2048B\n",
                threads, in_flight, deliveries);
    std::printf("accepted/s: %.0f (accepted %lld, failed %lld, %.2f s)\n",
                static_cast<double>(stats.accepted) / seconds,
                static_cast<long long>(stats.accepted.load()),
                static_cast<long long>(stats.failed.load()), seconds);
    std::printf("callback latency: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
                percentile_ms(stats.latency_ns, 0.50), percentile_ms(stats.latency_ns, 0.99),
                percentile_ms(stats.latency_ns, 1.0));
    std::printf("batches: %llu, average batch: %.1f deliveries\n",
                static_cast<unsigned long long>(totals.batches),
                static_cast<double>(totals.ingested) / static_cast<double>(totals.batches));
    status = stats.failed == 0 ? 0 : 1;
  }
  std::filesystem::remove_all(dir);
  return status;
}
