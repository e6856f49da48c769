// routing: which `routes:` entry an incident falls under, and the settings its war room lives with.
// The settings are resolved once, when the war room opens, and stored with it, so a config change
// never moves an open incident. Pure; thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <warroom/config/config.hpp>

namespace warroom::config {

/// The name stored (and used as the metric label) when no route matched.
inline constexpr const char* default_route_name = "default";

/// What a route may match on, read from the PagerDuty incident.
struct route_subject {
  std::string service_id;
  std::string service_name;
  std::vector<std::string> team_ids;
  std::string urgency;   // "high" | "low"
  std::string priority;  // e.g. "P1"; "" when the incident has none
};

/// The effective per-war-room settings: the top-level config with the chosen route's overrides.
struct room_settings {
  std::string route = default_route_name;
  std::string team_id;
  std::string channel_name;
  bool private_channels = false;
  std::vector<std::string> responders;
  std::string announce_channel_id;
  bool jira_enabled = true;  // false: no issue, no remote link, nothing to transition
  std::string project_key;
  std::string issue_type;
  std::map<std::string, std::string> priority_map;
  friend bool operator==(const room_settings&, const room_settings&) = default;
};

/// Every given field matches (ids exactly; names, urgency and priorities ignoring case).
bool matches(const route_match& match, const route_subject& subject);
/// True when every incident `later` matches is matched by `earlier` (so `later` is unreachable).
bool covers(const route_match& earlier, const route_match& later);
/// The first route that matches, or nullptr.
const route* choose_route(const std::vector<route>& routes, const route_subject& subject);

/// The top-level settings (the war room of an unmatched incident, or one opened before routing).
room_settings default_settings(const config& cfg);
/// The settings for an incident: its first matching route applied over the top-level settings.
room_settings settings_for(const config& cfg, const route_subject& subject);

}  // namespace warroom::config
