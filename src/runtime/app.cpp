#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <sys/signalfd.h>
#include <thread>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <warroom/net/http_client.hpp>
#include <warroom/net/server.hpp>
#include <warroom/net/serving_loops.hpp>
#include <warroom/net/tls_context.hpp>
#include <warroom/pipelines/store_bridge.hpp>
#include <warroom/routes/admin.hpp>
#include <warroom/routes/command.hpp>
#include <warroom/routes/intake.hpp>
#include <warroom/routes/ops.hpp>
#include <warroom/runtime/app.hpp>
#include <warroom/runtime/dispatcher.hpp>
#include <warroom/runtime/process_signals.hpp>
#include <warroom/runtime/server_tls.hpp>
#include <warroom/runtime/systemd.hpp>
#include <warroom/runtime/version.hpp>
#include <warroom/store/async_store.hpp>
#include <warroom/store/incidents.hpp>
#include <warroom/store/jobs.hpp>
#include <warroom/telemetry/logging.hpp>
#include <warroom/telemetry/metrics.hpp>

namespace warroom::runtime {
namespace asio = boost::asio;

namespace {

std::int64_t wall_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Names this process among the replicas sharing a PostgreSQL database. Host and listen address
// are the same after a restart, so a restarted replica takes its own unfinished jobs back at once;
// two live replicas on one host cannot share a port. An ephemeral port (0) is not stable, so the
// pid makes the name unique and its jobs wait for their leases instead.
std::string replica_id(const std::string& host, std::uint16_t port) {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) name[0] = '\0';
  std::string id = std::string(name) + "/" + host + ":" + std::to_string(port);
  if (port == 0) id += "/pid-" + std::to_string(getpid());
  return id;
}

// Whether any upstream is reached over https: then the TLS context is built, and checked, at start.
bool uses_tls(const config::config& cfg) {
  return cfg.pagerduty.api_url.tls() || cfg.mattermost.url.tls() || cfg.jira.url.tls();
}

// server.threads: 0 is one per CPU, up to four (beyond that the store thread, which commits every
// webhook, is the limit, and each thread costs idle memory).
std::size_t serving_threads(const config::config& cfg) {
  if (cfg.server.threads > 0) return static_cast<std::size_t>(cfg.server.threads);
  return std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
}

}  // namespace

struct app::impl {
  explicit impl(config::config c) : cfg(std::move(c)) {}

  config::config cfg;
  asio::io_context io{1};
  telemetry::metrics stats;
  std::unique_ptr<store::async_store> db;
  std::unique_ptr<net::http_client> http;
  pipelines::job_context jobs;
  std::unique_ptr<dispatcher> worker;
  std::unique_ptr<net::server> server;
  // After the server: their connections refer to it, so they go first. Reading, parsing,
  // checking and storing webhooks there lets intake use more than one core.
  std::unique_ptr<net::serving_loops> serving;
  std::atomic<bool> wake_posted{false};
  std::string bound;
  bool stopped = false;
  bool abandoned = false;  // calls were still in flight when the grace period ended

  net::server_options server_options() const {
    net::server_options o;
    o.max_body_bytes = cfg.server.max_body_bytes;
    o.max_connections = cfg.server.max_connections;
    o.read_timeout = cfg.server.read_timeout;
    o.write_timeout = cfg.server.write_timeout;
    return o;
  }

  // Request metrics bound once per route and status code, so a request costs a short lock and two
  // atomic adds, not label rendering under the registry's lock. Every serving thread reports here.
  struct route_stats {
    telemetry::histogram duration;
    std::map<unsigned, telemetry::counter> by_code;
  };
  std::mutex request_stats_mutex;
  std::map<std::string, route_stats, std::less<>> request_stats;
  std::atomic<std::uint64_t> requests_seen{0};

  route_stats& stats_of(std::string_view route) {
    auto it = request_stats.find(route);
    if (it == request_stats.end()) {
      const std::string name(route);
      it = request_stats
               .emplace(name,
                        route_stats{stats.bind_histogram("warroom_http_request_duration_seconds",
                                                         {{"route", name}}),
                                    {}})
               .first;
    }
    return it->second;
  }

  void on_request(const net::request_record& r) {
    requests_seen.fetch_add(1, std::memory_order_relaxed);
    const double seconds = std::chrono::duration<double>(r.duration).count();
    {
      const std::lock_guard lock(request_stats_mutex);
      auto& route = stats_of(r.route);
      auto counted = route.by_code.find(r.status);
      if (counted == route.by_code.end())
        counted = route.by_code
                      .emplace(r.status, stats.bind_counter("warroom_http_requests_total",
                                                            {{"route", std::string(r.route)},
                                                             {"code", std::to_string(r.status)}}))
                      .first;
      counted->second.add();
      route.duration.observe(seconds);
    }
    // The access line's strings cost more than the rest of this function: only when logged.
    if (!spdlog::should_log(spdlog::level::info)) return;
    const std::string code = std::to_string(r.status);
    telemetry::log_event(spdlog::level::info, "request",
                         {{"method", std::string(r.method)},
                          {"route", std::string(r.route)},
                          {"status", code},
                          {"duration_ms", std::to_string(seconds * 1000.0)},
                          {"remote", std::string(r.remote)}});
  }

