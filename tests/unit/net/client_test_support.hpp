// Helpers for driving the outbound client from a GoogleTest body: run the client's io_context on
// the test thread until a condition holds (with a deadline), and send calls to completion.
#pragma once

#include <chrono>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <warroom/api/http_call.hpp>
#include <warroom/net/http_client.hpp>
#include <warroom/util/result.hpp>

namespace warroom::net::testing {

using reply_slot = std::optional<result<api::http_reply>>;

/// Runs `ioc` until `done()` holds; false when `limit` passes first.
inline bool run_until(boost::asio::io_context& ioc, const std::function<bool()>& done,
                      std::chrono::seconds limit = std::chrono::seconds(30)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  ioc.restart();
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    if (ioc.run_one_for(std::chrono::milliseconds(10)) == 0 && ioc.stopped()) {
      // No client work left: the condition waits on the other thread (the fake upstream).
      ioc.restart();
      std::this_thread::yield();
    }
  }
  return true;
}

/// Rethrows whatever escaped a spawned coroutine, so the test fails loudly.
inline void rethrow(std::exception_ptr e) {
  if (e) std::rethrow_exception(e);
}

inline boost::asio::awaitable<void> send_into(http_client& client, api::http_call call,
                                              reply_slot& out) {
  out.emplace(co_await client.send(std::move(call)));
}

/// Spawns one send on `ioc`; `out` is filled when it completes.
inline void spawn_send(boost::asio::io_context& ioc, http_client& client, api::http_call call,
                       reply_slot& out) {
  boost::asio::co_spawn(ioc, send_into(client, std::move(call), out), rethrow);
}

/// Sends one call and drives it to completion.
inline result<api::http_reply> send_now(boost::asio::io_context& ioc, http_client& client,
                                        api::http_call call) {
  reply_slot out;
  spawn_send(ioc, client, std::move(call), out);
  if (!run_until(ioc, [&] { return out.has_value(); }))
    return make_error("test_timeout", "the call did not complete");
  return std::move(*out);
}

inline api::http_call make_call(api::http_method method, std::string origin,
                                std::string target = "/") {
  api::http_call call;
  call.method = method;
  call.origin = std::move(origin);
  call.target = std::move(target);
  if (method == api::http_method::post) call.body = R"({"x":1})";
  return call;
}

}  // namespace warroom::net::testing
