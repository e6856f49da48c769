// Loading and validating the YAML config. Every problem is collected (key path + reason) so an
// operator fixes the file in one pass; no problem text ever contains a secret value.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <warroom/config/config.hpp>
#include <warroom/util/result.hpp>

namespace warroom::config {

struct problem {
  std::string path;     // "pagerduty.token", "server.listen"
  std::string message;  // "is required", "environment variable PD_TOKEN is not set"
  friend bool operator==(const problem&, const problem&) = default;
};

/// Where ${NAME} values and *_file secrets come from; injected so tests need no real environment.
struct environment {
  std::function<std::optional<std::string>(const std::string& name)> variable;
  std::function<std::optional<std::string>(const std::string& path)> read_file;
};

/// The process environment and the real file system.
environment system_environment();

using load_result = result<config, std::vector<problem>>;

/// Parses YAML text. All problems are reported together.
load_result parse_config(std::string_view yaml_text, const environment& env);
/// Reads and parses a file.
load_result load_config_file(const std::string& path, const environment& env);

/// One "path: message" line per problem, for --check and startup errors.
std::string describe(const std::vector<problem>& problems);

/// "${NAME}" substitution ("$$" is a literal "$"). Missing variables are appended to `missing`.
std::string substitute_env(std::string_view text, const environment& env,
                           std::vector<std::string>& missing);

/// "host:port" or "[v6]:port"; host must be an IP literal or "localhost".
std::optional<listen_address> parse_listen_address(std::string_view text);

}  // namespace warroom::config
