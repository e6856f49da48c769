#include <chrono>

#include <boost/asio/this_coro.hpp>

#include <warroom/domain/card.hpp>
#include <warroom/net/client_options.hpp>
#include <warroom/pipelines/job_context.hpp>
#include <warroom/pipelines/store_bridge.hpp>
#include <warroom/store/incidents.hpp>
#include <warroom/webhook/hmac.hpp>

namespace warroom::pipelines {
namespace asio = boost::asio;

job_error store_failure(const error& err) {
  return job_error{retry::attempt_outcome{retry::network_failure{"store"}},
                   "store: " + err.message};
}

job_error permanent_failure(std::string reason) {
  return job_error{std::nullopt, std::move(reason)};
}

job_error reply_failure(const api::http_reply& reply, std::string reason) {
  return job_error{retry::attempt_outcome{reply}, std::move(reason)};
}

namespace {

// Bounds the user directory: far more people than one organisation pages.
constexpr std::size_t max_cached_users = 4096;

/// Queues `work(database&) -> result<void>` as one group-committed write. A storage failure is
/// retryable: the disk may recover, and every step before it is checkpointed.
template <class Work>
asio::awaitable<step_result<bool>> store_write(store::async_store& db, Work work) {
  auto ex = co_await asio::this_coro::executor;
  auto pending = write_on_store(db, ex, store::async_store::write_work(std::move(work)));
  auto saved = co_await std::move(pending);
  if (!saved) co_return store_failure(saved.error());
  co_return true;
}

}  // namespace

namespace {

// Connections the pool of `origin` has opened so far (its key is the origin the calls name).
std::uint64_t connections_opened(const net::http_client& http, const std::string& origin) {
  for (const auto& [key, stats] : http.stats_by_origin())
    if (key == origin) return stats.opened;
  return 0;
}

}  // namespace

asio::awaitable<step_result<api::http_reply>> job_context::send(std::string service,
                                                                api::http_call call) {
  const auto operation = api::operation_name(call);
  const auto origin = call.origin;
  const auto started = std::chrono::steady_clock::now();
  auto pending = http->send(std::move(call));
  auto reply = co_await std::move(pending);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  stats->observe("warroom_upstream_request_seconds",
                 {{"service", service}, {"operation", operation}}, took.count());
  // Each service has its own origin and pool, so what the pool opened since last counted is the
  // service's. Counted after the call, on the loop thread: concurrent calls never count twice.
  auto& counted = (*connections_counted)[origin];
  if (const auto opened = connections_opened(*http, origin); opened > counted) {
    stats->add("warroom_upstream_connections_total", {{"service", service}},
               static_cast<double>(opened - counted));
    counted = opened;
  }
  if (!reply) {
    stats->add("warroom_upstream_requests_total",
               {{"service", service}, {"outcome", "network_error"}});
    const bool unsent = reply.error().code == net::client_errc::connect_failed;
    co_return job_error{
        retry::attempt_outcome{retry::network_failure{reply.error().message, unsent}},
        service + ": " + reply.error().message};
  }
  const unsigned s = reply->status;
  const std::string outcome = s < 300    ? "ok"
                              : s == 429 ? "rate_limited"
                              : s >= 500 ? "server_error"
                                         : "client_error";
  stats->add("warroom_upstream_requests_total", {{"service", service}, {"outcome", outcome}});
  co_return std::move(*reply);
}

asio::awaitable<step_result<std::optional<war_room>>> job_context::load_room(
    std::string incident_id) {
  auto ex = co_await asio::this_coro::executor;
  auto work = [incident_id](store::database& d) { return store::get_incident(d, incident_id); };
  auto pending = on_store<std::optional<store::incident_record>>(*db, ex, work);
  auto record = co_await std::move(pending);
  if (!record) co_return store_failure(record.error());
  if (!*record) co_return std::optional<war_room>{};
  co_return std::optional<war_room>{decode_war_room(**record)};
}

asio::awaitable<step_result<bool>> job_context::save_room(war_room room) {
  auto record = encode_war_room(room, now_ms());
  auto op =
      store_write(*db, [record](store::database& d) { return store::upsert_incident(d, record); });
  co_return co_await std::move(op);
}

asio::awaitable<step_result<std::map<std::string, std::string>>> job_context::load_steps(
    std::string owner) {
  auto ex = co_await asio::this_coro::executor;
  auto work = [owner](store::database& d) { return store::load_steps(d, owner); };
  auto pending = on_store<std::map<std::string, std::string>>(*db, ex, work);
  auto steps = co_await std::move(pending);
  if (!steps) co_return store_failure(steps.error());
  co_return std::move(*steps);
}

asio::awaitable<step_result<bool>> job_context::save_step(std::string owner, std::string step,
                                                          std::string value) {
  const auto now = now_ms();
  auto op = store_write(*db, [owner, step, value, now](store::database& d) {
    return store::save_step(d, owner, step, value, now);
  });
  co_return co_await std::move(op);
}

asio::awaitable<step_result<bool>> job_context::schedule_once(std::string owner, std::string step,
                                                              std::vector<store::job_spec> jobs) {
  auto ex = co_await asio::this_coro::executor;
  const auto now = now_ms();
  auto work = [owner, step, jobs, now](store::database& d) {
    return store::schedule_jobs_once(d, owner, step, jobs, now);
  };
  auto pending = on_store<bool>(*db, ex, work);
  auto scheduled = co_await std::move(pending);
  if (!scheduled) co_return store_failure(scheduled.error());
  co_return true;
}

asio::awaitable<step_result<bool>> job_context::audit(std::string incident, std::string actor,
                                                      std::string action, std::string source,
                                                      std::string detail) {
  store::audit_entry entry{now_ms(),          std::move(incident), std::move(actor),
                           std::move(action), std::move(source),   std::move(detail)};
  auto op = store_write(*db, [entry](store::database& d) { return store::append_audit(d, entry); });
  co_return co_await std::move(op);
}

asio::awaitable<step_result<std::optional<job_context::room_and_steps>>>
job_context::load_room_and_steps(std::string incident_id) {
  auto load_op = load_room(incident_id);
  auto loaded = co_await std::move(load_op);
  if (!loaded) co_return std::move(loaded).error();
  if (!*loaded) co_return std::optional<room_and_steps>{};
  auto steps_op = load_steps(incident_id);
  auto steps = co_await std::move(steps_op);
  if (!steps) co_return std::move(steps).error();
  co_return std::optional<room_and_steps>{room_and_steps{std::move(**loaded), std::move(*steps)}};
}

std::string job_context::integration_url() const {
  return cfg->server.public_url.origin() + cfg->server.public_url.path + "/webhooks/mattermost";
}

std::string job_context::jira_browse_url(const std::string& key) const {
  return cfg->jira.url.origin() + cfg->jira.url.path + "/browse/" + key;
}

domain::card job_context::render(const war_room& room, std::string activity) const {
  auto input = card_input_of(room, integration_url());
  input.activity = std::move(activity);
  const auto ttl_s =
      std::chrono::duration_cast<std::chrono::seconds>(cfg->mattermost.action_token_ttl).count();
  const auto generation = static_cast<std::uint32_t>(room.card_generation);
  const auto expires = now_ms() / 1000 + ttl_s;
  const auto& key = keys.front();
  input.ack_token = webhook::sign_action_token(
      {"acknowledge", room.incident.id, room.channel_id, expires, generation}, key.key_id,
      key.secret);
  input.resolve_token = webhook::sign_action_token(
      {"resolve", room.incident.id, room.channel_id, expires, generation}, key.key_id, key.secret);
  return domain::render_card(input);
}

webhook::action_keyring action_keyring_of(const config::mattermost_config& cfg) {
  webhook::action_keyring keys;
  auto add = [&keys](const util::secret& secret) {
    // A stable, non-reversible id: the first 12 hex digits of HMAC(secret, fixed label).
    const auto id =
        webhook::hmac_sha256_hex(secret.reveal(), "warroom action key id").substr(0, 12);
    keys.push_back(webhook::action_key{id, secret});
  };
  add(cfg.action_secret);
  for (const auto& old : cfg.previous_action_secrets)
    add(old);
  return keys;
}

job_context make_job_context(const config::config& cfg, net::http_client& http,
                             store::async_store& db, telemetry::metrics& stats,
                             std::function<std::int64_t()> now_ms) {
  job_context ctx;
  ctx.cfg = &cfg;
  ctx.http = &http;
  ctx.db = &db;
  ctx.stats = &stats;
  ctx.keys = action_keyring_of(cfg.mattermost);
  ctx.default_settings = config::default_settings(cfg);
  ctx.now_ms = std::move(now_ms);
  ctx.connections_counted = std::make_shared<std::map<std::string, std::uint64_t>>();
  ctx.users =
      std::make_shared<domain::user_directory>(cfg.mattermost.user_cache_ttl, max_cached_users);
  ctx.pagerduty = api::pagerduty_endpoint{cfg.pagerduty.api_url, cfg.pagerduty.token};
  ctx.mattermost = api::mattermost_endpoint{cfg.mattermost.url, cfg.mattermost.token};
  ctx.jira.base = cfg.jira.url;
  ctx.jira.api_version =
      cfg.jira.api_version == 2 ? api::jira_api_version::v2 : api::jira_api_version::v3;
  ctx.jira.auth = cfg.jira.auth == "bearer" ? api::jira_auth::bearer : api::jira_auth::basic;
  ctx.jira.email = cfg.jira.email;
  ctx.jira.token = cfg.jira.token;
  stats.describe("warroom_upstream_requests_total", "Outbound API calls by service and outcome",
                 "counter");
  // Human reaction times: from half a minute to a day.
  const std::vector<double> reaction_buckets = {30,   60,   120,  300,   600,   900,
                                                1800, 3600, 7200, 14400, 28800, 86400};
  stats.describe_histogram("warroom_time_to_acknowledge_seconds",
                           "From an incident's creation to its acknowledgement, by route",
                           reaction_buckets);
  stats.describe_histogram("warroom_time_to_resolve_seconds",
                           "From an incident's creation to its resolution, by route",
                           reaction_buckets);
  stats.describe("warroom_upstream_request_seconds",
                 "Time from an outbound call queued for a connection to its reply read",
                 "histogram");
  stats.describe("warroom_upstream_connections_total",
                 "New TCP (and TLS) connections opened to each upstream service", "counter");
  stats.describe("warroom_open_seconds",
                 "Webhook stored to war room complete (card posted, issue created, every "
                 "invitable responder added), by route",
                 "histogram");
  return ctx;
}

}  // namespace warroom::pipelines
