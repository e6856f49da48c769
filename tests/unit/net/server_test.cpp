#include <atomic>
#include <future>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <warroom/net/server.hpp>

#include "support/raw_client.hpp"
#include "unit/net/server_fixture.hpp"

namespace warroom::net {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using test::raw_client;
using test::status_of;

class ServerTest : public testing::server_fixture {
 protected:
  std::string exchange(std::string_view bytes) {
    raw_client client(port_);
    EXPECT_TRUE(client.connected());
    client.send(bytes);
    return client.read_response();
  }
};

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds deadline = 5s) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    if (pred()) return true;
    std::this_thread::yield();
  }
  return pred();
}

TEST_F(ServerTest, AnswersHealthz) {
  start();
  const auto res = exchange("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(status_of(res), 200u);
  EXPECT_NE(res.find(R"({"status":"ok"})"), std::string::npos);
}

TEST_F(ServerTest, KeepAliveReusesTheConnection) {
  start();
  raw_client client(port_);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"));
    const auto res = client.read_response();
    EXPECT_EQ(status_of(res), 200u) << res;
    EXPECT_TRUE(res.ends_with("3"));
  }
  EXPECT_FALSE(client.closed());
  EXPECT_EQ(handled_.load(), 3);
  EXPECT_EQ(server_->open_connections(), 1u);
}

