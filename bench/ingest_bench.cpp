// ingest_bench: signed 2 KB PagerDuty webhooks per second that warroomd durably accepts, next to
// a bare Beast server that only answers 202, in one run on this machine (see bench/README.md).
//
// Usage: ingest_bench [--connections 64] [--seconds 5] [--warmup 1] [--rate 10000]
//                     [--pool N] [--body-bytes 2048] [--dir /var/tmp] [--target both|bare|warroomd]
//                     [--warroomd PATH] [--upstream URL] [--instructions 1000] [--keep]
//        ingest_bench --bare-server      (the baseline server; started by the bench itself)
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <sys/resource.h>
#include <sys/vfs.h>
#include <thread>
#include <unistd.h>

#include <warroom/store/connection.hpp>
#include <warroom/store/pg_connection.hpp>

#include "ingest_bare_server.hpp"
#include "ingest_instructions.hpp"
#include "ingest_load.hpp"
#include "ingest_report.hpp"
#include "ingest_requests.hpp"
#include "ingest_target.hpp"

namespace {

using namespace warroom::bench;
namespace fs = std::filesystem;
using std::chrono::milliseconds;

constexpr const char* usage =
    "usage: ingest_bench [--connections 64] [--seconds 5] [--warmup 1] [--rate 10000] [--pool N]\n"
    "                    [--body-bytes 2048] [--dir /var/tmp] [--target both|bare|warroomd]\n"
    "                    [--warroomd PATH] [--upstream URL] [--postgres-url URL]\n"
    "                    [--instructions 1000] [--threads N] [--keep]\n"
    "       ingest_bench --bare-server   (the baseline server; the bench starts it itself)\n"
    "See bench/README.md.\n";

struct flags {
  int connections = 64;
  double seconds = 5;
  double warmup = 1;
  double rate = 10000;   // the fixed-rate run; 0 skips it
  std::size_t pool = 0;  // 0: enough for 40,000/s closed loop plus the fixed-rate run
  std::size_t body_bytes = 2048;
  std::string dir = "/var/tmp";
  std::string target = "both";
  std::string warroomd = WARROOMD_PATH;
  std::string upstream;             // empty: a loopback port that never answers (stalled_upstream)
  std::string postgres_url;         // empty: SQLite under `dir`; else an empty PostgreSQL database
  std::size_t instructions = 1000;  // webhooks per callgrind run (n, then 2n); 0 skips the count
  int threads = 0;                  // warroomd's server.threads; 0: its default
  bool keep = false;
  bool bare_server = false;
};

// Reads one flag's value into its field; throws std::invalid_argument on a malformed number.
using setter = std::function<void(flags&, const std::string&)>;

const std::map<std::string, setter, std::less<>>& value_flags() {
  static const std::map<std::string, setter, std::less<>> table{
      {"--connections", [](flags& f, const std::string& v) { f.connections = std::stoi(v); }},
      {"--seconds", [](flags& f, const std::string& v) { f.seconds = std::stod(v); }},
      {"--warmup", [](flags& f, const std::string& v) { f.warmup = std::stod(v); }},
      {"--rate", [](flags& f, const std::string& v) { f.rate = std::stod(v); }},
      {"--pool", [](flags& f, const std::string& v) { f.pool = std::stoul(v); }},
      {"--body-bytes", [](flags& f, const std::string& v) { f.body_bytes = std::stoul(v); }},
      {"--dir", [](flags& f, const std::string& v) { f.dir = v; }},
      {"--target", [](flags& f, const std::string& v) { f.target = v; }},
      {"--warroomd", [](flags& f, const std::string& v) { f.warroomd = v; }},
      {"--upstream", [](flags& f, const std::string& v) { f.upstream = v; }},
      {"--postgres-url", [](flags& f, const std::string& v) { f.postgres_url = v; }},
      {"--instructions", [](flags& f, const std::string& v) { f.instructions = std::stoul(v); }},
      {"--threads", [](flags& f, const std::string& v) { f.threads = std::stoi(v); }},
  };
  return table;
}

std::optional<flags> parse(int argc, char** argv) try {
  flags f;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--bare-server" || arg == "--keep") {
      (arg == "--keep" ? f.keep : f.bare_server) = true;
      continue;
    }
    const auto flag = value_flags().find(arg);
    if (flag == value_flags().end() || i + 1 == argc) return std::nullopt;
    flag->second(f, argv[++i]);
  }
  if (f.connections < 1 || f.seconds <= 0 || f.warmup < 0 || f.rate < 0 || f.threads < 0)
    return std::nullopt;
  if (f.target != "both" && f.target != "bare" && f.target != "warroomd") return std::nullopt;
  return f;
} catch (const std::logic_error&) {  // std::stoi and friends on a value that is no number
  return std::nullopt;
}

