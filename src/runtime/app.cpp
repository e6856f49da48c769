#include <algorithm>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <warroom/net/server.hpp>
#include <warroom/runtime/app.hpp>
#include <warroom/runtime/intake_routes.hpp>
#include <warroom/runtime/logging.hpp>
#include <warroom/runtime/metrics.hpp>
#include <warroom/runtime/ops_routes.hpp>
#include <warroom/runtime/systemd.hpp>
#include <warroom/runtime/version.hpp>
#include <warroom/store/sqlite_store.hpp>

namespace warroom::runtime {
namespace asio = boost::asio;

struct app::impl {
  explicit impl(config::config c) : cfg(std::move(c)) {}

  config::config cfg;
  asio::io_context io{1};
  metrics stats;
  std::unique_ptr<store::sqlite_store> db;
  std::unique_ptr<net::server> server;
  std::string bound;
  std::atomic<bool> stopping{false};
  bool stopped = false;

  net::server_options server_options() const {
    net::server_options o;
    o.max_body_bytes = cfg.server.max_body_bytes;
    o.max_connections = cfg.server.max_connections;
    o.read_timeout = cfg.server.read_timeout;
    o.write_timeout = cfg.server.write_timeout;
    return o;
  }

  void on_request(const net::request_record& r) {
    const std::string code = std::to_string(r.status);
    stats.add("warroom_http_requests_total", {{"route", std::string(r.route)}, {"code", code}});
    const double seconds = std::chrono::duration<double>(r.duration).count();
    stats.observe("warroom_http_request_duration_seconds", {{"route", std::string(r.route)}},
                  seconds);
    log_event(spdlog::level::info, "request",
              {{"method", std::string(r.method)},
               {"route", std::string(r.route)},
               {"status", code},
               {"duration_ms", std::to_string(seconds * 1000.0)},
               {"remote", std::string(r.remote)}});
  }

  asio::awaitable<void> shutdown() {
    if (stopped) co_return;
    stopped = true;
    sd_notify("STOPPING=1");
    log_event(spdlog::level::info, "shutting down",
              {{"grace_ms", std::to_string(cfg.server.shutdown_grace.count())}});
    co_await server->shutdown(cfg.server.shutdown_grace);
    db->stop();  // commits whatever is queued, then joins the store thread
    io.stop();
  }

  static std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  readiness ready() const {
    const auto st = db->stats();
    if (stopped) return {false, "shutting down"};
    if (!st.health.healthy) return {false, "store cannot commit: " + st.health.last_error};
    return {true, ""};
  }

  /// Deletes deliveries past the retention hourly, in small batches between ingest batches.
  asio::awaitable<void> prune_loop() {
    asio::steady_timer timer(io);
    while (!stopped) {
      const auto cutoff = now_ms() - cfg.store.delivery_retention.count();
      db->prune(cutoff, 500, [](result<std::int64_t> removed) {
        if (!removed)
          log_event(spdlog::level::warn, "prune failed", {{"reason", removed.error().message}});
        else if (*removed > 0)
          log_event(spdlog::level::info, "pruned", {{"rows", std::to_string(*removed)}});
      });
      timer.expires_after(std::chrono::hours(1));
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
  }

  asio::awaitable<void> watchdog(std::chrono::microseconds interval) {
    asio::steady_timer timer(io);
    while (!stopped) {
      sd_notify("WATCHDOG=1");
      timer.expires_after(interval);
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
  }
};

app::app(config::config cfg) : impl_(std::make_unique<impl>(std::move(cfg))) {}
app::~app() = default;

result<void> app::start() {
  auto& d = *impl_;
  d.stats.describe("warroom_http_requests_total",
                   "HTTP requests answered, by route and status code", "counter");
  d.stats.describe("warroom_http_request_duration_seconds",
                   "Time from request headers read to response written", "histogram");
  d.stats.describe("warroom_build_info", "Build information", "gauge");
  d.stats.set("warroom_build_info", {{"version", std::string(version())}}, 1);
  d.stats.gauge_callback("warroom_http_open_connections", "Open inbound connections", [&d] {
    return d.server ? static_cast<double>(d.server->open_connections()) : 0.0;
  });

  store::store_options store_opts;
  store_opts.db.path = d.cfg.store.path;
  auto opened = store::sqlite_store::open(store_opts, impl::now_ms());
  if (!opened) return opened.error();
  d.db = std::move(*opened);

  net::router routes;
  add_ops_routes(routes, ops_context{&d.stats, [&d] { return d.ready(); }});
  add_intake_routes(routes, intake_context{d.db.get(), &d.stats, &d.cfg, [] {}, &impl::now_ms});

  d.server =
      std::make_unique<net::server>(d.io.get_executor(), d.server_options(), std::move(routes),
                                    [&d](const net::request_record& r) { d.on_request(r); });
  const auto& listen = d.cfg.server.listen;
  auto bound = d.server->listen(listen.host, listen.port);
  if (!bound) return bound.error();
  const auto address = bound->address();
  d.bound = (address.is_v6() ? "[" + address.to_string() + "]" : address.to_string()) + ":" +
            std::to_string(bound->port());
  return {};
}

int app::run() {
  auto& d = *impl_;
  asio::signal_set signals(d.io, SIGTERM, SIGINT);
  signals.async_wait([&d](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    log_event(spdlog::level::info, "signal received", {{"signal", std::to_string(signal)}});
    asio::co_spawn(d.io, d.shutdown(), asio::detached);
  });
  d.server->start();
  // Always printed, whatever the level: operators and tests learn the bound port from this line.
  const auto level = std::clamp(spdlog::get_level(), spdlog::level::info, spdlog::level::critical);
  spdlog::log(level, "listening on {}", d.bound);
  sd_notify("READY=1");
  asio::co_spawn(d.io, d.prune_loop(), asio::detached);
  if (auto interval = watchdog_interval())
    asio::co_spawn(d.io, d.watchdog(*interval), asio::detached);
  d.io.run();
  log_event(spdlog::level::info, "stopped", {});
  return 0;
}

void app::request_stop() {
  asio::post(impl_->io, [this] { asio::co_spawn(impl_->io, impl_->shutdown(), asio::detached); });
}

std::string app::listening_on() const {
  return impl_->bound;
}

}  // namespace warroom::runtime
