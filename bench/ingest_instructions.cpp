#include "ingest_instructions.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <unistd.h>

#include "ingest_load.hpp"
#include "ingest_target.hpp"

namespace warroom::bench {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

// The "summary:" line of a callgrind output file: instructions executed, all threads.
std::optional<double> callgrind_total(const fs::path& file) {
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("summary:", 0) == 0) return std::strtod(line.c_str() + 8, nullptr);
  return std::nullopt;
}

// The valgrind on PATH; empty when there is none.
std::string find_valgrind() {
  const char* path = std::getenv("PATH");
  std::string_view dirs = path != nullptr ? path : "/usr/bin:/bin";
  while (!dirs.empty()) {
    const auto colon = dirs.find(':');
    const fs::path candidate = fs::path(std::string(dirs.substr(0, colon))) / "valgrind";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    dirs = colon == std::string_view::npos ? std::string_view() : dirs.substr(colon + 1);
  }
  return {};
}

// One run: warroomd under callgrind on a fresh database, `count` webhooks, SIGTERM. Its outbound
// calls wait an hour on the stalled upstream, so the dispatcher starts its first jobs once and
// then waits: the same job work in every run, however long valgrind makes it last, which the
// difference of two runs cancels.
std::optional<double> instructions_for(const std::string& valgrind, const std::string& warroomd,
                                       const std::string& parent,
                                       const std::vector<std::string>& requests, std::size_t count,
                                       int connections, bool keep, int threads) {
  std::string dir = parent + "/warroom-instructions-XXXXXX";
  if (::mkdtemp(dir.data()) == nullptr) return std::nullopt;
  const stalled_upstream stalled;
  const auto config =
      write_warroomd_config(dir, dir + "/warroom.db", stalled.url(), "", "1h", threads);
  const auto out = fs::path(dir) / "callgrind.out";
  std::optional<double> total;
  auto server =
      target_process::start({valgrind, "-q", "--tool=callgrind",
                             "--callgrind-out-file=" + out.string(), warroomd, "--config", config},
                            milliseconds(120000));
  if (server) {
    const std::vector<std::string> slice(requests.begin(),
                                         requests.begin() + static_cast<long>(count));
    request_pool pool{&slice, 0, false};
    load_options o;
    o.port = server->port();
    o.connections = connections;
    o.send_whole_pool = true;
    const auto result = run_load(o, pool);
    const auto code = server->stop(milliseconds(120000));
    if (result.accepted_all_phases != count || code != 0) {
      std::printf("instructions: run of %zu webhooks: %llu accepted, exit code %d\n", count,
                  static_cast<unsigned long long>(result.accepted_all_phases), code ? *code : -1);
    } else {
      total = callgrind_total(out);
    }
  }
  if (keep) {
    std::printf("instructions: kept %s\n", out.c_str());
  } else {
    fs::remove_all(dir);
  }
  return total;
}

}  // namespace

std::optional<instruction_count> count_instructions(const std::string& warroomd,
                                                    const std::string& dir,
                                                    const std::vector<std::string>& requests,
                                                    std::size_t n, int connections, bool keep,
                                                    int threads) {
  const std::string valgrind = find_valgrind();
  if (valgrind.empty()) {
    std::printf("instructions: not counted: valgrind is not installed\n");
    return std::nullopt;
  }
  if (requests.size() < 2 * n) {
    std::printf("instructions: not counted: %zu requests prepared, %zu needed\n", requests.size(),
                2 * n);
    return std::nullopt;
  }
  // Valgrind runs one thread at a time, so several serving loops hand the store thread smaller
  // batches than they do natively (six times the commits per webhook with two loops): counted
  // with one loop unless told otherwise, the figure stays comparable from build to build.
  if (threads == 0) threads = 1;
  const auto once =
      instructions_for(valgrind, warroomd, dir, requests, n, connections, keep, threads);
  const auto twice =
      once ? instructions_for(valgrind, warroomd, dir, requests, 2 * n, connections, keep, threads)
           : std::nullopt;
  if (!once || !twice) return std::nullopt;
  return instruction_count{(*twice - *once) / static_cast<double>(n), n};
}

}  // namespace warroom::bench
