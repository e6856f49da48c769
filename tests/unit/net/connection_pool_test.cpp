// connection_pool / http_client against a fake upstream on 127.0.0.1:0: keep-alive reuse, the
// per-origin limit, stale-connection replay rules, idle eviction, deadlines and limits.
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <gtest/gtest.h>

#include <warroom/net/http_client.hpp>

#include "unit/net/client_test_support.hpp"
#include "unit/net/fake_upstream.hpp"

namespace warroom::net {
namespace {

using namespace std::chrono_literals;
using api::http_method;
using testing::fake_upstream;
using testing::fake_upstream_options;
using testing::make_call;
using testing::upstream_mode;

class ConnectionPoolTest : public ::testing::Test {
 protected:
  void start(fake_upstream_options upstream = {}, client_options options = {}) {
    upstream_ = std::make_unique<fake_upstream>(std::move(upstream));
    client_ = std::make_unique<http_client>(
        ioc_.get_executor(), std::move(options),
        boost::asio::ssl::context(boost::asio::ssl::context::tls_client));
  }

  result<api::http_reply> send(http_method method = http_method::get) {
    return testing::send_now(ioc_, *client_, make_call(method, upstream_->origin()));
  }

  // Starts `count` calls at once and drives them all to completion.
  std::vector<testing::reply_slot> send_concurrently(std::size_t count) {
    std::vector<testing::reply_slot> replies(count);
    for (auto& reply : replies)
      testing::spawn_send(ioc_, *client_, make_call(http_method::get, upstream_->origin()), reply);
    const bool done = testing::run_until(ioc_, [&] {
      for (const auto& reply : replies)
        if (!reply) return false;
      return true;
    });
    EXPECT_TRUE(done) << "calls still running at the deadline";
    return replies;
  }

  boost::asio::io_context ioc_;
  std::unique_ptr<fake_upstream> upstream_;
  std::unique_ptr<http_client> client_;
};

TEST_F(ConnectionPoolTest, SequentialCallsReuseOneKeepAliveConnection) {
  start();
  for (int i = 0; i < 1000; ++i) {
    auto reply = send();
    ASSERT_TRUE(reply) << reply.error().message;
    ASSERT_EQ(reply->status, 200u);
    ASSERT_EQ(reply->body, "ok");
  }
  EXPECT_EQ(upstream_->accepted(), 1u);
  const auto stats = client_->stats();
  EXPECT_EQ(stats.opened, 1u);
  EXPECT_EQ(stats.reused, 999u);
  EXPECT_EQ(stats.idle, 1u);
  EXPECT_EQ(stats.in_use, 0u);
}

TEST_F(ConnectionPoolTest, ConcurrentCallsNeverExceedTheLimit) {
  start();
  const auto replies = send_concurrently(200);
  for (const auto& reply : replies) {
    ASSERT_TRUE(reply && *reply) << (reply ? reply->error().message : "unfinished");
    EXPECT_EQ((*reply)->status, 200u);
  }
  EXPECT_LE(upstream_->max_active(), 8u);
  EXPECT_LE(upstream_->accepted(), 8u);
  EXPECT_EQ(upstream_->requests(), 200u);
  const auto stats = client_->stats();
  EXPECT_LE(stats.opened, 8u);
  EXPECT_EQ(stats.waiting, 0u);
  EXPECT_EQ(stats.in_use, 0u);
}

TEST_F(ConnectionPoolTest, SmallLimitQueuesCallsInsteadOfOpeningMore) {
  client_options options;
  options.max_connections_per_host = 2;
  start({}, options);
  const auto replies = send_concurrently(50);
  for (const auto& reply : replies)
    ASSERT_TRUE(reply && *reply);
  EXPECT_LE(upstream_->max_active(), 2u);
  EXPECT_LE(client_->stats().opened, 2u);
}

TEST_F(ConnectionPoolTest, ServerClosingAfterEachResponseStillWorks) {
  start({.mode = upstream_mode::close_after_response});
  for (int i = 0; i < 20; ++i) {
    auto reply = send();
    ASSERT_TRUE(reply) << reply.error().message;
  }
  EXPECT_EQ(upstream_->accepted(), 20u);
  EXPECT_EQ(client_->stats().reused, 0u);
  EXPECT_EQ(client_->stats().open, 0u);
}

TEST_F(ConnectionPoolTest, StaleReusedConnectionIsReplayedOnceForGet) {
  start();
  ASSERT_TRUE(send());
  upstream_->drop_next_requests(1);
  auto reply = send();
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(upstream_->accepted(), 2u);
  EXPECT_EQ(upstream_->requests(), 3u);
  EXPECT_EQ(client_->stats().retried, 1u);
}

TEST_F(ConnectionPoolTest, StaleReusedConnectionIsNotReplayedForPost) {
  start();
  ASSERT_TRUE(send());
  upstream_->drop_next_requests(1);
  auto reply = send(http_method::post);
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, client_errc::connection_closed);
  EXPECT_EQ(upstream_->posts(), 1u);
  EXPECT_EQ(upstream_->accepted(), 1u);
  EXPECT_EQ(client_->stats().retried, 0u);
  // The pool recovers: the next call opens a fresh connection.
  ASSERT_TRUE(send());
  EXPECT_EQ(upstream_->accepted(), 2u);
}

TEST_F(ConnectionPoolTest, ReplayHappensOnlyOnce) {
  start();
  ASSERT_TRUE(send());
  // The first try fails on the kept-alive connection and the replay on a fresh one: a failure on
  // a fresh connection is real, so it comes back instead of a second replay.
  upstream_->drop_next_requests(2);
  auto reply = send();
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, client_errc::connection_closed);
  EXPECT_EQ(upstream_->requests(), 3u);
  EXPECT_EQ(upstream_->accepted(), 2u);
  EXPECT_EQ(client_->stats().retried, 1u);
}