double own_cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(u.ru_utime) + seconds(u.ru_stime);
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

run_report load(target_process& server, const flags& f, request_pool& pool, double rate) {
  run_report report;
  double server_start = 0, client_start = 0;
  load_options o;
  o.port = server.port();
  o.connections = f.connections;
  o.warmup = milliseconds(static_cast<long>(f.warmup * 1000));
  o.timed = milliseconds(static_cast<long>(f.seconds * 1000));
  o.rate = rate;
  o.on_timed_start = [&] {
    server_start = server.cpu_seconds();
    client_start = own_cpu_seconds();
  };
  o.on_timed_end = [&] {
    report.server_cpu_s = server.cpu_seconds() - server_start;
    report.client_cpu_s = own_cpu_seconds() - client_start;
  };
  report.load = run_load(o, pool);
  return report;
}

// Starts the server, measures it idle, runs the closed-loop and fixed-rate loads, measures it
// idle again. The server stays up for the caller to stop.
std::unique_ptr<target_process> measure(const std::string& name, std::vector<std::string> argv,
                                        const flags& f, request_pool& pool, target_report& out) {
  auto server = target_process::start(std::move(argv), milliseconds(20000));
  if (!server) return nullptr;
  out.name = name;
  out.ready_ms = server->ready_ms();
  std::this_thread::sleep_for(milliseconds(500));  // let start-up work settle before "idle"
  out.rss_idle_kib = server->rss_kib();
  std::printf("\n== %s: ready in %.1f ms, idle RSS %.1f MiB\n", name.c_str(), out.ready_ms,
              static_cast<double>(out.rss_idle_kib) / 1024.0);
  out.saturation = load(*server, f, pool, 0);
  print_run(name.c_str(), "closed loop", out.saturation);
  if (f.rate > 0) {
    out.paced = load(*server, f, pool, f.rate);
    char mode[32];
    std::snprintf(mode, sizeof mode, "%.0f/s offered", f.rate);
    print_run(name.c_str(), mode, *out.paced);
  }
  std::this_thread::sleep_for(milliseconds(2500));  // warroomd trims its heap after 1-2 s idle
  out.rss_after_kib = server->rss_kib();
  std::printf("%-9s idle RSS after load %.1f MiB\n", name.c_str(),
              static_cast<double>(out.rss_after_kib) / 1024.0);
  return server;
}

// After a clean stop, every 202 must be a delivery in the database file (and nothing else).
// The same count on PostgreSQL: the database was empty when the run began.
bool check_postgres_durability(const std::string& url, std::uint64_t accepted) {
  auto conn = warroom::store::pg_connection::open(url);
  if (!conn) {
    std::printf("durability: cannot connect: %s\n", conn.error().message.c_str());
    return false;
  }
  auto deliveries = (*conn)->run("SELECT count(*) FROM deliveries");
  const bool ok = deliveries && static_cast<std::uint64_t>(deliveries->int_at(0, 0)) == accepted;
  std::printf("durability: 202 answers (all phases) %llu, deliveries in PostgreSQL %lld: %s\n",
              static_cast<unsigned long long>(accepted),
              deliveries ? static_cast<long long>(deliveries->int_at(0, 0)) : -1LL,
              ok ? "OK" : "MISMATCH");
  return ok;
}

