// outbound_sender: sends what the fakes put in their outboxes (PagerDuty webhooks, Mattermost
// button callbacks) with the project's HTTP client, and keeps a record of every delivery for
// GET /webhooks. Webhooks are retried the way PagerDuty retries them (NOTES §1.6): on a timeout
// or connection failure, 429 and 5xx, with exponential backoff, up to max_attempts; any other
// 4xx drops the webhook. Deliveries that share an ordering key (subscriber and incident) go out
// strictly one after another, so a webhook being retried holds back the later ones of its
// incident. Other purposes are sent once.
//
// Owned by the simulator; runs on its one-threaded io_context. Must outlive its deliveries:
// co_await drain() before destroying it.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <set>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include <warroom/net/http_client.hpp>

#include "service.hpp"

namespace warroom::sim {

struct sender_options {
  int max_attempts = 5;
  std::chrono::milliseconds retry_base{250};  // delay before attempt n+1: base * 2^(n-1)
  std::chrono::milliseconds retry_cap{10000};
};

class outbound_sender {
 public:
  /// Called once per delivery with the final answer (status 0 when nothing was answered).
  using reply_handler = std::function<void(const outbound&, const api::http_reply&)>;

  outbound_sender(boost::asio::any_io_executor executor, net::http_client& client,
                  sender_options options);
  outbound_sender(const outbound_sender&) = delete;
  outbound_sender& operator=(const outbound_sender&) = delete;

  /// Queues one delivery from `service` and starts its queue when idle.
  void submit(std::string service, outbound out, reply_handler on_done);

  /// {"deliveries": [{seq, service, purpose, url, webhook_id, event_type, incident_id,
  /// attempts, statuses, outcome, body}]}; outcome is pending, delivered, dropped (a final 4xx),
  /// failed (retries exhausted) or abandoned (queued at shutdown, never sent).
  nlohmann::json deliveries_json(std::string_view purpose = {}) const;
  /// Deliveries not yet finished.
  std::size_t pending() const { return pending_; }

  /// Stops retrying (pending retries fail now, queued deliveries are abandoned) and waits, up to
  /// `grace`, for sends in flight.
  boost::asio::awaitable<void> drain(std::chrono::milliseconds grace);

 private:
  struct item {
    std::string service;
    outbound out;
    reply_handler on_done;
    std::size_t record = 0;  // index into records_
  };
  struct record {
    std::string service, purpose, url;
    nlohmann::json correlation;
    std::string body;
    int attempts = 0;
    nlohmann::json statuses = nlohmann::json::array();  // per attempt: status or error word
    std::string outcome = "pending";
  };

  boost::asio::awaitable<void> run_queue(std::string key);
  boost::asio::awaitable<api::http_reply> deliver(item& it);
  boost::asio::awaitable<bool> backoff(int attempt);

  boost::asio::any_io_executor executor_;
  net::http_client& client_;
  sender_options options_;
  std::map<std::string, std::deque<item>> queues_;
  std::set<std::string> running_;  // keys whose run_queue is active
  std::deque<record> records_;
  std::list<boost::asio::steady_timer*> waits_;  // backoff timers, cancelled by drain()
  std::size_t pending_ = 0;
  bool stopping_ = false;
};

}  // namespace warroom::sim