TEST_F(ServerTest, UnknownRouteIs404AndClosed) {
  start();
  raw_client client(port_);
  client.send("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto res = client.read_response();
  EXPECT_EQ(status_of(res), 404u);
  EXPECT_NE(res.find(R"("error":"not_found")"), std::string::npos);
  EXPECT_TRUE(client.wait_closed());
}

TEST_F(ServerTest, WrongMethodIs405WithAllow) {
  start();
  const auto res = exchange("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(status_of(res), 405u);
  EXPECT_NE(res.find("Allow: POST"), std::string::npos);
  EXPECT_NE(res.find(R"("error":"method_not_allowed")"), std::string::npos);
}

struct smuggling_case {
  const char* name;
  const char* bytes;
};

class Smuggling : public ServerTest, public ::testing::WithParamInterface<smuggling_case> {};

TEST_P(Smuggling, IsRefusedWith400AndCloseBeforeAnyHandler) {
  start();
  raw_client client(port_);
  client.send(GetParam().bytes);
  const auto res = client.read_response();
  EXPECT_EQ(status_of(res), 400u) << res;
  EXPECT_NE(res.find(R"("error":"bad_request")"), std::string::npos) << res;
  EXPECT_TRUE(client.wait_closed());
  EXPECT_EQ(handled_.load(), 0);
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, Smuggling,
    ::testing::Values(
        smuggling_case{"TransferEncodingGzip",
                       "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"},
        smuggling_case{"TransferEncodingListed",
                       "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                       "3\r\nabc\r\n0\r\n\r\n"},
        smuggling_case{"TransferEncodingAndContentLength",
                       "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                       "Content-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n"},
        smuggling_case{
            "TwoContentLengths",
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n"
            "\r\nabc"},
        smuggling_case{"CommaListedContentLength",
                       "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 3\r\n\r\nabc"},
        smuggling_case{"MissingHost", "POST /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"},
        smuggling_case{"RepeatedHost",
                       "POST /echo HTTP/1.1\r\nHost: x\r\nHost: y\r\nContent-Length: 3\r\n\r\nabc"},
        smuggling_case{"AbsoluteFormTarget",
                       "POST http://x/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"},
        smuggling_case{"GarbageRequestLine", "HELLO\r\n\r\n"}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST_F(ServerTest, OversizedBodyGets413ThatTheClientReceives) {
  server_options options;
  options.max_body_bytes = 1024;
  start(options);
  raw_client client(port_);
  const std::string body(512 * 1024, 'x');
  client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) +
              "\r\n\r\n");
  client.send(body);  // the server answers early and drains, so this does not block forever
  const auto res = client.read_response();
  EXPECT_EQ(status_of(res), 413u) << res.substr(0, 200);
  EXPECT_NE(res.find(R"("error":"payload_too_large")"), std::string::npos);
  EXPECT_EQ(handled_.load(), 0);
}

TEST_F(ServerTest, OversizedChunkedBodyGets413) {
  server_options options;
  options.max_body_bytes = 1024;
  start(options);
  raw_client client(port_);
  std::string request = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 4; ++i)
    request += "400\r\n" + std::string(1024, 'y') + "\r\n";
  request += "0\r\n\r\n";
  client.send(request);
  EXPECT_EQ(status_of(client.read_response()), 413u);
  EXPECT_EQ(handled_.load(), 0);
}

// A body that came with its headers is parsed from the read buffer; whatever follows it there is
// the next request, answered in turn.
TEST_F(ServerTest, PipelinedRequestsInOneWriteAreAnsweredInOrder) {
  start();
  raw_client client(port_);
  ASSERT_TRUE(client.send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
      "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"));
  for (const char* size : {"3", "5", "2"}) {
    const auto res = client.read_response();
    EXPECT_EQ(status_of(res), 200u) << res;
    EXPECT_TRUE(res.ends_with(size)) << res;
  }
  EXPECT_EQ(handled_.load(), 3);
}

// A body only partly in the buffer is read on from the socket.
TEST_F(ServerTest, TheRestOfABodyIsReadFromTheSocket) {
  start();
  raw_client client(port_);
  ASSERT_TRUE(client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabcd"));
  ASSERT_TRUE(eventually([&] { return server_->open_connections() == 1u; }));
  ASSERT_TRUE(client.send("efghij"));
  const auto res = client.read_response();
  EXPECT_EQ(status_of(res), 200u) << res;
  EXPECT_TRUE(res.ends_with("10")) << res;
}

TEST_F(ServerTest, MalformedChunkedBodyWithItsHeadersGets400) {
  start();
  const auto res =
      exchange("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n");
  EXPECT_EQ(status_of(res), 400u) << res;
  EXPECT_EQ(handled_.load(), 0);
}

TEST_F(ServerTest, OversizedHeadersGet431) {
  start();
  const auto res =
      exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'h') + "\r\n\r\n");
  EXPECT_EQ(status_of(res), 431u);
}

// Header fields live in a per-request arena of the session (2 KiB); more spill to the heap.
TEST_F(ServerTest, HeadersPastTheArenaAndAcrossRequestsArriveWhole) {
  start();
  raw_client client(port_);
  for (int pads : {0, 60, 3}) {  // the second request's fields are about 4 KiB
    std::string request = "GET /tag HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < pads; ++i)
      request += "X-Pad: " + std::string(60, static_cast<char>('a' + i % 26)) + "\r\n";
    const std::string tag = "tag-" + std::to_string(pads);
    request += "X-Tag: " + tag + "\r\n\r\n";
    ASSERT_TRUE(client.send(request));
    const auto res = client.read_response();
    EXPECT_EQ(status_of(res), 200u) << res;
    EXPECT_TRUE(res.ends_with(tag + " " + std::to_string(pads))) << res;
  }
}

TEST_F(ServerTest, ExpectContinueIsHonoured) {
  start();
  raw_client client(port_);
  client.send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(status_of(client.read_response()), 100u);
  client.send("hello");
  const auto res = client.read_response();
  EXPECT_EQ(status_of(res), 200u);
  EXPECT_TRUE(res.ends_with("5"));
}

TEST_F(ServerTest, SlowClientIsCutOffWhileOthersAreServed) {
  server_options options;
  options.read_timeout = 300ms;
  start(options);
  raw_client slow(port_);
  ASSERT_TRUE(slow.send("POST /echo HTTP/1.1\r\nHost: x\r\n"));
  // The trickling client holds its connection; a normal client is still served meanwhile.
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(status_of(exchange("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")), 200u);
    slow.send("X-Trickle: 1\r\n");
  }
  EXPECT_TRUE(slow.wait_closed(5s));
  EXPECT_EQ(handled_.load(), 0);
}

// Connection accounting and shutdown, with every connection on the event loop and with
// connections spread over a second loop (the first connection goes to the second loop, the next
// to the event loop, and so on).
class ServerLoopsTest : public ServerTest, public ::testing::WithParamInterface<std::size_t> {
 protected:
  ServerLoopsTest() { extra_loops_ = GetParam(); }
};

