// Helpers for the simulator's tests: a blocking HTTP exchange over support/raw_client, a webhook
// receiver (a net::server on its own thread that records what it is sent and answers scripted
// statuses), and a simulator running on a background thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include <warroom/net/server.hpp>

#include "simulator.hpp"
#include "support/raw_client.hpp"

namespace warroom::sim::testing {

struct http_answer {
  unsigned status = 0;  // 0: no answer (connection closed or timed out)
  std::string head;
  std::string body;

  /// Case-insensitive lookup in the raw head.
  std::optional<std::string> header(std::string_view name) const {
    std::size_t pos = head.find("\r\n");
    while (pos != std::string::npos && pos + 2 < head.size()) {
      const auto end = head.find("\r\n", pos + 2);
      const auto line = head.substr(pos + 2, end - pos - 2);
      const auto colon = line.find(':');
      if (colon != std::string::npos && api::header_name_equal(line.substr(0, colon), name))
        return line.substr(line.find_first_not_of(' ', colon + 1));
      pos = end;
    }
    return std::nullopt;
  }
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

inline http_answer parse_answer(const std::string& raw) {
  http_answer a;
  a.status = test::status_of(raw);
  const auto end = raw.find("\r\n\r\n");
  if (end == std::string::npos) return a;
  a.head = raw.substr(0, end);
  a.body = raw.substr(end + 4);
  return a;
}

/// One keep-alive connection to 127.0.0.1:port.
class http_connection {
 public:
  explicit http_connection(std::uint16_t port) : client_(port) {}

  http_answer send(const std::string& method, const std::string& target,
                   const std::vector<api::header>& headers = {}, const std::string& body = "") {
    std::string text = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const auto& h : headers)
      text += h.name + ": " + h.value + "\r\n";
    text += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    if (!client_.send(text)) return {};
    return parse_answer(client_.read_response(std::chrono::seconds(10)));
  }
  bool closed() const { return client_.closed(); }

 private:
  test::raw_client client_;
};

inline http_answer http(std::uint16_t port, const std::string& method, const std::string& target,
                        const std::string& body = "",
                        const std::vector<api::header>& headers = {}) {
  http_connection c(port);
  return c.send(method, target, headers, body);
}

/// Records every request it gets. Answers come from `script` (then 202) for the requests
/// `scripted` selects (all by default), 202 for the others.
class webhook_receiver {
 public:
  using selector = std::function<bool(const net::request&)>;

  explicit webhook_receiver(std::deque<unsigned> script = {}, selector scripted = {})
      : script_(std::move(script)), scripted_(std::move(scripted)) {
    net::router routes;
    routes.add("POST", "/*", [this](net::request req) -> boost::asio::awaitable<net::response> {
      std::lock_guard lock(mutex_);
      unsigned status = 202;
      if ((!scripted_ || scripted_(req)) && !script_.empty()) {
        status = script_.front();
        script_.pop_front();
      }
      received_.push_back(std::move(req));
      changed_.notify_all();
      co_return net::json_response(status, "{}");
    });
    server_ =
        std::make_unique<net::server>(io_.get_executor(), net::server_options{}, std::move(routes));
    port_ = server_->listen("127.0.0.1", 0)->port();
    server_->start();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~webhook_receiver() {
    boost::asio::post(io_, [this] {
      boost::asio::co_spawn(io_, server_->shutdown(std::chrono::milliseconds(100)),
                            boost::asio::detached);
    });
    thread_.join();
  }

  std::uint16_t port() const { return port_; }
  std::string url(const std::string& path = "/webhooks/pagerduty") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  /// Waits until at least `n` requests arrived; returns a copy of all of them.
  std::vector<net::request> wait_for(
      std::size_t n, std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, deadline, [&] { return received_.size() >= n; });
    return received_;
  }
  std::vector<net::request> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  boost::asio::io_context io_;
  std::unique_ptr<net::server> server_;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<net::request> received_;
  std::deque<unsigned> script_;
  selector scripted_;
};

/// A simulator serving on a background thread; tests talk to it over HTTP only.
class running_simulator {
 public:
  running_simulator(simulator_options options, std::vector<std::unique_ptr<service>> services)
      : sim_(io_.get_executor(), std::move(options), std::move(services)) {
    if (auto started = sim_.start(); !started) throw std::runtime_error(started.error().message);
    for (const auto& [name, port] : sim_.listeners())
      ports_[name] = port;
    thread_ = std::thread([this] { io_.run(); });
  }
  ~running_simulator() {
    boost::asio::post(io_, [this] {
      boost::asio::co_spawn(io_, sim_.shutdown(std::chrono::milliseconds(100)),
                            boost::asio::detached);
    });
    thread_.join();
  }

  std::uint16_t port(const std::string& name) const { return ports_.at(name); }

 private:
  boost::asio::io_context io_;
  simulator sim_;
  std::map<std::string, std::uint16_t> ports_;
  std::thread thread_;
};

}  // namespace warroom::sim::testing
