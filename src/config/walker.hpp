// Private helper of load.cpp: walks YAML nodes while tracking the key path and collecting problems.
#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include <warroom/config/load.hpp>

namespace warroom::config::detail {

class walker {
 public:
  walker(const environment& env, std::vector<problem>& problems) : env_(env), problems_(problems) {}

  void report(std::string path, std::string message) {
    problems_.push_back({std::move(path), std::move(message)});
  }
  std::size_t problem_count() const { return problems_.size(); }

  /// The child mapping `key` of `parent` (absent → nullopt; not a mapping → problem).
  std::optional<YAML::Node> section(const YAML::Node& parent, const std::string& path,
                                    bool required);

  /// Reports every key of `map` not in `known` (and not a `<secret>_file` sibling of `secrets`).
  void check_keys(const YAML::Node& map, const std::string& path,
                  std::initializer_list<std::string_view> known,
                  std::initializer_list<std::string_view> secrets = {});

  /// A scalar string after ${ENV} substitution; absent → nullopt (problem when required).
  std::optional<std::string> text(const YAML::Node& map, const std::string& path,
                                  std::string_view key, bool required);
  std::optional<long long> integer(const YAML::Node& map, const std::string& path,
                                   std::string_view key, long long min, long long max);
  std::optional<bool> boolean(const YAML::Node& map, const std::string& path, std::string_view key);
  std::optional<std::chrono::milliseconds> duration(const YAML::Node& map, const std::string& path,
                                                    std::string_view key);
  std::optional<util::url> url(const YAML::Node& map, const std::string& path, std::string_view key,
                               bool required);
  std::optional<std::vector<std::string>> strings(const YAML::Node& map, const std::string& path,
                                                  std::string_view key);

  /// `key` or `key_file` (exactly one); the value never reaches a problem message.
  std::optional<util::secret> secret(const YAML::Node& map, const std::string& path,
                                     std::string_view key, bool required);
  /// A list of secrets: `key: [..]` or `key_file` holding one secret per line.
  std::optional<std::vector<util::secret>> secrets(const YAML::Node& map, const std::string& path,
                                                   std::string_view key, bool required);

 private:
  /// How a secret key is given: inline (`content` empty) or as `<key>_file` (its content read).
  struct secret_form {
    std::string file_key;
    std::string file;
    std::optional<std::string> content;
  };
  /// Reports "both given" and unreadable files; nullopt then.
  std::optional<secret_form> secret_form_of(const YAML::Node& map, const std::string& path,
                                            std::string_view key);
  std::optional<std::string> scalar(const YAML::Node& node, const std::string& key_path);

  const environment& env_;
  std::vector<problem>& problems_;
};

/// A channel-name template using only the placeholders {number} {title} {service} {urgency} {id}.
bool valid_channel_template(const std::string& pattern);

/// A `priority_map` mapping (PagerDuty priority or urgency → Jira priority) at `path`; nullopt when
/// absent or wrong (reported).
std::optional<std::map<std::string, std::string>> read_priority_map(walker& w,
                                                                    const YAML::Node& map,
                                                                    const std::string& path);

inline std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

}  // namespace warroom::config::detail
