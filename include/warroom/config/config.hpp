// The daemon's configuration as plain values (DESIGN.md §3). Produced once at start by load_config;
// read-only afterwards, so it may be shared between threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <warroom/util/secret.hpp>
#include <warroom/util/url.hpp>

namespace warroom::config {

using duration = std::chrono::milliseconds;

struct listen_address {
  std::string host;  // IP literal (IPv6 without brackets) or "localhost"
  std::uint16_t port = 0;
};

struct tls_files {
  std::string cert_file;
  std::string key_file;
};

struct server_config {
  listen_address listen;
  util::url public_url;
  std::size_t max_body_bytes = 262144;
  duration shutdown_grace = std::chrono::seconds(10);
  std::optional<util::secret> admin_token;
  std::optional<tls_files> tls;
  std::size_t max_connections = 1024;  // concurrent inbound connections
  int threads =
      0;  // threads serving connections, the event loop's included; 0: one per CPU, up to 4
  duration read_timeout = std::chrono::seconds(10);   // whole request read (slowloris bound)
  duration write_timeout = std::chrono::seconds(10);  // whole response write
  duration idle_timeout = std::chrono::seconds(60);   // keep-alive wait for the next request
};

struct store_config {
  std::string path;                          // SQLite file (one node)
  std::optional<util::secret> postgres_url;  // PostgreSQL (several replicas); exclusive with path
  duration delivery_retention = std::chrono::hours(24 * 7);
};

struct log_config {
  std::string level = "info";   // trace debug info warn error critical off
  std::string format = "text";  // text | json
};

struct retry_config {
  duration base = std::chrono::milliseconds(500);
  duration cap = std::chrono::seconds(30);
  int max_attempts = 8;
  duration give_up_after = std::chrono::minutes(10);
};

struct outbound_config {
  int max_connections_per_host = 8;
  duration request_timeout = std::chrono::seconds(10);
  retry_config retry;
  std::string ca_file;  // extra CA bundle; empty = system store only
};

struct pagerduty_config {
  util::url api_url;
  util::secret token;
  std::string from_email = "warroom@example.com";
  std::vector<util::secret> webhook_secrets;
  std::vector<int> responder_levels = {1};
  std::string declare_service_id;  // service of `/incident new`; empty = --service required
};

struct mattermost_config {
  util::url url;
  util::secret token;
  std::string team_id;
  util::secret action_secret;
  std::vector<util::secret> previous_action_secrets;  // still accepted for clicks during rotation
  duration action_token_ttl = std::chrono::hours(720);
  std::string channel_name = "inc-{number}-{title}";
  bool private_channels = false;  // key: private
  std::vector<std::string> responders;
  std::string announce_channel_id;
  std::vector<util::secret> command_tokens;  // slash-command tokens; empty = /incident disabled
  duration user_cache_ttl = std::chrono::minutes(10);  // email/username -> user id; 0s: no cache
};

struct jira_config {
  util::url url;
  int api_version = 3;
  std::string auth = "basic";  // basic | bearer
  std::string email;
  util::secret token;
  std::string project_key;
  std::string issue_type;
  std::map<std::string, std::string> priority_map = {
      {"P1", "Highest"}, {"P2", "High"}, {"P3", "Medium"}, {"high", "High"}, {"low", "Low"}};
};

/// When a still-unacknowledged war room gets a reminder (§8); 0 = reminders off.
struct reminders_config {
  duration unacknowledged_after = std::chrono::minutes(10);
  duration repeat_every = std::chrono::minutes(15);
  int max = 3;
};

/// How long after a resolve the channel is archived; 0 = never.
struct archive_config {
  duration after_resolved = std::chrono::hours(24);
};

/// Which incidents a route takes: every given field must match; a list matches any of its values.
struct route_match {
  std::vector<std::string> service_ids;
  std::vector<std::string> service_names;
  std::vector<std::string> team_ids;
  std::string urgency;  // "" = any
  std::vector<std::string> priorities;
  bool catches_all() const {
    return service_ids.empty() && service_names.empty() && team_ids.empty() && urgency.empty() &&
           priorities.empty();
  }
};

/// What a route overrides; an absent field keeps the top-level value.
struct route_overrides {
  std::optional<std::string> team_id;
  std::optional<std::string> channel_name;
  std::optional<bool> private_channels;
  std::optional<std::vector<std::string>> responders;
  std::optional<std::string> announce_channel_id;
  bool jira_enabled = true;  // `jira: false`
  std::optional<std::string> project_key;
  std::optional<std::string> issue_type;
  std::optional<std::map<std::string, std::string>> priority_map;
};

/// One `routes:` entry (DESIGN §8); routes are tried in order, the first match wins.
struct route {
  std::string name;
  route_match match;
  route_overrides overrides;
};

struct config {
  server_config server;
  store_config store;
  log_config log;
  outbound_config outbound;
  pagerduty_config pagerduty;
  mattermost_config mattermost;
  jira_config jira;
  reminders_config reminders;
  archive_config archive;
  std::vector<route> routes;
};

}  // namespace warroom::config
