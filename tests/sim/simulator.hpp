// simulator: the warroom-sim process minus its CLI. Serves each fake service on its own loopback
// listener (one port per service) and the control API on another; every fake request is
// journaled, passed through the fault table, then answered by the fake; after every request and
// control call the fakes' outboxes are handed to the outbound sender.
//
// Owned by main (or a test). Runs on one single-threaded io_context; no member may be called
// from another thread. Before destroying it, co_await shutdown() and let the io_context finish.
#pragma once

#include <chrono>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <warroom/net/http_client.hpp>
#include <warroom/net/server.hpp>
#include <warroom/util/result.hpp>

#include "faults.hpp"
#include "journal.hpp"
#include "outbound_sender.hpp"
#include "service.hpp"

namespace warroom::sim {

struct simulator_options {
  std::string host = "127.0.0.1";
  /// Port per listener name (a service's name, or "control"); absent or 0 picks a free port.
  std::map<std::string, std::uint16_t> ports;
  sender_options sender;
  std::chrono::milliseconds outbound_timeout{5000};  // PagerDuty waits 5 s for a subscriber
  std::uint64_t random_seed = 0;                     // fault draws; 0 = from std::random_device
};

/// Thrown from a fake's request handler to drop the connection without an answer (an injected
/// reset): the shared server closes the session when its handler throws.
struct connection_reset_fault : std::runtime_error {
  connection_reset_fault() : std::runtime_error("injected fault: connection dropped unanswered") {}
};

class simulator {
 public:
  simulator(boost::asio::any_io_executor executor, simulator_options options,
            std::vector<std::unique_ptr<service>> services);
  ~simulator();
  simulator(const simulator&) = delete;
  simulator& operator=(const simulator&) = delete;

  /// Binds and starts every listener; the error names the listener that could not bind.
  result<void> start();
  /// (name, port) for each service in construction order, then "control".
  std::vector<std::pair<std::string, std::uint16_t>> listeners() const { return bound_; }
  /// Stops the listeners, then stops retrying and waits for deliveries in flight.
  boost::asio::awaitable<void> shutdown(std::chrono::milliseconds grace);

  service* find(std::string_view name);
  const std::vector<std::unique_ptr<service>>& services() const { return services_; }
  journal& requests() { return journal_; }
  fault_table& faults() { return faults_; }
  outbound_sender& sender() { return sender_; }
  /// Hands every fake's outbox to the sender.
  void flush();
  static std::int64_t now_ms();

  /// Requests kept unanswered by a `hold` fault rule: {"held": [{"service", "path"}...]}.
  nlohmann::json holds_json() const;
  /// Answers the held requests of `service` ("" = all) whose path starts with `prefix`; returns
  /// how many.
  std::size_t release(std::string_view service, std::string_view prefix);

 private:
  boost::asio::awaitable<net::response> serve(service& svc, net::request req);
  boost::asio::awaitable<void> hold(std::string service, std::string path);

  struct held_request {
    std::string service;
    std::string path;
    boost::asio::steady_timer* wake;
  };

  boost::asio::any_io_executor executor_;
  simulator_options options_;
  std::vector<std::unique_ptr<service>> services_;
  journal journal_;
  fault_table faults_;
  std::mt19937_64 random_;
  net::http_client client_;
  outbound_sender sender_;
  std::vector<std::unique_ptr<net::server>> servers_;
  std::vector<std::pair<std::string, std::uint16_t>> bound_;
  std::list<held_request> held_;
};

}  // namespace warroom::sim
