// Black-box tests of the warroomd binary: CLI, startup, systemd notifications, signals.
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sys/socket.h>
#include <sys/un.h>

#include <gtest/gtest.h>

#include "support/child_process.hpp"
#include "support/raw_client.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using warroom::test::child_process;

const std::string daemon_path = WARROOM_BINARY_DIR "/src/warroomd";

class DaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("warroom-daemon-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write_config(const std::string& extra_server = "") {
    const auto path = dir_ / "warroom.yaml";
    std::ofstream(path)
        << "server:\n  listen: \"127.0.0.1:0\"\n  public_url: \"http://127.0.0.1:1\"\n"
        << extra_server << "store:\n  path: \"" << (dir_ / "warroom.db").string()
        << "\"\npagerduty:\n  api_url: \"http://127.0.0.1:1\"\n  token: \"${PD_TOKEN}\"\n"
        << "  webhook_secrets: [\"whsec\"]\nmattermost:\n  url: \"http://127.0.0.1:1\"\n"
        << "  token: \"mm\"\n  team_id: \"t\"\n  action_secret: \"as\"\n"
        << "jira:\n  url: \"http://127.0.0.1:1\"\n  email: \"a@b.example\"\n"
        << "  token: \"jt\"\n  project_key: \"OPS\"\n  issue_type: \"Incident\"\n";
    return path.string();
  }

  static std::uint16_t port_of(const std::string& line) {
    return static_cast<std::uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
  }

  fs::path dir_;
};

TEST_F(DaemonTest, VersionAndHelp) {
  child_process version({daemon_path, "--version"});
  EXPECT_EQ(version.wait_exit(10s), 0);
  EXPECT_NE(version.output().find("warroomd "), std::string::npos);
  child_process help({daemon_path, "--help"});
  EXPECT_EQ(help.wait_exit(10s), 0);
  EXPECT_NE(help.output().find("--check"), std::string::npos);
  child_process bad({daemon_path, "--bogus"});
  EXPECT_NE(bad.wait_exit(10s), 0);
}

TEST_F(DaemonTest, CheckAcceptsAValidConfig) {
  child_process check({daemon_path, "--check", "--config", write_config()}, {"PD_TOKEN=pd-secret"});
  EXPECT_EQ(check.wait_exit(10s), 0) << check.output();
}

TEST_F(DaemonTest, CheckListsEveryProblemWithoutSecrets) {
  const auto path = dir_ / "bad.yaml";
  std::ofstream(path) << "server:\n  listen: nowhere\nstore: {}\npagerduty:\n"
                      << "  api_url: ftp://x\n  token: \"super-secret-token-value\"\n  bogus: 1\n";
  child_process check({daemon_path, "--check", "--config", path.string()});
  EXPECT_EQ(check.wait_exit(10s), 1);
  const auto& out = check.output();
  for (const char* expected :
       {"server.listen", "server.public_url", "store.path", "pagerduty.api_url", "pagerduty.bogus",
        "pagerduty.webhook_secrets", "mattermost: is required", "jira: is required"})
    EXPECT_NE(out.find(expected), std::string::npos) << expected << " in:\n" << out;
  EXPECT_EQ(out.find("super-secret-token-value"), std::string::npos);
}

TEST_F(DaemonTest, MissingEnvironmentVariableIsNamed) {
  child_process check({daemon_path, "--check", "--config", write_config()});
  EXPECT_EQ(check.wait_exit(10s), 1);
  EXPECT_NE(check.output().find("pagerduty.token: environment variable PD_TOKEN is not set"),
            std::string::npos)
      << check.output();
}

TEST_F(DaemonTest, ServesAndStopsOnSigterm) {
  child_process daemon({daemon_path, "--config", write_config()}, {"PD_TOKEN=pd-secret"});
  const auto line = daemon.wait_for_output("listening on 127.0.0.1:", 10s);
  ASSERT_TRUE(line) << daemon.output();
  warroom::test::raw_client client(port_of(*line));
  client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(warroom::test::status_of(client.read_response()), 200u);
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(15s), 0) << daemon.output();
  EXPECT_EQ(daemon.output().find("pd-secret"), std::string::npos);
}

TEST_F(DaemonTest, NotifiesSystemdReadyAndStopping) {
  const std::string socket_path = (dir_ / "notify.sock").string();
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, socket_path.c_str(), sizeof(addr.sun_path) - 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);

  child_process daemon(
      {daemon_path, "--config", write_config()},
      {"PD_TOKEN=pd-secret", "NOTIFY_SOCKET=" + socket_path, "WATCHDOG_USEC=200000"});
  auto receive = [&](std::chrono::milliseconds deadline) -> std::string {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(deadline.count())) <= 0) return "";
    char buf[256];
    const auto n = ::recv(fd, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
  };
  std::vector<std::string> seen;
  auto wait_for = [&](const std::string& wanted) {
    const auto until = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < until) {
      const auto msg = receive(100ms);
      if (!msg.empty()) seen.push_back(msg);
      if (msg == wanted) return true;
    }
    return false;
  };
  EXPECT_TRUE(wait_for("READY=1")) << daemon.output();
  EXPECT_TRUE(wait_for("WATCHDOG=1"));
  daemon.signal(SIGTERM);
  EXPECT_TRUE(wait_for("STOPPING=1"));
  EXPECT_EQ(daemon.wait_exit(15s), 0);
  ::close(fd);
}

TEST_F(DaemonTest, JsonLogsAreOneObjectPerLine) {
  const auto path = write_config();
  std::ofstream(path, std::ios::app) << "log: { format: json }\n";
  child_process daemon({daemon_path, "--config", path}, {"PD_TOKEN=pd-secret"});
  const auto line = daemon.wait_for_output("listening on", 10s);
  ASSERT_TRUE(line);
  EXPECT_TRUE(line->starts_with("{\"ts_ms\":")) << *line;
  EXPECT_TRUE(line->ends_with("}")) << *line;
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(15s), 0);
}

}  // namespace
