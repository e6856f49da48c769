// http_client: the daemon's one outbound HTTP(S) client, shared by the PagerDuty, Mattermost and
// Jira callers.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>

#include <warroom/api/http_call.hpp>
#include <warroom/net/client_options.hpp>
#include <warroom/net/connection_pool.hpp>
#include <warroom/net/tls_context.hpp>
#include <warroom/util/result.hpp>

namespace warroom::net {

/// Routes each call to the connection_pool of its origin (scheme, host, port), creating the pool
/// on first use and keeping it for the client's life; every pool shares the options and the TLS
/// context. Given options for it, the client builds that context at the first https origin (or at
/// prepare_tls()): a daemon whose upstreams all speak plain HTTP never loads OpenSSL's TLS side,
/// about 2.5 MiB of memory and a few milliseconds of start.
///
/// Owned by the runtime. send() and close_idle() run on `executor`, an io_context driven by ONE
/// thread (no strand inside). stats() and stats_by_origin() may be called from any thread. The
/// client must outlive every send() in flight and be destroyed before its io_context.
class http_client {
 public:
  http_client(boost::asio::any_io_executor executor, client_options options,
              boost::asio::ssl::context tls);
  http_client(boost::asio::any_io_executor executor, client_options options,
              tls_client_options tls);
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  /// Sends `call` to `call.origin` and reads the whole reply. Any HTTP status is a reply; errors
  /// are client_errc words (bad_request for an unusable origin). Neither errors nor logs carry
  /// header values.
  boost::asio::awaitable<result<api::http_reply>> send(api::http_call call);

  /// Builds the TLS context now unless it is there: a start-up check when an upstream is https.
  result<void> prepare_tls();

  /// Closes every idle connection of every pool (shutdown).
  void close_idle();

  /// Counters summed over all origins.
  pool_stats stats() const;
  /// Counters per origin ("https://host[:port]"), in origin order.
  std::vector<std::pair<std::string, pool_stats>> stats_by_origin() const;

 private:
  connection_pool& pool_for(const util::url& origin);
  // The context for https origins, built on first use; nullptr when it cannot be. Under
  // pools_mutex_.
  boost::asio::ssl::context* tls_context();

  boost::asio::any_io_executor executor_;
  client_options options_;
  tls_client_options tls_options_;
  std::optional<boost::asio::ssl::context> tls_;
  std::optional<error> tls_failure_;
  // Pools are only added, on the executor thread; the mutex lets stats() walk the map meanwhile.
  mutable std::mutex pools_mutex_;
  std::map<std::string, std::unique_ptr<connection_pool>> pools_;
};

}  // namespace warroom::net
