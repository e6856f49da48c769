// The server over TLS, against a PKI generated at test time: handshake, trust, protocol floor,
// ALPN, certificate reload without dropping connections, and the server behaviours (keep-alive,
// 413, connection cap, deadlines, graceful shutdown) unchanged over TLS. Also the server context:
// which file a refused pair blames.
#include <future>
#include <memory>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <warroom/net/server.hpp>
#include <warroom/net/tls_context.hpp>

#include "support/raw_client.hpp"
#include "support/test_pki.hpp"
#include "support/tls_client.hpp"
#include "unit/net/server_fixture.hpp"

namespace warroom::net {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using test::status_of;
using test::tls_client;
using test::tls_client_options;

constexpr std::string_view get_healthz = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

// ca signs "first" and "second" (both 127.0.0.1); other-ca signs nothing the server uses.
class ServerTlsTest : public testing::server_fixture {
 protected:
  static void SetUpTestSuite() {
    pki_ = std::make_unique<test::test_pki>();
    ready_ = pki_->make_ca("ca") && pki_->make_ca("other-ca") &&
             pki_->issue("first", "IP:127.0.0.1") && pki_->issue("second", "IP:127.0.0.1");
  }
  static void TearDownTestSuite() { pki_.reset(); }

  void SetUp() override {
    if (!ready_) GTEST_SKIP() << "could not generate test certificates with the openssl CLI";
  }

  static tls_server_files pair(const std::string& name) {
    return {pki_->path(name + ".pem"), pki_->path(name + ".key")};
  }

  /// The server with the "first" pair.
  void start_tls(server_options options = {}) {
    auto tls = make_server_tls_context(pair("first"));
    ASSERT_TRUE(tls) << tls.error().message;
    start(options, tls->context);
  }

  /// Swaps the server's pair on its own thread, as the daemon's SIGHUP handler does.
  void reload(const std::string& name) {
    auto tls = make_server_tls_context(pair(name));
    ASSERT_TRUE(tls) << tls.error().message;
    std::promise<void> done;
    asio::post(io_, [&] {
      server_->use_tls(tls->context);
      done.set_value();
    });
    done.get_future().wait();
  }

  /// `client` holds a handshake with the server's `subject` certificate and is answered there.
  static void expect_served(tls_client& client, std::string_view subject) {
    ASSERT_TRUE(client.handshaken()) << client.error();
    EXPECT_EQ(client.subject(), subject);
    ASSERT_TRUE(client.send(get_healthz));
    EXPECT_EQ(status_of(client.read_response()), 200u);
  }

  std::unique_ptr<tls_client> connect(tls_client_options options = {}) {
    if (options.ca_file.empty()) options.ca_file = pki_->path("ca.pem");
    return std::make_unique<tls_client>(port_, options);
  }

  static inline std::unique_ptr<test::test_pki> pki_;
  static inline bool ready_ = false;
};

TEST_F(ServerTlsTest, ServesARequestOverTls) {
  start_tls();
  auto client = connect();
  ASSERT_TRUE(client->handshaken()) << client->error();
  EXPECT_EQ(client->subject(), "CN=first");
  ASSERT_TRUE(client->send(get_healthz));
  const auto res = client->read_response();
  EXPECT_EQ(status_of(res), 200u) << res;
  EXPECT_NE(res.find(R"({"status":"ok"})"), std::string::npos);
}

TEST_F(ServerTlsTest, AlpnNegotiatesHttp11) {
  start_tls();
  auto client = connect();  // offers h2, then http/1.1
  ASSERT_TRUE(client->handshaken()) << client->error();
  EXPECT_EQ(client->alpn(), "http/1.1");
}

TEST_F(ServerTlsTest, ClientOfferingOnlyOtherProtocolsIsRefused) {
  start_tls();
  auto client = connect({.alpn = std::string("\x02h2", 3)});
  EXPECT_FALSE(client->handshaken());
  EXPECT_NE(client->error().find("no application protocol"), std::string::npos) << client->error();
}

TEST_F(ServerTlsTest, ClientTrustingAnotherCaRefuses) {
  start_tls();
  auto client = connect({.ca_file = pki_->path("other-ca.pem")});
  EXPECT_FALSE(client->handshaken());
  EXPECT_NE(client->error().find("certificate verify failed"), std::string::npos)
      << client->error();
}

TEST_F(ServerTlsTest, Tls11IsRefusedAndTls12Accepted) {
  start_tls();
  auto old = connect({.min_version = TLS1_VERSION, .max_version = TLS1_1_VERSION});
  EXPECT_FALSE(old->handshaken());
  // The server's alert, not the client declining to offer TLS 1.1 at all.
  EXPECT_NE(old->error().find("protocol version"), std::string::npos) << old->error();
  auto tls12 = connect({.max_version = TLS1_2_VERSION});
  ASSERT_TRUE(tls12->handshaken()) << tls12->error();
  EXPECT_EQ(tls12->version(), "TLSv1.2");
}

TEST_F(ServerTlsTest, ReloadServesTheNewCertificateWhileOpenConnectionsContinue) {
  start_tls();
  auto before = connect();
  ASSERT_TRUE(before->handshaken()) << before->error();
  ASSERT_TRUE(before->send(get_healthz));
  EXPECT_EQ(status_of(before->read_response()), 200u);

  reload("second");
  auto after = connect();
  expect_served(*after, "CN=second");

  // The connection opened before the reload is still up, on its old certificate.
  expect_served(*before, "CN=first");
  EXPECT_EQ(server_->open_connections(), 2u);
}

// Connections on a second loop handshake there, with the context current when they were
// accepted; a reload reaches the connections of every loop accepted after it.
TEST_F(ServerTlsTest, ReloadReachesEveryLoopWhileOpenConnectionsContinue) {
  extra_loops_ = 1;
  start_tls();
  auto before = connect();  // the second loop's
  ASSERT_TRUE(before->handshaken()) << before->error();
  ASSERT_TRUE(before->send("GET /where/any HTTP/1.1\r\nHost: x\r\n\r\n"));
  const auto where = before->read_response();
  EXPECT_NE(where.find(R"({"main":false})"), std::string::npos) << where;

  reload("second");
  auto on_event_loop = connect();
  auto on_second_loop = connect();
  expect_served(*on_event_loop, "CN=second");
  expect_served(*on_second_loop, "CN=second");
  expect_served(*before, "CN=first");
}

TEST_F(ServerTlsTest, KeepAliveReusesTheConnection) {
  start_tls();
  auto client = connect();
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client->send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"));
    const auto res = client->read_response();
    EXPECT_EQ(status_of(res), 200u) << res;
    EXPECT_TRUE(res.ends_with("3"));
  }
  EXPECT_EQ(handled_.load(), 3);
  EXPECT_EQ(server_->open_connections(), 1u);
}

