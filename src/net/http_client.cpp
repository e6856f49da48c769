#include <spdlog/spdlog.h>

#include <warroom/net/http_client.hpp>
#include <warroom/util/url.hpp>

namespace warroom::net {
namespace asio = boost::asio;

http_client::http_client(asio::any_io_executor executor, client_options options,
                         asio::ssl::context tls)
    : executor_(std::move(executor)), options_(std::move(options)), tls_(std::move(tls)) {}

asio::awaitable<result<api::http_reply>> http_client::send(api::http_call call) {
  auto origin = util::parse_url(call.origin);
  if (!origin || !origin->path.empty())
    co_return make_error(client_errc::bad_request, "invalid origin '" + call.origin + "'");
  const auto method = api::to_string(call.method);
  auto reply = co_await pool_for(*origin).send(std::move(call));
  // Only the method and the error: the target may carry ids, the headers credentials.
  if (!reply)
    spdlog::debug("outbound {} failed: {} {}", method, reply.error().code, reply.error().message);
  co_return reply;
}

connection_pool& http_client::pool_for(const util::url& origin) {
  const std::string key = origin.origin();
  std::lock_guard lock(pools_mutex_);
  auto& pool = pools_[key];
  if (!pool) pool = std::make_unique<connection_pool>(executor_, origin, options_, &tls_);
  return *pool;
}

void http_client::close_idle() {
  std::lock_guard lock(pools_mutex_);
  for (auto& [origin, pool] : pools_)
    pool->close_idle();
}

pool_stats http_client::stats() const {
  pool_stats total;
  std::lock_guard lock(pools_mutex_);
  for (const auto& [origin, pool] : pools_)
    total += pool->stats();
  return total;
}

std::vector<std::pair<std::string, pool_stats>> http_client::stats_by_origin() const {
  std::vector<std::pair<std::string, pool_stats>> out;
  std::lock_guard lock(pools_mutex_);
  for (const auto& [origin, pool] : pools_)
    out.emplace_back(origin, pool->stats());
  return out;
}

}  // namespace warroom::net