TEST_F(ConnectionPoolTest, ConnectionClosedWhileIdleIsReplaced) {
  start({.mode = upstream_mode::close_silently});
  ASSERT_TRUE(send());
  auto reply = send();
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(upstream_->accepted(), 2u);
}

TEST_F(ConnectionPoolTest, IdleConnectionsAreEvicted) {
  client_options options;
  options.idle_timeout = 50ms;
  start({}, options);
  ASSERT_TRUE(send());
  EXPECT_TRUE(testing::run_until(ioc_, [&] {
    return client_->stats().evicted == 1 && upstream_->active() == 0;
  })) << "the idle connection was not closed";
  EXPECT_EQ(client_->stats().open, 0u);
  ASSERT_TRUE(send());
  EXPECT_EQ(upstream_->accepted(), 2u);
}

TEST_F(ConnectionPoolTest, CloseIdleClosesKeptAliveConnections) {
  start();
  ASSERT_TRUE(send());
  client_->close_idle();
  EXPECT_TRUE(testing::run_until(ioc_, [&] { return upstream_->active() == 0; }));
  EXPECT_EQ(client_->stats().idle, 0u);
}

TEST_F(ConnectionPoolTest, SilentServerTimesOut) {
  client_options options;
  options.request_timeout = 200ms;
  start({.mode = upstream_mode::never_answer}, options);
  auto reply = send();
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, client_errc::timeout);
}

TEST_F(ConnectionPoolTest, QueuedCallTimesOutWhenNoConnectionFrees) {
  client_options options;
  options.request_timeout = 300ms;
  options.max_connections_per_host = 1;
  start({.mode = upstream_mode::never_answer}, options);
  std::vector<testing::reply_slot> replies(2);
  for (auto& reply : replies)
    testing::spawn_send(ioc_, *client_, make_call(http_method::get, upstream_->origin()), reply);
  // The second call queues behind the one connection, which the server never answers.
  EXPECT_TRUE(testing::run_until(
      ioc_, [&] { return client_->stats().waiting == 1 && upstream_->requests() == 1; }));
  EXPECT_EQ(upstream_->accepted(), 1u);
  ASSERT_TRUE(testing::run_until(ioc_, [&] { return replies[0] && replies[1]; }));
  for (const auto& reply : replies) {
    ASSERT_FALSE(*reply);
    EXPECT_EQ(reply->error().code, client_errc::timeout);
  }
  EXPECT_EQ(client_->stats().waiting, 0u);
  EXPECT_EQ(client_->stats().open, 0u);
}

TEST_F(ConnectionPoolTest, OversizedBodyIsRejected) {
  client_options options;
  options.max_body_bytes = 1024;
  start({.body_bytes = 4096}, options);
  auto reply = send();
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, client_errc::bad_response);
  EXPECT_NE(reply.error().message.find("1024"), std::string::npos);
}

TEST_F(ConnectionPoolTest, RefusedConnectIsConnectFailed) {
  start();
  boost::asio::ip::tcp::acceptor probe(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const auto port = probe.local_endpoint().port();
  probe.close();  // nothing listens on this port any more
  auto call = make_call(http_method::get, "http://127.0.0.1:" + std::to_string(port));
  call.headers.push_back({"Authorization", "Bearer sekrit-token"});
  auto reply = testing::send_now(ioc_, *client_, call);
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, client_errc::connect_failed);
  EXPECT_EQ(reply.error().message.find("sekrit"), std::string::npos);
}

TEST_F(ConnectionPoolTest, UnusableCallsAreBadRequests) {
  start();
  auto bad_origin = testing::send_now(ioc_, *client_, make_call(http_method::get, "ftp://x"));
  ASSERT_FALSE(bad_origin);
  EXPECT_EQ(bad_origin.error().code, client_errc::bad_request);

  auto call = make_call(http_method::get, upstream_->origin());
  call.headers.push_back({"Authorization", "Bearer sekrit\r\nX-Injected: 1"});
  auto injected = testing::send_now(ioc_, *client_, call);
  ASSERT_FALSE(injected);
  EXPECT_EQ(injected.error().code, client_errc::bad_request);
  EXPECT_EQ(injected.error().message.find("sekrit"), std::string::npos);
  EXPECT_EQ(upstream_->requests(), 0u);
}

TEST_F(ConnectionPoolTest, EachOriginHasItsOwnPool) {
  start();
  fake_upstream other;
  ASSERT_TRUE(send());
  ASSERT_TRUE(testing::send_now(ioc_, *client_, make_call(http_method::get, other.origin())));
  const auto by_origin = client_->stats_by_origin();
  ASSERT_EQ(by_origin.size(), 2u);
  EXPECT_EQ(by_origin[0].second.opened, 1u);
  EXPECT_EQ(by_origin[1].second.opened, 1u);
  EXPECT_EQ(client_->stats().opened, 2u);
}

}  // namespace
}  // namespace warroom::net
