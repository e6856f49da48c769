// sim_config: warroom-sim's settings from its command line, the environment and an optional YAML
// file (flags win over the environment, which wins over the file). Also the demo data matching
// config/demo.yaml. Startup code: errors are values listing the offending flag or key.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <warroom/util/result.hpp>

#include "outbound_sender.hpp"

namespace warroom::sim {

struct sim_config {
  bool help = false;
  bool demo = false;
  /// "pagerduty", "mattermost", "jira", "control" → port; 0 picks a free port.
  std::map<std::string, std::uint16_t> ports;
  std::vector<std::string> webhook_urls;
  std::string webhook_secret;
  std::string pagerduty_token, mattermost_token, jira_email, jira_token;
  /// Seeds applied in order: each {"pagerduty": {...}, "mattermost": {...}, "jira": {...}}.
  std::vector<nlohmann::json> seeds;
  nlohmann::json faults = nlohmann::json::object();  // {"pagerduty": [rule, ...], ...}
  sender_options sender;
  std::chrono::milliseconds outbound_timeout{5000};
};

using env_lookup = std::function<std::optional<std::string>(const std::string&)>;

/// Reads `args` (without argv[0]). `--config FILE` is read first wherever it appears.
result<sim_config> load_sim_config(const std::vector<std::string>& args, const env_lookup& env);

/// The text of --help.
std::string sim_usage();

/// Users, escalation policy, service, team, bot and project matching config/demo.yaml.
nlohmann::json demo_seed();

/// YAML (yaml-cpp) as JSON: maps, sequences, and scalars as bool, integer, number or string.
result<nlohmann::json> yaml_file_to_json(const std::string& path);

}  // namespace warroom::sim
