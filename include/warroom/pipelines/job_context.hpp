// job_context: what a pipeline step needs — the upstream endpoints over the shared HTTP client,
// the store (awaited on its own thread), the button keyring and the clock — plus job_error, the
// value a failed step returns. One per daemon; used on the event loop thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include <warroom/api/jira.hpp>
#include <warroom/api/mattermost.hpp>
#include <warroom/api/pagerduty.hpp>
#include <warroom/config/config.hpp>
#include <warroom/domain/user_directory.hpp>
#include <warroom/net/http_client.hpp>
#include <warroom/pipelines/war_room.hpp>
#include <warroom/retry/retry_policy.hpp>
#include <warroom/store/async_store.hpp>
#include <warroom/store/jobs.hpp>
#include <warroom/telemetry/metrics.hpp>
#include <warroom/webhook/action_token.hpp>

namespace warroom::pipelines {

/// Why a step failed. With an `outcome` the retry policy decides (transient upstream trouble is
/// retried, other 4xx are not); without one the failure is permanent (bad data, a bug).
struct job_error {
  std::optional<retry::attempt_outcome> outcome;
  std::string reason;
};

template <class T>
using step_result = result<T, job_error>;

job_error permanent_failure(std::string reason);
/// The store could not be read or written: retryable.
job_error store_failure(const error& err);
job_error reply_failure(const api::http_reply& reply, std::string reason);

struct job_context {
  const config::config* cfg = nullptr;
  net::http_client* http = nullptr;
  store::async_store* db = nullptr;
  telemetry::metrics* stats = nullptr;
  webhook::action_keyring keys;
  std::function<std::int64_t()> now_ms;
  /// Mattermost accounts by email and username (mattermost.user_cache_ttl); shared by the jobs.
  std::shared_ptr<domain::user_directory> users;
  /// Per origin, the pool's opened-connection count last added to
  /// warroom_upstream_connections_total, so concurrent calls never count one connection twice.
  std::shared_ptr<std::map<std::string, std::uint64_t>> connections_counted;

  api::pagerduty_endpoint pagerduty;
  api::mattermost_endpoint mattermost;
  api::jira_endpoint jira;
  /// The top-level settings, for war rooms stored without a route (opened before routing).
  config::room_settings default_settings;

  /// The settings a war room lives with: the ones stored when it opened (its route's), else the
  /// top-level ones. Every pipeline reads team, channel, responders and Jira settings here.
  const config::room_settings& settings_of(const war_room& room) const {
    return room.settings ? *room.settings : default_settings;
  }

  /// Sends one call; a transport failure becomes a retryable job_error, any HTTP status a reply.
  /// Counted in warroom_upstream_requests_total{service,outcome}.
  boost::asio::awaitable<step_result<api::http_reply>> send(std::string service,
                                                            api::http_call call);

  /// The stored war room of an incident, if any.
  boost::asio::awaitable<step_result<std::optional<war_room>>> load_room(std::string incident_id);
  /// Writes the war room record (whole).
  boost::asio::awaitable<step_result<bool>> save_room(war_room room);
  /// Pipeline checkpoints of an incident: step name → value.
  boost::asio::awaitable<step_result<std::map<std::string, std::string>>> load_steps(
      std::string owner);
  boost::asio::awaitable<step_result<bool>> save_step(std::string owner, std::string step,
                                                      std::string value);
  /// Inserts scheduled `jobs` with checkpoint `step` of `owner` in one transaction, unless the
  /// step is there already: scheduling survives a crash and is never doubled.
  boost::asio::awaitable<step_result<bool>> schedule_once(std::string owner, std::string step,
                                                          std::vector<store::job_spec> jobs);
  /// The war room and its checkpoints, read for a job; nullopt when the incident has none.
  struct room_and_steps {
    war_room room;
    std::map<std::string, std::string> steps;
  };
  boost::asio::awaitable<step_result<std::optional<room_and_steps>>> load_room_and_steps(
      std::string incident_id);
  /// One audit line.
  boost::asio::awaitable<step_result<bool>> audit(std::string incident, std::string actor,
                                                  std::string action, std::string source,
                                                  std::string detail);

  /// {public_url}/webhooks/mattermost, where button clicks go.
  std::string integration_url() const;
  /// {jira.url}/browse/{key}.
  std::string jira_browse_url(const std::string& key) const;
  /// The card of a war room with fresh button tokens (generation from the room).
  domain::card render(const war_room& room, std::string activity = {}) const;
};

/// The button-token keyring: the current action_secret first, then the previous ones. A key's id
/// is derived from the secret itself, so rotating needs no extra configuration.
webhook::action_keyring action_keyring_of(const config::mattermost_config& cfg);

/// Builds the endpoints and keyring from the config.
job_context make_job_context(const config::config& cfg, net::http_client& http,
                             store::async_store& db, telemetry::metrics& stats,
                             std::function<std::int64_t()> now_ms);

}  // namespace warroom::pipelines