TEST_P(ServerLoopsTest, ConnectionCapCountsEveryLoopAndRefusesWith503) {
  server_options options;
  options.max_connections = 2;
  start(options);
  raw_client a(port_);
  raw_client b(port_);
  ASSERT_TRUE(eventually([&] { return server_->open_connections() == 2; }));
  raw_client c(port_);
  const auto res = c.read_response();
  EXPECT_EQ(status_of(res), 503u);
  for (raw_client* client : {&a, &b}) {
    client->send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(status_of(client->read_response()), 200u);
  }
}

TEST_P(ServerLoopsTest, GracefulShutdownClosesIdleConnectionsAndFinishesTheRequestInFlight) {
  start();
  raw_client busy(port_);  // its handler runs on the event loop, wherever the connection is
  raw_client idle(port_);
  raw_client other(port_);  // on the same loop as `busy`
  busy.send("POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
  ASSERT_TRUE(eventually([&] { return in_flight_.load(); }));
  ASSERT_TRUE(eventually([&] { return server_->open_connections() == 3; }));

  stopped_ = true;
  auto done = asio::co_spawn(io_, server_->shutdown(5s), asio::use_future);
  EXPECT_TRUE(idle.wait_closed());  // idle keep-alive connections are closed at once
  EXPECT_TRUE(other.wait_closed());
  EXPECT_EQ(done.wait_for(50ms), std::future_status::timeout);  // still waiting for /slow

  asio::post(io_, [this] { release_.cancel(); });
  const auto res = busy.read_response();
  EXPECT_EQ(status_of(res), 200u);
  EXPECT_NE(res.find("Connection: close"), std::string::npos);
  EXPECT_EQ(done.wait_for(5s), std::future_status::ready);
  EXPECT_TRUE(eventually([&] { return server_->open_connections() == 0; }));
  raw_client late(port_);
  EXPECT_FALSE(late.connected() && late.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n") &&
               status_of(late.read_response(500ms)) == 200u);
}

TEST_P(ServerLoopsTest, ShutdownGraceBoundsAStuckRequest) {
  start();
  raw_client busy(port_);
  busy.send("POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
  ASSERT_TRUE(eventually([&] { return in_flight_.load(); }));
  stop(100ms);
  EXPECT_TRUE(busy.wait_closed());
  asio::post(io_, [this] { release_.cancel(); });
}

INSTANTIATE_TEST_SUITE_P(EventLoopOnlyAndTwoLoops, ServerLoopsTest, ::testing::Values(0u, 1u),
                         [](const auto& param_info) {
                           return param_info.param == 0 ? std::string("EventLoopOnly")
                                                        : std::string("TwoLoops");
                         });

// Connections spread over the event loop and a second loop: the first connection goes to the
// second loop, the next to the event loop, and so on.
class ServerOnTwoLoopsTest : public ServerTest {
 protected:
  ServerOnTwoLoopsTest() { extra_loops_ = 1; }
};

TEST_F(ServerOnTwoLoopsTest, EventLoopRoutesRunThereAndOthersWhereTheConnectionIs) {
  start();
  raw_client elsewhere(port_);  // the second loop's
  raw_client home(port_);       // the event loop's
  for (raw_client* client : {&elsewhere, &home}) {
    client->send("GET /where/main HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto r = client->read_response();
    EXPECT_NE(r.find(R"({"main":true})"), std::string::npos);
  }
  elsewhere.send("GET /where/any HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto there = elsewhere.read_response();
  EXPECT_NE(there.find(R"({"main":false})"), std::string::npos) << there;
  home.send("GET /where/any HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto here = home.read_response();
  EXPECT_NE(here.find(R"({"main":true})"), std::string::npos) << here;
}

TEST_F(ServerOnTwoLoopsTest, ServesBodiesKeepAliveAndPipelinesOnTheSecondLoop) {
  start();
  raw_client client(port_);
  client.send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
  const auto first = client.read_response();
  const auto second = client.read_response();
  EXPECT_EQ(status_of(first), 200u);
  EXPECT_TRUE(first.ends_with("5")) << first;
  EXPECT_TRUE(second.ends_with("2")) << second;
  client.send("GET /where/any HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_NE(client.read_response().find(R"({"main":false})"), std::string::npos);
  EXPECT_EQ(handled_.load(), 2);
}

}  // namespace
}  // namespace warroom::net
