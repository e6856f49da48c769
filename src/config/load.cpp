#include <regex>

#include <warroom/config/duration.hpp>
#include <warroom/config/load.hpp>

#include "read_routes.hpp"
#include "walker.hpp"

namespace warroom::config {
namespace {

using detail::join;
using detail::walker;

template <class T, class U>
void assign(T& target, std::optional<U> value) {
  if (value) target = static_cast<T>(std::move(*value));
}

void read_server(walker& w, const YAML::Node& root, server_config& out) {
  const auto node = w.section(root, "server", true);
  if (!node) return;
  w.check_keys(*node, "server",
               {"listen", "public_url", "max_body_bytes", "shutdown_grace", "admin_token", "tls",
                "max_connections", "threads", "read_timeout", "write_timeout", "idle_timeout"},
               {"admin_token"});
  if (auto listen = w.text(*node, "server", "listen", true)) {
    if (auto parsed = parse_listen_address(*listen)) {
      out.listen = *parsed;
    } else {
      w.report("server.listen",
               "must be HOST:PORT with an IP address or localhost, e.g. 0.0.0.0:8080");
    }
  }
  assign(out.public_url, w.url(*node, "server", "public_url", true));
  assign(out.max_body_bytes, w.integer(*node, "server", "max_body_bytes", 1024, 64 << 20));
  assign(out.max_connections, w.integer(*node, "server", "max_connections", 1, 100000));
  assign(out.threads, w.integer(*node, "server", "threads", 0, 64));
  assign(out.shutdown_grace, w.duration(*node, "server", "shutdown_grace"));
  assign(out.read_timeout, w.duration(*node, "server", "read_timeout"));
  assign(out.write_timeout, w.duration(*node, "server", "write_timeout"));
  assign(out.idle_timeout, w.duration(*node, "server", "idle_timeout"));
  out.admin_token = w.secret(*node, "server", "admin_token", false);
  if (const auto tls = w.section(*node, "server.tls", false)) {
    w.check_keys(*tls, "server.tls", {"cert_file", "key_file"});
    auto cert = w.text(*tls, "server.tls", "cert_file", true);
    auto key = w.text(*tls, "server.tls", "key_file", true);
    if (cert && key) out.tls = tls_files{*cert, *key};
  }
}

void read_store_and_log(walker& w, const YAML::Node& root, config& out) {
  if (const auto node = w.section(root, "store", true)) {
    w.check_keys(*node, "store", {"path", "postgres_url", "delivery_retention"}, {"postgres_url"});
    assign(out.store.path, w.text(*node, "store", "path", false));
    out.store.postgres_url = w.secret(*node, "store", "postgres_url", false);
    // One node keeps its own file; several replicas share one PostgreSQL database. Never both:
    // a replica writing to a file of its own would split the war rooms.
    if (out.store.path.empty() && !out.store.postgres_url)
      w.report("store.path", "is required (or store.postgres_url for several replicas)");
    if (!out.store.path.empty() && out.store.postgres_url)
      w.report("store.postgres_url", "cannot be used together with store.path: choose one");
    assign(out.store.delivery_retention, w.duration(*node, "store", "delivery_retention"));
  }
  if (const auto node = w.section(root, "log", false)) {
    w.check_keys(*node, "log", {"level", "format"});
    if (auto level = w.text(*node, "log", "level", false)) {
      static const std::regex levels("trace|debug|info|warn|error|critical|off");
      if (std::regex_match(*level, levels))
        out.log.level = *level;
      else
        w.report("log.level", "must be one of trace, debug, info, warn, error, critical, off");
    }
    if (auto format = w.text(*node, "log", "format", false)) {
      if (*format == "text" || *format == "json")
        out.log.format = *format;
      else
        w.report("log.format", "must be text or json");
    }
  }
}

void read_outbound(walker& w, const YAML::Node& root, outbound_config& out) {
  const auto node = w.section(root, "outbound", false);
  if (!node) return;
  w.check_keys(*node, "outbound",
               {"max_connections_per_host", "request_timeout", "retry", "ca_file"});
  assign(out.max_connections_per_host,
         w.integer(*node, "outbound", "max_connections_per_host", 1, 1024));
  assign(out.request_timeout, w.duration(*node, "outbound", "request_timeout"));
  assign(out.ca_file, w.text(*node, "outbound", "ca_file", false));
  if (const auto retry = w.section(*node, "outbound.retry", false)) {
    w.check_keys(*retry, "outbound.retry", {"base", "cap", "max_attempts", "give_up_after"});
    assign(out.retry.base, w.duration(*retry, "outbound.retry", "base"));
    assign(out.retry.cap, w.duration(*retry, "outbound.retry", "cap"));
    assign(out.retry.max_attempts, w.integer(*retry, "outbound.retry", "max_attempts", 1, 100));
    assign(out.retry.give_up_after, w.duration(*retry, "outbound.retry", "give_up_after"));
    if (out.retry.base > out.retry.cap)
      w.report("outbound.retry.base", "must not exceed retry.cap");
  }
}

bool looks_like_email(const std::string& text) {
  static const std::regex email(R"([^@\s]+@[^@\s]+\.[^@\s]+)");
  return std::regex_match(text, email);
}

void read_pagerduty(walker& w, const YAML::Node& root, pagerduty_config& out) {
  const auto node = w.section(root, "pagerduty", true);
  if (!node) return;
  w.check_keys(*node, "pagerduty",
               {"api_url", "token", "from_email", "webhook_secrets", "responder_levels",
                "declare_service_id"},
               {"token", "webhook_secrets"});
  assign(out.api_url, w.url(*node, "pagerduty", "api_url", true));
  assign(out.token, w.secret(*node, "pagerduty", "token", true));
  assign(out.webhook_secrets, w.secrets(*node, "pagerduty", "webhook_secrets", true));
  if (auto from = w.text(*node, "pagerduty", "from_email", false)) {
    if (looks_like_email(*from))
      out.from_email = *from;
    else
      w.report("pagerduty.from_email", "must be an email address");
  }
  if (auto levels = w.strings(*node, "pagerduty", "responder_levels")) {
    out.responder_levels.clear();
    for (const auto& level : *levels) {
      if (level.empty() || level.find_first_not_of("0123456789") != std::string::npos ||
          level.size() > 3 || std::stoi(level) < 1) {
        w.report("pagerduty.responder_levels", "must be a list of escalation levels (1, 2, ...)");
        break;
      }
      out.responder_levels.push_back(std::stoi(level));
    }
  }
  assign(out.declare_service_id, w.text(*node, "pagerduty", "declare_service_id", false));
}

void read_mattermost(walker& w, const YAML::Node& root, mattermost_config& out) {
  const auto node = w.section(root, "mattermost", true);
  if (!node) return;
  w.check_keys(*node, "mattermost",
               {"url", "token", "team_id", "action_secret", "previous_action_secrets",
                "action_token_ttl", "channel_name", "private", "responders", "announce_channel_id",
                "command_tokens", "user_cache_ttl"},
               {"token", "action_secret", "previous_action_secrets", "command_tokens"});
  assign(out.url, w.url(*node, "mattermost", "url", true));
  assign(out.token, w.secret(*node, "mattermost", "token", true));
  assign(out.team_id, w.text(*node, "mattermost", "team_id", true));
  assign(out.action_secret, w.secret(*node, "mattermost", "action_secret", true));
  assign(out.previous_action_secrets,
         w.secrets(*node, "mattermost", "previous_action_secrets", false));
  assign(out.action_token_ttl, w.duration(*node, "mattermost", "action_token_ttl"));
  assign(out.user_cache_ttl, w.duration(*node, "mattermost", "user_cache_ttl"));
  if (auto pattern = w.text(*node, "mattermost", "channel_name", false)) {
    if (detail::valid_channel_template(*pattern))
      out.channel_name = *pattern;
    else
      w.report("mattermost.channel_name",
               "may only use the placeholders {number} {title} {service} {urgency} {id}");
  }
  assign(out.private_channels, w.boolean(*node, "mattermost", "private"));
  assign(out.responders, w.strings(*node, "mattermost", "responders"));
  assign(out.announce_channel_id, w.text(*node, "mattermost", "announce_channel_id", false));
  assign(out.command_tokens, w.secrets(*node, "mattermost", "command_tokens", false));
}

void read_jira(walker& w, const YAML::Node& root, jira_config& out) {
  const auto node = w.section(root, "jira", true);
  if (!node) return;
  w.check_keys(
      *node, "jira",
      {"url", "api_version", "auth", "email", "token", "project_key", "issue_type", "priority_map"},
      {"token"});
  assign(out.url, w.url(*node, "jira", "url", true));
  if (auto version = w.integer(*node, "jira", "api_version", 2, 3))
    out.api_version = static_cast<int>(*version);
  if (auto auth = w.text(*node, "jira", "auth", false)) {
    if (*auth == "basic" || *auth == "bearer")
      out.auth = *auth;
    else
      w.report("jira.auth", "must be basic (email + API token) or bearer (personal access token)");
  }
  assign(out.email, w.text(*node, "jira", "email", false));
  if (out.auth == "basic" && !looks_like_email(out.email))
    w.report("jira.email", "is required for basic auth and must be an email address");
  assign(out.token, w.secret(*node, "jira", "token", true));
  assign(out.project_key, w.text(*node, "jira", "project_key", true));
  assign(out.issue_type, w.text(*node, "jira", "issue_type", true));
  assign(out.priority_map, detail::read_priority_map(w, *node, "jira"));
}

}  // namespace

load_result parse_config(std::string_view yaml_text, const environment& env) {
  std::vector<problem> problems;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    // yaml-cpp reports syntax errors as exceptions; they carry line/column but no values.
    problems.push_back({"", "YAML syntax error at line " + std::to_string(e.mark.line + 1) +
                                ", column " + std::to_string(e.mark.column + 1)});
    return problems;
  }
  if (!root.IsMap()) {
    problems.push_back({"", "the config must be a YAML mapping"});
    return problems;
  }
  walker w(env, problems);
  config out;
  w.check_keys(root, "",
               {"server", "store", "log", "outbound", "pagerduty", "mattermost", "jira",
                "reminders", "archive", "routes"});
  read_server(w, root, out.server);
  read_store_and_log(w, root, out);
  read_outbound(w, root, out.outbound);
  read_pagerduty(w, root, out.pagerduty);
  read_mattermost(w, root, out.mattermost);
  read_jira(w, root, out.jira);
  detail::read_life_cycle(w, root, out);
  detail::read_routes(w, root, out.routes);
  if (!problems.empty()) return problems;
  return out;
}

load_result load_config_file(const std::string& path, const environment& env) {
  const auto text = env.read_file ? env.read_file(path) : std::nullopt;
  if (!text) return std::vector<problem>{{"", "cannot read config file " + path}};
  return parse_config(*text, env);
}

std::string describe(const std::vector<problem>& problems) {
  std::string out;
  for (const auto& p : problems)
    out += (p.path.empty() ? std::string("config") : p.path) + ": " + p.message + "\n";
  return out;
}

}  // namespace warroom::config
