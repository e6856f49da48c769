// store_bench [threads] [deliveries] [in_flight_per_thread] [rate_per_s] [dir]
// Distinct 2 KB deliveries through async_store's group commit on a real file, in two phases:
//  1. saturation: each thread keeps `in_flight` deliveries waiting (like webhook connections
//     waiting for their answer); prints accepted/s and the average group-commit batch.
//  2. latency at a fixed offered rate (open loop, `rate` deliveries/s over all threads): prints
//     p50/p99 callback latency, which in phase 1 only mirrors the queue depth (Little's law).
// The database lives in a fresh temporary directory (default under $TMPDIR or /tmp), removed at
// the end.
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

#include <warroom/store/async_store.hpp>

namespace {

using clock_type = std::chrono::steady_clock;
using warroom::store::async_store;
using warroom::store::delivery;
using warroom::store::ingest_result;
using warroom::store::ingest_status;

struct phase {
  explicit phase(int deliveries)
      : latency_ns(static_cast<std::size_t>(deliveries)),
        sent(static_cast<std::size_t>(deliveries)) {}
  std::atomic<std::int64_t> accepted{0};
  std::atomic<std::int64_t> failed{0};
  std::vector<std::int64_t> latency_ns;  // slot i written once, by the store thread
  std::vector<clock_type::time_point> sent;
};

// Submits delivery `i` (ids offset by `base` so phases never collide); `then` runs after the
// callback has recorded it.
template <class Then>
void submit(async_store& store, phase& p, int base, int i, const std::string& payload, Then then) {
  const int id = base + i;
  delivery d{"pagerduty",
             "delivery-" + std::to_string(id),
             "event-" + std::to_string(id),
             "P" + std::to_string(id % 500),
             "incident.triggered",
             payload,
             1000};
  const auto slot = static_cast<std::size_t>(i);
  p.sent[slot] = clock_type::now();
  store.ingest(std::move(d), [&p, slot, then](warroom::result<ingest_result> r) {
    p.latency_ns[slot] = (clock_type::now() - p.sent[slot]).count();
    auto& counter = r && r->status == ingest_status::accepted ? p.accepted : p.failed;
    counter.fetch_add(1, std::memory_order_relaxed);
    then();
  });
}

// Runs `body(first, count)` on `threads` threads splitting `deliveries`; returns seconds taken.
template <class Body>
double run_threads(int threads, int deliveries, Body body) {
  const auto start = clock_type::now();
  std::vector<std::thread> workers;
  const int per_thread = deliveries / threads;
  for (int t = 0; t < threads; ++t) {
    const int count = t == threads - 1 ? deliveries - per_thread * t : per_thread;
    workers.emplace_back(body, per_thread * t, count);
  }
  for (auto& w : workers)
    w.join();
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

double percentile_ms(const std::vector<std::int64_t>& sorted_ns, double p) {
  const auto index = static_cast<std::size_t>(p * static_cast<double>(sorted_ns.size() - 1));
  return static_cast<double>(sorted_ns[index]) / 1e6;
}

void print_latency(phase& p) {
  std::sort(p.latency_ns.begin(), p.latency_ns.end());
  std::printf("  callback latency: p50 %.2f ms, p99 %.2f ms, max %.2f ms (failed %lld)\n",
              percentile_ms(p.latency_ns, 0.50), percentile_ms(p.latency_ns, 0.99),
              percentile_ms(p.latency_ns, 1.0), static_cast<long long>(p.failed.load()));
}

int bench(async_store& store, int threads, int deliveries, int in_flight, int rate) {
  const std::string payload(2048, 'p');
  phase saturated(deliveries);
  const double seconds = run_threads(threads, deliveries, [&](int first, int count) {
    std::counting_semaphore<> slots(in_flight);
    for (int i = first; i < first + count; ++i) {
      slots.acquire();
      submit(store, saturated, 0, i, payload, [&slots] { slots.release(); });
    }
    for (int i = 0; i < in_flight; ++i)
      slots.acquire();  // this thread's last callbacks
  });
  const auto totals = store.stats();
  std::printf("saturation: threads=%d in_flight/thread=%d deliveries=%d payload=2048B\n", threads,
              in_flight, deliveries);
  std::printf("  accepted/s: %.0f (%.2f s), batches %llu, average batch %.1f deliveries\n",
              static_cast<double>(saturated.accepted) / seconds, seconds,
              static_cast<unsigned long long>(totals.batches),
              static_cast<double>(totals.ingested) / static_cast<double>(totals.batches));
  print_latency(saturated);

  const int paced_count = std::max(rate * 3, threads);  // three seconds of traffic
  phase paced(paced_count);
  std::atomic<int> outstanding{paced_count};
  const auto interval = std::chrono::nanoseconds(1'000'000'000LL * threads / std::max(rate, 1));
  run_threads(threads, paced_count, [&](int first, int count) {
    auto next = clock_type::now();
    for (int i = first; i < first + count; ++i, next += interval) {
      std::this_thread::sleep_until(next);
      submit(store, paced, deliveries, i, payload, [&outstanding] {
        if (outstanding.fetch_sub(1) == 1) outstanding.notify_all();
      });
    }
  });
  for (int left = outstanding.load(); left != 0; left = outstanding.load()) {
    outstanding.wait(left);
  }
  const auto after = store.stats();
  std::printf("fixed rate: %d deliveries/s offered for 3 s, batches %llu, average batch %.1f\n",
              rate, static_cast<unsigned long long>(after.batches - totals.batches),
              static_cast<double>(after.ingested - totals.ingested) /
                  static_cast<double>(after.batches - totals.batches));
  print_latency(paced);
  return saturated.failed == 0 && paced.failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : 8;
  const int deliveries = argc > 2 ? std::atoi(argv[2]) : 100000;
  const int in_flight = argc > 3 ? std::atoi(argv[3]) : 32;
  const int rate = argc > 4 ? std::atoi(argv[4]) : 15000;
  const std::string base = argc > 5 ? argv[5] : std::filesystem::temp_directory_path().string();
  std::string dir = base + "/warroom-store-bench-XXXXXX";
  if (threads < 1 || deliveries < threads || in_flight < 1 || rate < 1 ||
      mkdtemp(dir.data()) == nullptr) {
    std::fprintf(stderr, "usage: store_bench [threads] [deliveries] [in_flight] [rate] [dir]\n");
    return 2;
  }
  int status = 1;
  warroom::store::store_options options;
  options.db.path = dir + "/bench.db";
  // The same load on PostgreSQL (several replicas' backend) when a URL is given.
  if (const char* url = std::getenv("WARROOM_BENCH_POSTGRES_URL"); url != nullptr && *url != '\0') {
    options.postgres.url = url;
    options.postgres.replica_id = "store-bench";
  }
  if (auto store = async_store::open(options, 0)) {
    status = bench(**store, threads, deliveries, in_flight, rate);
  } else {
    std::fprintf(stderr, "open failed: %s\n", store.error().message.c_str());
  }
  std::filesystem::remove_all(dir);
  return status;
}
