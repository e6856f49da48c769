#include "walker.hpp"

#include <algorithm>
#include <regex>

#include <warroom/config/duration.hpp>

namespace warroom::config::detail {
namespace {

std::string trim_line_end(std::string value) {
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r'))
    value.pop_back();
  return value;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = text.find('\n', start);
    std::string line = trim_line_end(text.substr(start, end - start));
    if (!line.empty()) out.push_back(std::move(line));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

}  // namespace

std::optional<std::string> walker::scalar(const YAML::Node& node, const std::string& key_path) {
  if (!node.IsScalar()) {
    report(key_path, "must be a single value, not a list or mapping");
    return std::nullopt;
  }
  std::vector<std::string> missing;
  std::string value = substitute_env(node.Scalar(), env_, missing);
  for (const auto& name : missing)
    report(key_path, "environment variable " + name + " is not set");
  if (!missing.empty()) return std::nullopt;
  return value;
}

std::optional<YAML::Node> walker::section(const YAML::Node& parent, const std::string& path,
                                          bool required) {
  const auto key = path.substr(path.rfind('.') == std::string::npos ? 0 : path.rfind('.') + 1);
  const YAML::Node node = parent[key];
  if (!node || node.IsNull()) {
    if (required) report(path, "is required");
    return std::nullopt;
  }
  if (!node.IsMap()) {
    report(path, "must be a mapping");
    return std::nullopt;
  }
  return node;
}

void walker::check_keys(const YAML::Node& map, const std::string& path,
                        std::initializer_list<std::string_view> known,
                        std::initializer_list<std::string_view> secret_keys) {
  for (const auto& entry : map) {
    const std::string key = entry.first.as<std::string>("");
    const bool is_known = std::find(known.begin(), known.end(), key) != known.end();
    const bool is_secret_file =
        key.ends_with("_file") && std::find(secret_keys.begin(), secret_keys.end(),
                                            key.substr(0, key.size() - 5)) != secret_keys.end();
    if (!is_known && !is_secret_file) report(join(path, key), "unknown key");
  }
}

std::optional<std::string> walker::text(const YAML::Node& map, const std::string& path,
                                        std::string_view key, bool required) {
  const std::string key_path = join(path, key);
  const YAML::Node node = map[std::string(key)];
  if (!node || node.IsNull()) {
    if (required) report(key_path, "is required");
    return std::nullopt;
  }
  auto value = scalar(node, key_path);
  if (value && value->empty() && required) {
    report(key_path, "must not be empty");
    return std::nullopt;
  }
  return value;
}

std::optional<long long> walker::integer(const YAML::Node& map, const std::string& path,
                                         std::string_view key, long long min, long long max) {
  const auto value = text(map, path, key, false);
  if (!value) return std::nullopt;
  try {
    std::size_t used = 0;
    const long long number = std::stoll(*value, &used);
    if (used == value->size() && number >= min && number <= max) return number;
  } catch (const std::exception&) {
    // Not a number: reported below with the expected range.
  }
  report(join(path, key),
         "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
  return std::nullopt;
}

std::optional<bool> walker::boolean(const YAML::Node& map, const std::string& path,
                                    std::string_view key) {
  const auto value = text(map, path, key, false);
  if (!value) return std::nullopt;
  if (*value == "true") return true;
  if (*value == "false") return false;
  report(join(path, key), "must be true or false");
  return std::nullopt;
}

std::optional<std::chrono::milliseconds> walker::duration(const YAML::Node& map,
                                                          const std::string& path,
                                                          std::string_view key) {
  const auto value = text(map, path, key, false);
  if (!value) return std::nullopt;
  auto parsed = parse_duration(*value);
  if (!parsed) report(join(path, key), "must be a duration such as 500ms, 10s, 5m or 720h");
  return parsed;
}

std::optional<util::url> walker::url(const YAML::Node& map, const std::string& path,
                                     std::string_view key, bool required) {
  const auto value = text(map, path, key, required);
  if (!value) return std::nullopt;
  auto parsed = util::parse_url(*value);
  if (!parsed) {
    report(join(path, key), "is not a valid URL: " + parsed.error().message);
    return std::nullopt;
  }
  return *parsed;
}

std::optional<std::vector<std::string>> walker::strings(const YAML::Node& map,
                                                        const std::string& path,
                                                        std::string_view key) {
  const std::string key_path = join(path, key);
  const YAML::Node node = map[std::string(key)];
  if (!node || node.IsNull()) return std::nullopt;
  if (!node.IsSequence()) {
    report(key_path, "must be a list");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < node.size(); ++i) {
    if (auto value = scalar(node[i], key_path + "[" + std::to_string(i) + "]"))
      out.push_back(std::move(*value));
  }
  return out;
}

std::optional<walker::secret_form> walker::secret_form_of(const YAML::Node& map,
                                                          const std::string& path,
                                                          std::string_view key) {
  secret_form form;
  form.file_key = std::string(key) + "_file";
  const bool has_inline = map[std::string(key)] && !map[std::string(key)].IsNull();
  const bool has_file = map[form.file_key] && !map[form.file_key].IsNull();
  if (has_inline && has_file) {
    report(join(path, key),
           "give either " + std::string(key) + " or " + form.file_key + ", not both");
    return std::nullopt;
  }
  if (!has_file) return form;
  const auto file = text(map, path, form.file_key, true);
  if (!file) return std::nullopt;
  auto content = env_.read_file ? env_.read_file(*file) : std::nullopt;
  if (!content) {
    report(join(path, form.file_key), "cannot read secret file " + *file);
    return std::nullopt;
  }
  form.file = *file;
  form.content = std::move(*content);
  return form;
}

std::optional<util::secret> walker::secret(const YAML::Node& map, const std::string& path,
                                           std::string_view key, bool required) {
  auto form = secret_form_of(map, path, key);
  if (!form) return std::nullopt;
  if (form->content) {
    std::string value = trim_line_end(std::move(*form->content));
    if (value.empty()) {
      report(join(path, form->file_key), "secret file " + form->file + " is empty");
      return std::nullopt;
    }
    return util::secret(std::move(value));
  }
  auto value = text(map, path, key, required);
  if (!value) return std::nullopt;
  if (value->empty()) {
    if (required) report(join(path, key), "must not be empty");
    return std::nullopt;
  }
  return util::secret(std::move(*value));
}

std::optional<std::vector<util::secret>> walker::secrets(const YAML::Node& map,
                                                         const std::string& path,
                                                         std::string_view key, bool required) {
  auto form = secret_form_of(map, path, key);
  if (!form) return std::nullopt;
  std::vector<util::secret> out;
  if (form->content) {
    for (auto& line : lines_of(*form->content))
      out.emplace_back(std::move(line));
  } else if (auto values = strings(map, path, key)) {
    for (auto& value : *values)
      if (!value.empty()) out.emplace_back(std::move(value));
  }
  if (out.empty() && required) {
    report(join(path, key), "needs at least one secret");
    return std::nullopt;
  }
  return out;
}

bool valid_channel_template(const std::string& pattern) {
  static const std::regex placeholders(R"(([^{}]|\{(number|title|service|urgency|id)\})+)");
  return std::regex_match(pattern, placeholders);
}

std::optional<std::map<std::string, std::string>> read_priority_map(walker& w,
                                                                    const YAML::Node& map,
                                                                    const std::string& path) {
  const YAML::Node node = map["priority_map"];
  if (!node || node.IsNull()) return std::nullopt;
  const auto key_path = join(path, "priority_map");
  if (!node.IsMap()) {
    w.report(key_path, "must be a mapping from PagerDuty priority or urgency to Jira priority");
    return std::nullopt;
  }
  std::map<std::string, std::string> out;
  for (const auto& entry : node) {
    const auto key = entry.first.as<std::string>("");
    if (!entry.second.IsScalar() || entry.second.Scalar().empty())
      w.report(join(key_path, key), "must be a Jira priority name");
    else
      out[key] = entry.second.Scalar();
  }
  return out;
}

}  // namespace warroom::config::detail
