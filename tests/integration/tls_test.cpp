// warroomd with server.tls, black-box: HTTPS on port 0, SIGHUP reloading the certificate for new
// connections while an open one continues, a failed reload keeping the served pair, and --check
// and startup refusing a mismatched pair with the key path; SIGHUP without server.tls is harmless.
// The PKI is generated at test time.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "support/daemon_harness.hpp"
#include "support/test_pki.hpp"
#include "support/tls_client.hpp"

namespace warroom::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr std::string_view get_healthz = "GET /healthz HTTP/1.1\r\nHost: warroom\r\n\r\n";

/// Replaces the first `from` in the file at `path` with `to`.
void edit_file(const std::string& path, const std::string& from, const std::string& to) {
  std::stringstream text;
  text << std::ifstream(path).rdbuf();
  std::string content = text.str();
  content.replace(content.find(from), from.size(), to);
  std::ofstream(path, std::ios::trunc) << content;
}

class DaemonTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!(pki_.make_ca("ca") && pki_.issue("first", "IP:127.0.0.1") &&
          pki_.issue("second", "IP:127.0.0.1")))
      GTEST_SKIP() << "could not generate test certificates with the openssl CLI";
  }

  /// Installs <name>.pem and <key>.key as the files the config names (rename: never half-written).
  void install(const std::string& name, const std::string& key) {
    for (const auto& [from, to] :
         {std::pair{pki_.path(name + ".pem"), cert_}, std::pair{pki_.path(key + ".key"), key_}}) {
      fs::copy_file(from, to.string() + ".new", fs::copy_options::overwrite_existing);
      fs::rename(to.string() + ".new", to);
    }
  }

  /// The harness config with server.tls and info-level logs (the reload lines are info).
  std::string write_config() {
    const auto path = write_daemon_config(dir_.path(), (dir_.path() / "warroom.db").string());
    edit_file(path, "server:\n",
              "server:\n  tls: { cert_file: \"" + cert_.string() + "\", key_file: \"" +
                  key_.string() + "\" }\n");
    edit_file(path, "level: warn", "level: info");
    return path;
  }

  std::unique_ptr<tls_client> connect(std::uint16_t port) {
    return std::make_unique<tls_client>(port, tls_client_options{.ca_file = pki_.path("ca.pem")});
  }

  test_pki pki_;
  temp_dir dir_{"tls"};
  fs::path cert_ = dir_.path() / "tls.crt";
  fs::path key_ = dir_.path() / "tls.key";
};

TEST_F(DaemonTlsTest, ServesHttpsAndReloadsTheCertificateOnSighup) {
  install("first", "first");
  running_daemon daemon(write_config());
  ASSERT_TRUE(daemon.up()) << daemon.process().output();
  auto before = connect(daemon.port());
  ASSERT_TRUE(before->handshaken()) << before->error();
  EXPECT_EQ(before->subject(), "CN=first");
  ASSERT_TRUE(before->send(get_healthz));
  EXPECT_EQ(status_of(before->read_response()), 200u);

  install("second", "second");
  daemon.process().signal(SIGHUP);
  const auto reloaded = daemon.process().wait_for_output("tls certificate reloaded", 10s);
  ASSERT_TRUE(reloaded) << daemon.process().output();
  EXPECT_NE(reloaded->find("CN=second"), std::string::npos) << *reloaded;
  auto after = connect(daemon.port());
  ASSERT_TRUE(after->handshaken()) << after->error();
  EXPECT_EQ(after->subject(), "CN=second");
  ASSERT_TRUE(after->send(get_healthz));
  EXPECT_EQ(status_of(after->read_response()), 200u);
  ASSERT_TRUE(before->send(get_healthz));  // opened before the reload, still served
  EXPECT_EQ(status_of(before->read_response()), 200u);

  install("first", "second");  // a mismatched pair: the reload fails, "second" stays
  daemon.process().signal(SIGHUP);
  const auto failed = daemon.process().wait_for_output("tls reload failed", 10s);
  ASSERT_TRUE(failed) << daemon.process().output();
  EXPECT_NE(failed->find("server.tls.key_file"), std::string::npos) << *failed;
  auto still = connect(daemon.port());
  ASSERT_TRUE(still->handshaken()) << still->error();
  EXPECT_EQ(still->subject(), "CN=second");

  daemon.process().signal(SIGTERM);
  EXPECT_EQ(daemon.process().wait_exit(15s), 0);
  EXPECT_EQ(daemon.process().output().find("PRIVATE KEY"), std::string::npos);
}

TEST_F(DaemonTlsTest, CheckAndStartRefuseAMismatchedPairNamingTheKey) {
  install("first", "second");
  const auto config = write_config();
  child_process check({daemon_path, "--check", "--config", config});
  EXPECT_EQ(check.wait_exit(10s), 1);
  EXPECT_NE(check.output().find("server.tls.key_file: the private key in"), std::string::npos)
      << check.output();
  child_process start({daemon_path, "--config", config});
  EXPECT_EQ(start.wait_exit(10s), 1);
  EXPECT_NE(start.output().find("server.tls.key_file: the private key in"), std::string::npos)
      << start.output();

  install("first", "first");
  child_process valid({daemon_path, "--check", "--config", config});
  EXPECT_EQ(valid.wait_exit(10s), 0) << valid.output();
}

// systemctl reload sends SIGHUP whatever the config: without server.tls it must not kill the
// daemon.
TEST(DaemonSighupTest, IsIgnoredWithoutTls) {
  temp_dir dir("sighup");
  const auto config = write_daemon_config(dir.path(), (dir.path() / "warroom.db").string());
  edit_file(config, "level: warn", "level: info");  // the line to wait for is at info
  running_daemon daemon(config);
  ASSERT_TRUE(daemon.up()) << daemon.process().output();
  daemon.process().signal(SIGHUP);
  EXPECT_TRUE(daemon.process().wait_for_output("SIGHUP ignored", 10s)) << daemon.process().output();
  raw_client client(daemon.port());
  client.send(get_request("/healthz"));
  EXPECT_EQ(status_of(client.read_response()), 200u);
  daemon.process().signal(SIGTERM);
  EXPECT_EQ(daemon.process().wait_exit(15s), 0);
}

}  // namespace
}  // namespace warroom::test