  routes::readiness ready() const {
    if (stopped) return {false, "shutting down"};
    const auto st = db->stats();
    if (!st.health.healthy) return {false, "store cannot commit: " + st.health.last_error};
    if (!worker || worker->stopped()) return {false, "workers are not running"};
    return {true, ""};
  }

  asio::awaitable<void> shutdown() {
    if (stopped) co_return;
    stopped = true;
    sd_notify("STOPPING=1");
    telemetry::log_event(spdlog::level::info, "shutting down",
                         {{"grace_ms", std::to_string(cfg.server.shutdown_grace.count())}});
    const auto deadline = std::chrono::steady_clock::now() + cfg.server.shutdown_grace;
    auto server_op = server->shutdown(cfg.server.shutdown_grace);
    co_await std::move(server_op);
    const auto left = std::max(std::chrono::milliseconds(0),
                               std::chrono::duration_cast<std::chrono::milliseconds>(
                                   deadline - std::chrono::steady_clock::now()));
    auto worker_op = worker->stop(left);
    co_await std::move(worker_op);
    db->stop();  // commits whatever is queued, then joins the store thread
    http->close_idle();
    io.stop();
  }

  /// SIGTERM or SIGINT starts the graceful shutdown; a second one finds it started. SIGHUP
  /// reloads the TLS pair; without server.tls it is logged and ignored, so a reload
  /// (`systemctl reload`) never stops the daemon.
  asio::awaitable<void> signal_loop(asio::posix::stream_descriptor& signals) {
    for (;;) {
      signalfd_siginfo info{};
      auto read = signals.async_read_some(asio::buffer(&info, sizeof info),
                                          asio::as_tuple(asio::use_awaitable));
      auto [ec, n] = co_await std::move(read);
      if (ec) co_return;
      if (n != sizeof info) continue;
      const int signal = static_cast<int>(info.ssi_signo);
      if (signal != SIGHUP) {
        telemetry::log_event(spdlog::level::info, "signal received",
                             {{"signal", std::to_string(signal)}});
        asio::co_spawn(io, shutdown(), asio::detached);
      } else if (cfg.server.tls) {
        reload_server_tls(*server, *cfg.server.tls);
      } else {
        telemetry::log_event(spdlog::level::info,
                             "SIGHUP ignored: nothing to reload without server.tls", {});
      }
    }
  }