TEST_F(ServerTlsTest, OversizedBodyGets413ThatTheClientReceives) {
  server_options options;
  options.max_body_bytes = 1024;
  start_tls(options);
  auto client = connect();
  const std::string body(512 * 1024, 'x');
  client->send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) +
               "\r\n\r\n");
  client->send(body);  // the server answers early and drains, so this does not block forever
  const auto res = client->read_response();
  EXPECT_EQ(status_of(res), 413u) << res.substr(0, 200);
  EXPECT_EQ(handled_.load(), 0);
  EXPECT_TRUE(client->wait_closed());
}

TEST_F(ServerTlsTest, ConnectionCapRefusesWith503) {
  server_options options;
  options.max_connections = 1;
  start_tls(options);
  auto first = connect();
  ASSERT_TRUE(first->handshaken()) << first->error();
  auto refused = connect();
  ASSERT_TRUE(refused->handshaken()) << refused->error();
  EXPECT_EQ(status_of(refused->read_response()), 503u);
  first->send(get_healthz);
  EXPECT_EQ(status_of(first->read_response()), 200u);
}

TEST_F(ServerTlsTest, StalledHandshakeIsCutOffByTheReadDeadline) {
  server_options options;
  options.read_timeout = 300ms;
  start_tls(options);
  test::raw_client silent(port_);  // connects and never sends a ClientHello
  ASSERT_TRUE(silent.connected());
  EXPECT_TRUE(silent.wait_closed(5s));
  auto client = connect();
  EXPECT_TRUE(client->handshaken()) << client->error();
}

TEST_F(ServerTlsTest, ShutdownClosesIdleTlsConnections) {
  start_tls();
  auto idle = connect();
  ASSERT_TRUE(idle->handshaken()) << idle->error();
  ASSERT_TRUE(idle->send(get_healthz));
  EXPECT_EQ(status_of(idle->read_response()), 200u);
  stop(5s);
  EXPECT_TRUE(idle->wait_closed());
  EXPECT_EQ(server_->open_connections(), 0u);
}

class ServerTlsContextTest : public ServerTlsTest {};

TEST_F(ServerTlsContextTest, SummarisesTheCertificate) {
  auto tls = make_server_tls_context(pair("first"));
  ASSERT_TRUE(tls) << tls.error().message;
  EXPECT_EQ(tls->certificate.subject, "CN=first");
  EXPECT_FALSE(tls->certificate.serial.empty());
  EXPECT_EQ(tls->certificate.not_after.size(), std::string("2026-12-04T02:00:00Z").size())
      << tls->certificate.not_after;
}

TEST_F(ServerTlsContextTest, BlamesTheFileAtFault) {
  const auto first = pair("first");
  const auto second = pair("second");
  struct refused_pair {
    tls_server_files files;
    const char* code;
    std::string names;
  };
  for (const auto& c : {
           refused_pair{{"/nonexistent/cert.pem", first.key_file},
                        tls_errc::bad_certificate,
                        "/nonexistent/cert.pem"},
           refused_pair{
               {first.key_file, first.key_file}, tls_errc::bad_certificate, first.key_file},
           refused_pair{{first.cert_file, "/nonexistent/key.pem"},
                        tls_errc::bad_key,
                        "/nonexistent/key.pem"},
           refused_pair{{first.cert_file, first.cert_file}, tls_errc::bad_key, first.cert_file},
           refused_pair{
               {first.cert_file, second.key_file}, tls_errc::key_mismatch, second.key_file},
       }) {
    auto tls = make_server_tls_context(c.files);
    ASSERT_FALSE(tls) << c.files.cert_file << " " << c.files.key_file;
    EXPECT_EQ(tls.error().code, c.code) << tls.error().message;
    EXPECT_NE(tls.error().message.find(c.names), std::string::npos) << tls.error().message;
  }
}

}  // namespace
}  // namespace warroom::net
