// connection_pool: the keep-alive connections to one origin (scheme, host, port).
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <warroom/api/http_call.hpp>
#include <warroom/net/client_connection.hpp>
#include <warroom/net/client_options.hpp>
#include <warroom/util/result.hpp>
#include <warroom/util/url.hpp>

namespace warroom::net {

/// Sends calls to one origin over at most `max_connections_per_host` connections. Callers beyond
/// the limit wait in FIFO order; a connection returns to the pool only after a fully read
/// keep-alive response, and is closed after `idle_timeout` without use. A call that finds its
/// reused connection closed by the server before any response byte is replayed once on a fresh
/// connection, and only when it is idempotent.
///
/// Owned by http_client (or a test). Single-threaded: send() and close_idle() run on `executor`,
/// driven by one thread. stats() may be called from any thread. The pool must outlive every
/// send() in flight and be destroyed before its io_context.
class connection_pool {
 public:
  /// `tls` (not owned, must outlive the pool) is required for https origins.
  connection_pool(boost::asio::any_io_executor executor, util::url origin, client_options options,
                  boost::asio::ssl::context* tls);
  ~connection_pool();
  connection_pool(const connection_pool&) = delete;
  connection_pool& operator=(const connection_pool&) = delete;

  /// One request and its whole reply within `request_timeout`. Any HTTP status is a reply; errors
  /// are transport failures (client_errc words).
  boost::asio::awaitable<result<api::http_reply>> send(api::http_call call);

  /// Closes every idle connection now (shutdown, tests). Connections in use are not touched.
  void close_idle();

  pool_stats stats() const;
  const util::url& origin() const { return origin_; }

 private:
  // A claim on one of the origin's connection slots, with its connection once opened. Destroying
  // a claim that still holds its pool closes the connection and frees the slot for a waiter.
  struct slot {
    connection_pool* pool = nullptr;
    std::unique_ptr<client_connection> conn;

    slot(connection_pool* owner, std::unique_ptr<client_connection> connection);
    slot(slot&& other) noexcept;
    slot& operator=(slot&&) = delete;
    ~slot();
  };
  // A send() queued for a slot; the timer wakes it, cancelled on a grant or expired at the
  // deadline.
  struct waiter {
    connection_pool* pool;
    boost::asio::steady_timer timer;
    std::optional<slot> granted;
    ~waiter();
  };

  boost::asio::awaitable<result<slot>> acquire(client_clock::time_point deadline);
  boost::asio::awaitable<result<slot>> connect(slot claim, client_clock::time_point deadline);
  std::unique_ptr<client_connection> take_idle();
  void give_back(slot&& claim);
  void free_slot();
  void hand_to_next_waiter(std::unique_ptr<client_connection> conn);
  error with_origin(error err) const;
  void arm_eviction();
  void evict_expired();
  void publish();

  boost::asio::any_io_executor executor_;
  util::url origin_;
  client_options options_;
  boost::asio::ssl::context* tls_;

  std::size_t open_ = 0;                                 // slots taken: idle + in use + connecting
  std::deque<std::unique_ptr<client_connection>> idle_;  // oldest first; reuse takes the newest
  std::deque<waiter*> waiters_;
  boost::asio::steady_timer eviction_timer_;
  bool eviction_armed_ = false;
  // The eviction handler may run after the pool is gone; it checks this first.
  std::shared_ptr<char> alive_ = std::make_shared<char>();

  struct counters {
    std::atomic<std::uint64_t> opened{0}, reused{0}, retried{0}, evicted{0};
    std::atomic<std::uint64_t> open{0}, in_use{0}, idle{0}, waiting{0};
  } counters_;
};

}  // namespace warroom::net