  /// Deletes deliveries past the retention hourly, in small batches between ingest batches.
  asio::awaitable<void> prune_loop() {
    asio::steady_timer timer(io);
    while (!stopped) {
      db->prune(wall_now_ms() - cfg.store.delivery_retention.count(), 500,
                [](result<std::int64_t> removed) {
                  if (!removed)
                    telemetry::log_event(spdlog::level::warn, "prune failed",
                                         {{"reason", removed.error().message}});
                  else if (*removed > 0)
                    telemetry::log_event(spdlog::level::info, "pruned",
                                         {{"rows", std::to_string(*removed)}});
                });
      timer.expires_after(std::chrono::hours(1));
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
  }

  /// Job counts by state for /metrics, refreshed every few seconds off the loop and off the store
  /// thread: each count scans every job, which under a storm's backlog takes tens of ms.
  asio::awaitable<void> gauge_loop() {
    asio::steady_timer timer(io);
    while (!stopped) {
      auto work = [](store::database& d) { return store::count_jobs(d); };
      auto op = pipelines::on_reader<store::job_counts>(*db, io.get_executor(), work);
      if (auto counts = co_await std::move(op)) {
        stats.set("warroom_jobs", {{"state", "queued"}}, static_cast<double>(counts->queued));
        stats.set("warroom_jobs", {{"state", "running"}}, static_cast<double>(counts->running));
        stats.set("warroom_jobs", {{"state", "done"}}, static_cast<double>(counts->done));
        stats.set("warroom_jobs", {{"state", "dead"}}, static_cast<double>(counts->dead));
      }
      auto rooms_work = [](store::database& d) { return store::count_open_incidents(d); };
      auto rooms_op = pipelines::on_reader<std::map<std::string, std::int64_t>>(
          *db, io.get_executor(), rooms_work);
      if (auto rooms = co_await std::move(rooms_op)) {
        for (const char* status : {"triggered", "acknowledged"}) {
          const auto it = rooms->find(status);
          stats.set("warroom_war_rooms_open", {{"status", status}},
                    it == rooms->end() ? 0.0 : static_cast<double>(it->second));
        }
      }
      timer.expires_after(std::chrono::seconds(5));
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
  }

  // A burst leaves its memory in SQLite's page cache and the allocator's arenas (the event loop's
  // and the store thread's): once a full second passes without a request, it goes back to the
  // system, so an idle daemon is as small after a storm as before it. Once per quiet spell,
  // whatever jobs still run.
  asio::awaitable<void> trim_when_idle() {
    asio::steady_timer timer(io);
    std::uint64_t seen = requests_seen.load(std::memory_order_relaxed);
    bool trimmed = true;  // nothing to give back before the first request
    while (!stopped) {
      timer.expires_after(std::chrono::seconds(1));
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
      const std::uint64_t now_seen = requests_seen.load(std::memory_order_relaxed);
      const bool idle = now_seen == seen;
      seen = now_seen;
      if (!idle) trimmed = false;
      if (idle && !trimmed) {
        db->release_memory();  // SQLite's page cache, then the heap (all arenas): store thread
        trimmed = true;
      }
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

  void describe_metrics() {
    stats.describe("warroom_http_requests_total",
                   "HTTP requests answered, by route and status code", "counter");
    stats.describe("warroom_http_request_duration_seconds",
                   "Time from request headers read to response written", "histogram");
    stats.describe("warroom_build_info", "Build information", "gauge");
    // Commits are fsyncs: a healthy disk answers in a millisecond or less, a struggling one in
    // tens.
    stats.describe_histogram(
        "warroom_store_commit_seconds",
        "Time each store transaction took until durably committed, by kind (ingest, write)",
        {0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5});
    stats.describe("warroom_jobs", "Jobs in the store by state (dead = dead letters)", "gauge");
    stats.describe("warroom_jobs_finished_total",
                   "Job runs by kind and outcome (done, retry, dead)", "counter");
    stats.describe("warroom_job_duration_seconds", "Time one job run took", "histogram");
    stats.describe("warroom_war_rooms_open",
                   "War rooms not yet resolved, by status (triggered, acknowledged)", "gauge");
    stats.describe("warroom_channels_archived_total",
                   "War-room channels archived after archive.after_resolved, by route", "counter");
    stats.describe("warroom_channels_restored_total",
                   "Archived war-room channels restored because the incident reopened, by route",
                   "counter");
    stats.set("warroom_build_info", {{"version", std::string(version())}}, 1);
    stats.gauge_callback("warroom_http_open_connections", "Open inbound connections", [this] {
      return server ? static_cast<double>(server->open_connections()) : 0.0;
    });
    stats.gauge_callback("warroom_upstream_open_connections",
                         "Open outbound connections (all origins)",
                         [this] { return http ? static_cast<double>(http->stats().open) : 0.0; });
    stats.gauge_callback("warroom_jobs_running", "Jobs running in this process",
                         [this] { return worker ? static_cast<double>(worker->running()) : 0.0; });
  }
};

app::app(config::config cfg) : impl_(std::make_unique<impl>(std::move(cfg))) {}
app::~app() {
  // Jobs cut off by the grace period are suspended inside outbound calls whose frames refer to
  // the connection pools; no destruction order of loop, pools and frames is safe then. Their
  // state is already durable (the store committed and stopped, the jobs resume at next start),
  // so the process leaves that memory to the OS instead of crashing on the way out.
  if (impl_ && impl_->abandoned) (void)impl_.release();
}

result<void> app::start() {
  auto& d = *impl_;
  d.describe_metrics();

  store::store_options store_opts;
  store_opts.db.path = d.cfg.store.path;
  store_opts.on_commit =
      [ingests = d.stats.bind_histogram("warroom_store_commit_seconds", {{"kind", "ingest"}}),
       writes = d.stats.bind_histogram("warroom_store_commit_seconds", {{"kind", "write"}})](
          store::transaction_kind kind, double seconds) {
        (kind == store::transaction_kind::ingest ? ingests : writes).observe(seconds);
      };
  if (d.cfg.store.postgres_url) {
    store_opts.postgres.url = std::string(d.cfg.store.postgres_url->reveal());
    store_opts.postgres.replica_id = replica_id(d.cfg.server.listen.host, d.cfg.server.listen.port);
    store_opts.on_remote_jobs = [&d] {
      asio::post(d.io, [&d] {
        if (d.worker) d.worker->wake();
      });
    };
  }
  auto opened = store::async_store::open(store_opts, wall_now_ms());
  if (!opened) return opened.error();
  d.db = std::move(*opened);

  net::client_options client;
  client.max_connections_per_host =
      static_cast<std::size_t>(d.cfg.outbound.max_connections_per_host);
  client.request_timeout = d.cfg.outbound.request_timeout;
  client.user_agent = "warroom/" + std::string(version());
  d.http = std::make_unique<net::http_client>(d.io.get_executor(), client,
                                              net::tls_client_options{d.cfg.outbound.ca_file});
  // Whatever TLS will be needed fails the start, not the first incident.
  if (uses_tls(d.cfg))
    if (auto prepared = d.http->prepare_tls(); !prepared) return prepared.error();
  d.jobs = pipelines::make_job_context(d.cfg, *d.http, *d.db, d.stats, &wall_now_ms);
  dispatcher_options worker_opts;
  const auto& retry = d.cfg.outbound.retry;
  worker_opts.retry =
      retry::retry_policy{retry.base, retry.cap, retry.max_attempts, retry.give_up_after};
  d.worker = std::make_unique<dispatcher>(d.io.get_executor(), d.jobs, worker_opts);

  net::router routes;
  routes::add_ops_routes(
      routes, routes::ops_context{&d.stats, [&d] { return d.ready(); }, std::string(version())});
  // Called on whichever thread stored the webhook; wakes the dispatcher on the event loop, once
  // for as many webhooks as arrive before it ran.
  auto wake_worker = [&d] {
    if (d.wake_posted.exchange(true, std::memory_order_acq_rel)) return;
    asio::post(d.io, [&d] {
      d.wake_posted.store(false, std::memory_order_release);
      d.worker->wake();
    });
  };
  const routes::intake_context intake{d.db.get(), &d.stats, &d.cfg, wake_worker, &wall_now_ms};
  routes::add_intake_routes(routes, intake);
  routes::add_command_routes(routes, intake);
  if (d.cfg.server.admin_token) routes::add_admin_routes(routes, *d.db, *d.cfg.server.admin_token);

  d.server =
      std::make_unique<net::server>(d.io.get_executor(), d.server_options(), std::move(routes),
                                    [&d](const net::request_record& r) { d.on_request(r); });
  d.serving = std::make_unique<net::serving_loops>(serving_threads(d.cfg) - 1);
  d.server->serve_on(d.serving->executors());
  if (d.cfg.server.tls) {
    auto served = load_server_tls(*d.cfg.server.tls);
    if (!served) return make_error("tls", served.error().path + ": " + served.error().message);
    d.server->use_tls(served->context);
    log_certificate("tls certificate loaded", served->certificate);
  }
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
  // Blocked here too (main() blocked them before any thread started), so an app run in-process
  // reads them the same way; the thread's mask is restored when the loop ends.
  const sigset_t previous_mask = block_daemon_signals();
  const int signal_fd = open_daemon_signal_fd();
  if (signal_fd < 0) {
    const int error = errno;
    ::pthread_sigmask(SIG_SETMASK, &previous_mask, nullptr);
    spdlog::critical("cannot read signals (signalfd): {}", std::strerror(error));
    return 1;
  }
  asio::posix::stream_descriptor signals(d.io, signal_fd);
  asio::co_spawn(d.io, d.signal_loop(signals), asio::detached);
  d.serving->start();
  d.server->start();
  d.worker->start();
  // Always printed, whatever the level: operators and tests learn the bound port from this line.
  const auto level = std::clamp(spdlog::get_level(), spdlog::level::info, spdlog::level::critical);
  spdlog::log(level, "listening on {}", d.bound);
  sd_notify("READY=1");
  asio::co_spawn(d.io, d.prune_loop(), asio::detached);
  asio::co_spawn(d.io, d.gauge_loop(), asio::detached);
  asio::co_spawn(d.io, d.trim_when_idle(), asio::detached);
  if (auto interval = watchdog_interval())
    asio::co_spawn(d.io, d.watchdog(*interval), asio::detached);
  d.io.run();
  // Everything answered is durable by now (the store stopped after its last commit); a request
  // still waiting on a serving thread is dropped with its loop, as one on the event loop is.
  d.serving->stop();
  d.abandoned = d.worker->running() > 0 || d.http->stats().in_use > 0;
  telemetry::log_event(spdlog::level::info, "stopped",
                       {{"unfinished_jobs", std::to_string(d.worker->running())}});
  ::pthread_sigmask(SIG_SETMASK, &previous_mask, nullptr);
  return 0;
}

void app::request_stop() {
  asio::post(impl_->io, [this] { asio::co_spawn(impl_->io, impl_->shutdown(), asio::detached); });
}

std::string app::listening_on() const {
  return impl_->bound;
}

}  // namespace warroom::runtime
