#include <spdlog/spdlog.h>

#include <warroom/net/http_client.hpp>
#include <warroom/util/url.hpp>

namespace warroom::net {
namespace asio = boost::asio;

http_client::http_client(asio::any_io_executor executor, client_options options,
                         asio::ssl::context tls)
    : executor_(std::move(executor)), options_(std::move(options)), tls_(std::move(tls)) {}

http_client::http_client(asio::any_io_executor executor, client_options options,
                         tls_client_options tls)
    : executor_(std::move(executor)), options_(std::move(options)), tls_options_(std::move(tls)) {}

result<void> http_client::prepare_tls() {
  std::lock_guard lock(pools_mutex_);
  if (tls_context() == nullptr) return *tls_failure_;
  return {};
}

asio::ssl::context* http_client::tls_context() {
  if (!tls_ && !tls_failure_) {
    auto made = make_client_tls_context(tls_options_);
    if (made) {
      tls_.emplace(std::move(*made));
    } else {
      tls_failure_ = made.error();
      spdlog::error("outbound TLS unavailable: {}", tls_failure_->message);
    }
  }
  return tls_ ? &*tls_ : nullptr;
}

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
  if (!pool)
    pool = std::make_unique<connection_pool>(executor_, origin, options_,
                                             origin.tls() ? tls_context() : nullptr);
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
