// The server under test on 127.0.0.1:0, its io_context on a thread of its own, with five routes:
// GET /healthz, POST /echo (answers the body size), POST /slow (held until release_ is
// cancelled: the request "in flight" during shutdown), and GET /where/main and /where/any
// (registered to run on the event loop and on any loop; they answer whether they ran on the
// event loop's thread). Plain HTTP unless start() gets a context; with extra_loops_ set before
// start(), connections are also served on that many loops, each on its own thread.
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
#include <warroom/net/serving_loops.hpp>

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
    // Echoes the last X-Tag header and how many X-Pad headers came with it.
    routes.add("GET", "/tag", [](request r) -> asio::awaitable<response> {
      std::size_t pads = 0;
      for (const auto& h : r.headers)
        if (h.name == "X-Pad") ++pads;
      co_return json_response(
          200, std::string(r.header_value("x-tag").value_or("")) + " " + std::to_string(pads));
    });
    routes.add("POST", "/slow", [this](request) -> asio::awaitable<response> {
      ++handled_;
      in_flight_.store(true);
      co_await release_.async_wait(asio::as_tuple(asio::use_awaitable));
      co_return json_response(200, R"({"slow":true})");
    });
    routes.add("GET", "/where/main", [this](request) { return where(); });
    routes.add(
        "GET", "/where/any", [this](request) { return where(); }, runs_on::any_loop);
    server_ = std::make_unique<server>(io_.get_executor(), options, std::move(routes));
    loops_ = std::make_unique<serving_loops>(extra_loops_);
    server_->serve_on(loops_->executors());
    loops_->start();
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
    if (loops_) loops_->stop();
  }

  boost::asio::awaitable<response> where() {
    co_return json_response(200, io_.get_executor().running_in_this_thread() ? R"({"main":true})"
                                                                             : R"({"main":false})");
  }

  void stop(std::chrono::milliseconds grace) {
    stopped_ = true;
    auto done = boost::asio::co_spawn(io_, server_->shutdown(grace), boost::asio::use_future);
    done.wait_for(std::chrono::seconds(10));
  }

  boost::asio::io_context io_;
  boost::asio::steady_timer release_{io_, std::chrono::steady_clock::time_point::max()};
  std::unique_ptr<server> server_;
  std::size_t extra_loops_ = 0;
  std::unique_ptr<serving_loops> loops_;  // after server_: destroyed before it
  std::thread thread_;
  std::uint16_t port_ = 0;
  std::atomic<int> handled_{0};
  std::atomic<bool> in_flight_{false};
  bool stopped_ = false;
};

}  // namespace warroom::net::testing