bool check_durability(const std::string& db_path, std::uint64_t accepted) {
  auto conn =
      warroom::store::connection::open(db_path, warroom::store::connection::mode::read_only, 1000);
  if (!conn) {
    std::printf("durability: cannot open %s: %s\n", db_path.c_str(), conn.error().message.c_str());
    return false;
  }
  const auto deliveries = (*conn)->query_int("SELECT count(*) FROM deliveries");
  const auto jobs = (*conn)->query_int("SELECT count(*) FROM jobs");
  const bool ok = deliveries && static_cast<std::uint64_t>(*deliveries) == accepted;
  std::printf(
      "durability: 202 answers (all phases) %llu, deliveries in the database %lld, jobs "
      "%lld: %s\n",
      static_cast<unsigned long long>(accepted),
      deliveries ? static_cast<long long>(*deliveries) : -1LL,
      jobs ? static_cast<long long>(*jobs) : -1LL, ok ? "OK" : "MISMATCH");
  return ok;
}

void print_tail(const std::string& output) {
  std::size_t from = output.size();
  for (int lines = 0; lines < 20 && from > 0; ++lines)
    from = output.rfind('\n', from - 1);
  std::printf("its last output:\n%s\n",
              output.substr(from == std::string::npos ? 0 : from).c_str());
}

// The disk's fsync time as a commit meets it: 500 appends of 8 KiB (a WAL frame and its page),
// each followed by fdatasync, in a new file in `dir`; the median and the tail. Zeros when the file
// cannot be made.
fsync_times probe_fsync(const std::string& dir) {
  const std::string path = dir + "/fsync-probe";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return {};
  const std::string page(8192, 'x');
  std::vector<double> ms;
  for (int i = 0; i < 500; ++i) {
    const auto start = std::chrono::steady_clock::now();
    if (::pwrite(fd, page.data(), page.size(), static_cast<off_t>(i) * 8192) < 0 ||
        ::fdatasync(fd) != 0)
      break;
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                     .count());
  }
  ::close(fd);
  ::unlink(path.c_str());
  if (ms.empty()) return {};
  std::sort(ms.begin(), ms.end());
  const auto at = [&ms](double q) {
    return ms[std::min(ms.size() - 1,
                       static_cast<std::size_t>(q * static_cast<double>(ms.size())))];
  };
  return fsync_times{at(0.5), at(0.9), at(0.99)};
}

void warn_if_tmpfs(const std::string& dir) {
  struct statfs fs_info {};
  constexpr long tmpfs_magic = 0x01021994;
  if (::statfs(dir.c_str(), &fs_info) == 0 && static_cast<long>(fs_info.f_type) == tmpfs_magic)
    std::printf("WARNING: %s is tmpfs: commits never reach a disk; use --dir on a disk\n",
                dir.c_str());
}

// warroomd on a database in a fresh directory on disk; afterwards SIGTERM, the durability check
// and a second start to time readiness with a full database.
bool run_warroomd(const flags& f, request_pool& pool, target_report& out) {
  std::string dir = f.dir + "/warroom-ingest-bench-XXXXXX";
  if (::mkdtemp(dir.data()) == nullptr) {
    std::perror(("cannot create a directory under " + f.dir).c_str());
    return false;
  }
  warn_if_tmpfs(dir);
  const std::string db = dir + "/warroom.db";
  const stalled_upstream stalled;
  const auto config = write_warroomd_config(
      dir, db, f.upstream.empty() ? stalled.url() : f.upstream, f.postgres_url, "1s", f.threads);
  bool ok = false;
  if (auto server = measure("warroomd", {f.warroomd, "--config", config}, f, pool, out)) {
    const auto code = server->stop(milliseconds(20000));
    std::printf("warroomd: SIGTERM, exit code %d\n", code ? *code : -1);
    auto accepted = out.saturation.load.accepted_all_phases;
    if (out.paced) accepted += out.paced->load.accepted_all_phases;
    if (code != 0) print_tail(server->output());
    // Checked whatever the exit: after a crash, every 202 must still be in the file.
    ok = (f.postgres_url.empty() ? check_durability(db, accepted)
                                 : check_postgres_durability(f.postgres_url, accepted)) &&
         code == 0;
    if (auto again = target_process::start({f.warroomd, "--config", config}, milliseconds(20000))) {
      std::printf("warroomd: restarted on that database: ready in %.1f ms, idle RSS %.1f MiB\n",
                  again->ready_ms(), static_cast<double>(again->rss_kib()) / 1024.0);
      again->stop(milliseconds(20000));
    }
  }
  if (f.keep) {
    std::printf("kept %s\n", dir.c_str());
  } else {
    fs::remove_all(dir);
  }
  return ok;
}

