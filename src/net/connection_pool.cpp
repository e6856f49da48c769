#include <algorithm>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <warroom/net/connection_pool.hpp>

#include "use_tuple.hpp"

namespace warroom::net {
namespace asio = boost::asio;

connection_pool::slot::slot(connection_pool* owner, std::unique_ptr<client_connection> connection)
    : pool(owner), conn(std::move(connection)) {}

connection_pool::slot::slot(slot&& other) noexcept
    : pool(std::exchange(other.pool, nullptr)), conn(std::move(other.conn)) {}

connection_pool::slot::~slot() {
  if (pool == nullptr) return;
  conn.reset();
  pool->free_slot();
}

connection_pool::waiter::~waiter() {
  if (granted) return;  // a grant already took it off the queue
  std::erase(pool->waiters_, this);
  pool->publish();
}

connection_pool::connection_pool(asio::any_io_executor executor, util::url origin,
                                 client_options options, asio::ssl::context* tls)
    : executor_(std::move(executor)),
      origin_(std::move(origin)),
      options_(std::move(options)),
      tls_(tls),
      eviction_timer_(executor_) {
  options_.max_connections_per_host = std::max<std::size_t>(options_.max_connections_per_host, 1);
}

connection_pool::~connection_pool() {
  alive_.reset();
  idle_.clear();
}

asio::awaitable<result<api::http_reply>> connection_pool::send(api::http_call call) {
  const auto deadline = client_clock::now() + options_.request_timeout;
  const auto request = make_outbound_request(call, origin_, options_.user_agent);
  if (!request) co_return with_origin(request.error());
  const response_limits limits{options_.max_body_bytes, options_.max_header_bytes};
  for (bool replay = false;; replay = true) {
    auto claimed = co_await acquire(deadline);
    if (!claimed) co_return with_origin(std::move(claimed).error());
    slot claim = std::move(*claimed);
    const bool reused = claim.conn->exchanges() > 0;
    if (reused) ++counters_.reused;
    auto reply = co_await claim.conn->exchange(*request, limits, deadline);
    if (reply) {
      if (claim.conn->reusable()) give_back(std::move(claim));
      co_return std::move(*reply);
    }
    // The server closed a kept-alive connection just as we reused it and saw nothing of the
    // request: safe to replay once, but only when doing the call twice would do no harm.
    const bool replayable = reply.error().stale && reused && !replay && call.idempotent();
    if (!replayable) co_return with_origin(std::move(reply).error().err);
    ++counters_.retried;
  }
}

asio::awaitable<result<connection_pool::slot>> connection_pool::acquire(
    client_clock::time_point deadline) {
  if (auto conn = take_idle()) co_return slot(this, std::move(conn));
  if (waiters_.empty() && open_ < options_.max_connections_per_host) {
    ++open_;
    publish();
    co_return co_await connect(slot(this, nullptr), deadline);
  }
  waiter queued{this, asio::steady_timer(executor_, deadline), std::nullopt};
  waiters_.push_back(&queued);
  publish();
  // Woken early by a grant (the timer is cancelled), or at the deadline.
  co_await queued.timer.async_wait(use_tuple);
  if (!queued.granted || client_clock::now() >= deadline) {
    // A grant that lands after the deadline goes back to the pool, not to a doomed request.
    if (queued.granted && queued.granted->conn) give_back(std::move(*queued.granted));
    co_return make_error(client_errc::timeout, "no connection became free within the timeout");
  }
  slot claim = std::move(*queued.granted);
  if (claim.conn) co_return std::move(claim);
  co_return co_await connect(std::move(claim), deadline);
}

asio::awaitable<result<connection_pool::slot>> connection_pool::connect(
    slot claim, client_clock::time_point deadline) {
  auto conn = co_await client_connection::open(executor_, origin_, tls_, deadline);
  if (!conn) co_return std::move(conn).error();  // the claim's destructor frees the slot
  ++counters_.opened;
  claim.conn = std::move(*conn);
  co_return std::move(claim);
}

std::unique_ptr<client_connection> connection_pool::take_idle() {
  while (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    if (conn->still_open()) {
      publish();
      return conn;
    }
    conn.reset();  // closed by the server while idle: not worth a failed request
    free_slot();
  }
  return nullptr;
}

void connection_pool::give_back(slot&& claim) {
  claim.pool = nullptr;  // the slot stays taken: it passes to a waiter or to the idle list
  if (!waiters_.empty()) {
    hand_to_next_waiter(std::move(claim.conn));
    return;
  }
  claim.conn->mark_idle(client_clock::now());
  idle_.push_back(std::move(claim.conn));
  arm_eviction();
  publish();
}

void connection_pool::free_slot() {
  if (!waiters_.empty()) {
    hand_to_next_waiter(nullptr);  // the waiter opens a connection in the freed slot
    return;
  }
  --open_;
  publish();
}

void connection_pool::hand_to_next_waiter(std::unique_ptr<client_connection> conn) {
  waiter* next = waiters_.front();
  waiters_.pop_front();
  next->granted.emplace(this, std::move(conn));
  next->timer.cancel();
  publish();
}

void connection_pool::arm_eviction() {
  if (eviction_armed_ || idle_.empty()) return;
  eviction_armed_ = true;
  eviction_timer_.expires_at(idle_.front()->idle_since() + options_.idle_timeout);
  eviction_timer_.async_wait(
      [this, alive = std::weak_ptr<char>(alive_)](boost::system::error_code) {
        if (alive.expired()) return;  // the pool is gone; `this` must not be touched
        eviction_armed_ = false;
        evict_expired();
        arm_eviction();
      });
}

void connection_pool::evict_expired() {
  const auto now = client_clock::now();
  while (!idle_.empty() && idle_.front()->idle_since() + options_.idle_timeout <= now) {
    idle_.pop_front();
    ++counters_.evicted;
    free_slot();
  }
}

void connection_pool::close_idle() {
  while (!idle_.empty()) {
    idle_.pop_front();
    free_slot();
  }
  eviction_timer_.cancel();
}

error connection_pool::with_origin(error err) const {
  err.message = origin_.origin() + ": " + err.message;
  return err;
}

void connection_pool::publish() {
  counters_.open = open_;
  counters_.idle = idle_.size();
  counters_.in_use = open_ - idle_.size();
  counters_.waiting = waiters_.size();
}

pool_stats connection_pool::stats() const {
  pool_stats out;
  out.opened = counters_.opened;
  out.reused = counters_.reused;
  out.retried = counters_.retried;
  out.evicted = counters_.evicted;
  out.open = counters_.open;
  out.in_use = counters_.in_use;
  out.idle = counters_.idle;
  out.waiting = counters_.waiting;
  return out;
}

}  // namespace warroom::net
