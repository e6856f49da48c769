// Client TLS against a TLS fake upstream with a CA and certificates generated at test time by the
// openssl CLI: trusted CA and matching name succeed; an unknown CA or another host's certificate
// fail with tls_failed and OpenSSL's reason.
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <warroom/net/http_client.hpp>
#include <warroom/net/tls_context.hpp>

#include "support/test_pki.hpp"
#include "unit/net/client_test_support.hpp"
#include "unit/net/fake_upstream.hpp"

namespace warroom::net {
namespace {

using api::http_method;
using testing::fake_upstream;
using testing::make_call;

// A throwaway PKI: ca.pem signs localhost.pem (localhost, 127.0.0.1) and wrong.pem
// (wrong.example); other-ca.pem signs nothing the servers use.
class TlsClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_ = std::make_unique<test::test_pki>();
    ready_ = pki_->make_ca("ca") && pki_->make_ca("other-ca") &&
             pki_->issue("localhost", "DNS:localhost,IP:127.0.0.1") &&
             pki_->issue("wrong", "DNS:wrong.example");
  }

  static void TearDownTestSuite() { pki_.reset(); }

  void SetUp() override {
    if (!ready_) GTEST_SKIP() << "could not generate test certificates with the openssl CLI";
  }

  static std::string path(const std::string& file) { return pki_->path(file); }

  void start(const std::string& server_cert, const std::string& trusted_ca) {
    upstream_ = std::make_unique<fake_upstream>(testing::fake_upstream_options{
        .cert_file = path(server_cert + ".pem"), .key_file = path(server_cert + ".key")});
    auto tls = trusted_ca.empty() ? make_client_tls_context({})
                                  : make_client_tls_context({.ca_file = path(trusted_ca)});
    ASSERT_TRUE(tls) << tls.error().message;
    client_ = std::make_unique<http_client>(ioc_.get_executor(), client_options{}, std::move(*tls));
  }

  result<api::http_reply> get(const std::string& host) {
    const std::string origin = "https://" + host + ":" + std::to_string(upstream_->port());
    return testing::send_now(ioc_, *client_, make_call(http_method::get, origin));
  }

  static void expect_verify_failure(const result<api::http_reply>& reply, const std::string& why) {
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().code, client_errc::tls_failed);
    EXPECT_NE(reply.error().message.find("certificate verify failed"), std::string::npos)
        << reply.error().message;
    EXPECT_NE(reply.error().message.find(why), std::string::npos) << reply.error().message;
  }

  static inline std::unique_ptr<test::test_pki> pki_;
  static inline bool ready_ = false;
  boost::asio::io_context ioc_;
  std::unique_ptr<fake_upstream> upstream_;
  std::unique_ptr<http_client> client_;
};

TEST_F(TlsClientTest, TrustedCaAndMatchingAddressSucceed) {
  start("localhost", "ca.pem");
  for (int i = 0; i < 3; ++i) {
    auto reply = get("127.0.0.1");
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_EQ(reply->body, "ok");
  }
  EXPECT_EQ(upstream_->accepted(), 1u);  // keep-alive over TLS
}

TEST_F(TlsClientTest, TrustedCaAndMatchingHostNameSucceed) {
  start("localhost", "ca.pem");
  auto reply = get("localhost");
  ASSERT_TRUE(reply) << reply.error().message;
}

TEST_F(TlsClientTest, StaleReusedTlsConnectionIsReplayedForGet) {
  start("localhost", "ca.pem");
  ASSERT_TRUE(get("127.0.0.1"));
  upstream_->drop_next_requests(1);
  auto reply = get("127.0.0.1");
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(upstream_->accepted(), 2u);
  EXPECT_EQ(client_->stats().retried, 1u);
}

// Given only options, the client builds its TLS context at the first https origin: plain HTTP
// works without one, and https then verifies as with a context made up front.
TEST_F(TlsClientTest, ContextBuiltAtTheFirstHttpsOrigin) {
  fake_upstream plain;
  upstream_ = std::make_unique<fake_upstream>(testing::fake_upstream_options{
      .cert_file = path("localhost.pem"), .key_file = path("localhost.key")});
  client_ = std::make_unique<http_client>(ioc_.get_executor(), client_options{},
                                          tls_client_options{.ca_file = path("ca.pem")});
  auto over_http = testing::send_now(ioc_, *client_, make_call(http_method::get, plain.origin()));
  ASSERT_TRUE(over_http) << over_http.error().message;
  auto over_https = get("127.0.0.1");
  ASSERT_TRUE(over_https) << over_https.error().message;
  EXPECT_EQ(over_https->body, "ok");
  EXPECT_TRUE(client_->prepare_tls());
}

// A CA file that cannot be loaded: prepare_tls() says why (the start-up check), https calls fail
// cleanly, and plain HTTP is unaffected.
TEST_F(TlsClientTest, UnusableCaFileFailsHttpsOnly) {
  fake_upstream plain;
  upstream_ = std::make_unique<fake_upstream>(testing::fake_upstream_options{
      .cert_file = path("localhost.pem"), .key_file = path("localhost.key")});
  client_ =
      std::make_unique<http_client>(ioc_.get_executor(), client_options{},
                                    tls_client_options{.ca_file = "/nonexistent/warroom-ca.pem"});
  auto prepared = client_->prepare_tls();
  ASSERT_FALSE(prepared);
  EXPECT_EQ(prepared.error().code, client_errc::tls_failed);
  EXPECT_NE(prepared.error().message.find("/nonexistent/warroom-ca.pem"), std::string::npos);
  EXPECT_FALSE(get("127.0.0.1"));
  EXPECT_EQ(upstream_->accepted(), 0u);
  EXPECT_TRUE(testing::send_now(ioc_, *client_, make_call(http_method::get, plain.origin())));
}

// A rejected certificate: which one the server shows, which CA the client trusts ("" = the system
// store), which host it dials, and the reason the error must give.
struct verify_case {
  const char* name;
  const char* server_cert;
  const char* trusted_ca;
  const char* host;
  const char* reason;
};

class TlsVerifyFailureTest : public TlsClientTest,
                             public ::testing::WithParamInterface<verify_case> {};

TEST_P(TlsVerifyFailureTest, FailsWithTheReason) {
  const verify_case& c = GetParam();
  start(c.server_cert, c.trusted_ca);
  expect_verify_failure(get(c.host), c.reason);
}

INSTANTIATE_TEST_SUITE_P(
    Certificates, TlsVerifyFailureTest,
    ::testing::Values(
        verify_case{"UnknownCa", "localhost", "other-ca.pem", "127.0.0.1",
                    "unable to get local issuer certificate"},
        verify_case{"SystemStoreDoesNotTrustTheTestCa", "localhost", "", "127.0.0.1",
                    "unable to get local issuer certificate"},
        verify_case{"AnotherAddress", "wrong", "ca.pem", "127.0.0.1", "IP address mismatch"},
        verify_case{"AnotherHostName", "wrong", "ca.pem", "localhost", "hostname mismatch"}),
    [](const ::testing::TestParamInfo<verify_case>& param) {
      return std::string(param.param.name);
    });

TEST(TlsContextTest, MissingCaFileIsAnError) {
  auto tls = make_client_tls_context({.ca_file = "/nonexistent/warroom-ca.pem"});
  ASSERT_FALSE(tls);
  EXPECT_EQ(tls.error().code, client_errc::tls_failed);
  EXPECT_NE(tls.error().message.find("/nonexistent/warroom-ca.pem"), std::string::npos);
}

}  // namespace
}  // namespace warroom::net
