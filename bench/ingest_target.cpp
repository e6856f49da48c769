#include "ingest_target.hpp"

#include <arpa/inet.h>
#include <cstdio>
#include <fstream>
#include <netinet/in.h>
#include <sstream>
#include <sys/socket.h>

#include "ingest_requests.hpp"

namespace warroom::bench {

std::unique_ptr<target_process> target_process::start(std::vector<std::string> argv,
                                                      std::chrono::milliseconds deadline) {
  const auto started = std::chrono::steady_clock::now();
  std::unique_ptr<target_process> t(new target_process(std::move(argv)));
  const auto line = t->process_.wait_for_output("listening on 127.0.0.1:", deadline);
  t->ready_ms_ =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (!line) {
    std::fprintf(stderr, "server did not start; its output:\n%s\n", t->process_.output().c_str());
    return nullptr;
  }
  t->port_ = static_cast<std::uint16_t>(std::stoi(line->substr(line->rfind(':') + 1)));
  return t;
}

long target_process::rss_kib() const {
  std::ifstream status("/proc/" + std::to_string(process_.pid()) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

double target_process::cpu_seconds() const {
  std::ifstream stat("/proc/" + std::to_string(process_.pid()) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // Fields after the command name (which may hold spaces) start at "state", field 3.
  const auto close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(text.substr(close + 2));
  std::string skip;
  for (int field = 3; field < 14; ++field)
    fields >> skip;
  unsigned long long utime = 0, stime = 0;
  fields >> utime >> stime;
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::optional<int> target_process::stop(std::chrono::milliseconds deadline) {
  process_.signal(SIGTERM);
  return process_.wait_exit(deadline);
}

stalled_upstream::stalled_upstream() {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  auto* generic = reinterpret_cast<sockaddr*>(&address);
  if (fd_ < 0 || ::bind(fd_, generic, length) != 0 || ::listen(fd_, 128) != 0 ||
      ::getsockname(fd_, generic, &length) != 0)
    return;
  port_ = ntohs(address.sin_port);
}

stalled_upstream::~stalled_upstream() {
  if (fd_ >= 0) ::close(fd_);
}

std::string stalled_upstream::url() const {
  return port_ == 0 ? std::string() : "http://127.0.0.1:" + std::to_string(port_);
}

std::string write_warroomd_config(const std::filesystem::path& dir, const std::string& db_path,
                                  const std::string& upstream_url, const std::string& postgres_url,
                                  const std::string& request_timeout, int threads) {
  const auto path = dir / "warroom.yaml";
  const std::string& up = upstream_url;
  std::ofstream(path)
      << "server:\n  listen: \"127.0.0.1:0\"\n  public_url: \"http://127.0.0.1:8080\"\n"
      << "  shutdown_grace: \"3s\"\n"
      << (threads > 0 ? "  threads: " + std::to_string(threads) + "\n" : "")
      << (postgres_url.empty() ? "store:\n  path: \"" + db_path + "\"\n"
                               : "store:\n  postgres_url: \"" + postgres_url + "\"\n")
      << "log:\n  level: warn\n"
      << "outbound:\n  request_timeout: \"" << request_timeout << "\"\n"
      << "pagerduty:\n  api_url: \"" << up << "\"\n  token: \"pd-token\"\n"
      << "  webhook_secrets: [\"" << bench_webhook_secret << "\"]\n"
      << "mattermost:\n  url: \"" << up << "\"\n  token: \"mm-token\"\n"
      << "  team_id: \"team\"\n  action_secret: \"action-secret\"\n"
      << "jira:\n  url: \"" << up << "\"\n  email: \"bot@example.com\"\n"
      << "  token: \"jira-token\"\n  project_key: \"OPS\"\n  issue_type: \"Incident\"\n";
  return path.string();
}

}  // namespace warroom::bench