bool run_bare(const flags& f, request_pool& pool, target_report& out) {
  const auto self = fs::read_symlink("/proc/self/exe").string();
  auto server = measure("bare", {self, "--bare-server"}, f, pool, out);
  if (!server) return false;
  return server->stop(milliseconds(5000)) == 0;
}

void print_conditions(const flags& f, const request_pool& pool, double generate_s) {
  const auto& sample = pool.items->front();
  std::printf("ingest_bench: %u CPUs, load average %s (1/5/15 min) at start\n",
              std::thread::hardware_concurrency(), load_average().c_str());
  std::printf(
      "load: %d keep-alive connections from one thread, %.1f s warm-up + %.1f s timed per "
      "run; runs: closed loop, then %.0f/s offered (open loop, 0 = skipped)\n",
      f.connections, f.warmup, f.seconds, f.rate);
  std::printf(
      "requests: %zu distinct signed incident.triggered webhooks, body %zu B, %zu B on "
      "the wire, prepared in %.2f s (not timed)\n",
      pool.items->size(), body_of(sample).size(), sample.size(), generate_s);
}

}  // namespace

int main(int argc, char** argv) {
  const auto f = parse(argc, argv);
  if (!f) {
    std::fprintf(stderr, "%s", usage);
    return 2;
  }
  if (f->bare_server) return run_bare_server();
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress shows when the output goes to a file

  const double run_s = f->warmup + f->seconds;
  const auto pool_size =
      f->pool ? f->pool : static_cast<std::size_t>(run_s * (40000 + f->rate) * 1.02);
  const auto started = std::chrono::steady_clock::now();
  const auto requests = make_signed_webhooks(pool_size, f->body_bytes);
  const std::chrono::duration<double> generate = std::chrono::steady_clock::now() - started;
  request_pool bare_pool{&requests, 0, true};
  request_pool warroomd_pool{&requests, 0, false};
  print_conditions(*f, warroomd_pool, generate.count());

  bool ok = true;
  target_report bare, warroomd;
  const bool with_bare = f->target != "warroomd";
  const bool with_warroomd = f->target != "bare";
  if (with_bare) ok = run_bare(*f, bare_pool, bare) && ok;
  if (with_warroomd) ok = run_warroomd(*f, warroomd_pool, warroomd) && ok;
  run_conditions conditions;
  conditions.rate = f->rate;
  conditions.fsync = probe_fsync(f->dir);
  std::printf("\nfsync: 8 KiB append + fdatasync in %s: median %.2f ms, p90 %.2f ms, p99 %.2f ms\n",
              f->dir.c_str(), conditions.fsync.median_ms, conditions.fsync.p90_ms,
              conditions.fsync.p99_ms);
  if (with_warroomd && f->instructions > 0 && f->postgres_url.empty()) {
    std::printf("instructions: counting with callgrind (%zu, then %zu webhooks)...\n",
                f->instructions, 2 * f->instructions);
    conditions.instructions = count_instructions(f->warroomd, f->dir, requests, f->instructions,
                                                 f->connections, f->keep, f->threads);
    if (conditions.instructions)
      std::printf("instructions: %.0f per accepted webhook (user space, every thread)\n",
                  conditions.instructions->per_webhook);
  }
  print_summary(with_bare && !bare.name.empty() ? &bare : nullptr,
                with_warroomd && !warroomd.name.empty() ? &warroomd : nullptr, conditions);
  std::printf("load average %s (1/5/15 min) at the end\n", load_average().c_str());
  return ok ? 0 : 1;
}
