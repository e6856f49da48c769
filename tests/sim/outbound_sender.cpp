#include "outbound_sender.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

namespace warroom::sim {
namespace asio = boost::asio;
namespace {

constexpr auto as_tuple_awaitable = asio::as_tuple(asio::use_awaitable);

/// PagerDuty retries timeouts, connection failures, 429 and 5xx; other answers are final.
bool worth_retrying(const api::http_reply& reply) {
  return reply.status == 0 || reply.status == 429 || reply.status >= 500;
}

}  // namespace

outbound_sender::outbound_sender(asio::any_io_executor executor, net::http_client& client,
                                 sender_options options)
    : executor_(std::move(executor)), client_(client), options_(options) {}

void outbound_sender::submit(std::string service, outbound out, reply_handler on_done) {
  const auto& c = out.correlation;
  // One queue per (destination, incident) keeps PagerDuty's per-incident ordering; other
  // deliveries get a queue of their own and run concurrently.
  const std::string key =
      out.purpose == "webhook"
          ? out.call.origin + out.call.target + "#" +
                (c.is_object() ? c.value("incident_id", std::string()) : std::string())
          : "once#" + std::to_string(records_.size());
  records_.push_back(record{service, out.purpose, out.call.origin + out.call.target,
                            out.correlation, out.call.body});
  ++pending_;
  auto& queue = queues_[key];
  queue.push_back(
      item{std::move(service), std::move(out), std::move(on_done), records_.size() - 1});
  if (!running_.insert(key).second) return;  // the running queue picks it up in order
  asio::co_spawn(executor_, run_queue(key), [](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      spdlog::error("outbound delivery failed: {}", ex.what());
    }
  });
}

asio::awaitable<void> outbound_sender::run_queue(std::string key) {
  // A reply handler may submit to this very key; `running_` (not the queue size) tells submit()
  // that this loop will pick it up.
  for (auto* queue = &queues_[key]; !queue->empty(); queue = &queues_[key]) {
    api::http_reply reply;  // status 0: not delivered
    if (stopping_) {
      records_[queue->front().record].outcome = "abandoned";  // shutting down: not sent at all
    } else {
      reply = co_await deliver(queue->front());
    }
    auto done = std::move(queues_[key].front());
    queues_[key].pop_front();
    --pending_;
    if (done.on_done) done.on_done(done.out, reply);
  }
  queues_.erase(key);
  running_.erase(key);
}

asio::awaitable<api::http_reply> outbound_sender::deliver(item& it) {
  const bool retry = it.out.purpose == "webhook";
  api::http_reply last;
  for (int attempt = 1;; ++attempt) {
    records_[it.record].attempts = attempt;
    auto sent = co_await client_.send(it.out.call);
    if (sent) {
      last = std::move(*sent);
      records_[it.record].statuses.push_back(last.status);
    } else {
      last = api::http_reply{};
      records_[it.record].statuses.push_back(sent.error().code);
    }
    const bool again = retry && worth_retrying(last) && attempt < options_.max_attempts;
    if (!again || !co_await backoff(attempt)) break;
  }
  auto& rec = records_[it.record];
  rec.outcome = last.status >= 200 && last.status < 300    ? "delivered"
                : last.status == 0 || worth_retrying(last) ? "failed"
                                                           : "dropped";
  co_return last;
}

asio::awaitable<bool> outbound_sender::backoff(int attempt) {
  if (stopping_) co_return false;
  auto delay = options_.retry_base * (1LL << std::min(attempt - 1, 20));
  asio::steady_timer timer(executor_,
                           std::min<std::chrono::milliseconds>(delay, options_.retry_cap));
  const auto it = waits_.insert(waits_.end(), &timer);
  co_await timer.async_wait(as_tuple_awaitable);
  waits_.erase(it);
  co_return !stopping_;
}

asio::awaitable<void> outbound_sender::drain(std::chrono::milliseconds grace) {
  stopping_ = true;
  for (auto* t : waits_)
    t->cancel();
  const auto until = std::chrono::steady_clock::now() + grace;
  asio::steady_timer tick(executor_);
  while (pending_ > 0 && std::chrono::steady_clock::now() < until) {
    tick.expires_after(std::chrono::milliseconds(10));
    co_await tick.async_wait(as_tuple_awaitable);
  }
}

nlohmann::json outbound_sender::deliveries_json(std::string_view purpose) const {
  auto list = nlohmann::json::array();
  for (std::size_t i = 0; i < records_.size(); ++i) {
    const auto& r = records_[i];
    if (!purpose.empty() && r.purpose != purpose) continue;
    const auto& c = r.correlation.is_object() ? r.correlation : nlohmann::json::object();
    list.push_back({{"seq", i + 1},
                    {"service", r.service},
                    {"purpose", r.purpose},
                    {"url", r.url},
                    {"webhook_id", c.value("webhook_id", "")},
                    {"event_type", c.value("event_type", "")},
                    {"incident_id", c.value("incident_id", "")},
                    {"attempts", r.attempts},
                    {"statuses", r.statuses},
                    {"outcome", r.outcome},
                    {"body", r.body}});
  }
  return {{"deliveries", std::move(list)}};
}

}  // namespace warroom::sim
