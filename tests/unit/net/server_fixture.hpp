// The server under test on 127.0.0.1:0, its io_context on a thread of its own, with three routes:
// GET /healthz, POST /echo (answers the body size) and POST /slow (held until release_ is
// cancelled: the request "in flight" during shutdown). Plain HTTP unless start() gets a context.
#pragma once

#include <atomic>
#include <future>
#include <memory>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <warroom/net/server.hpp>

namespace warroom::net::testing {

class server_fixture : public ::testing::Test {
 protected:
  void start(server_options options = {},
             std::shared_ptr<boost::asio::ssl::context> tls = nullptr) {
    namespace asio = boost::asio;
    router routes;
    routes.add("GET", "/healthz", [](request) -> asio::awaitable<response> {
      co_return json_response(200, R"({"status":"ok"})");
    });
    routes.add("POST", "/echo", [this](request r) -> asio::awaitable<response> {
      ++handled_;
      co_return json_response(200, std::to_string(r.body.size()));
    });
    routes.add("POST", "/slow", [this](request) -> asio::awaitable<response> {
      ++handled_;
      in_flight_.store(true);
      co_await release_.async_wait(asio::as_tuple(asio::use_awaitable));
      co_return json_response(200, R"({"slow":true})");
    });
    server_ = std::make_unique<server>(io_.get_executor(), options, std::move(routes));
    server_->use_tls(std::move(tls));
    auto bound = server_->listen("127.0.0.1", 0);
    ASSERT_TRUE(bound.has_value()) << bound.error().message;
    port_ = bound->port();
    server_->start();
    thread_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    if (server_ && !stopped_) stop(std::chrono::milliseconds(100));
    if (thread_.joinable()) thread_.join();
  }

  void stop(std::chrono::milliseconds grace) {
    stopped_ = true;
    auto done = boost::asio::co_spawn(io_, server_->shutdown(grace), boost::asio::use_future);
    done.wait_for(std::chrono::seconds(10));
  }

  boost::asio::io_context io_;
  boost::asio::steady_timer release_{io_, std::chrono::steady_clock::time_point::max()};
  std::unique_ptr<server> server_;
  std::thread thread_;
  std::uint16_t port_ = 0;
  std::atomic<int> handled_{0};
  std::atomic<bool> in_flight_{false};
  bool stopped_ = false;
};

}  // namespace warroom::net::testing
