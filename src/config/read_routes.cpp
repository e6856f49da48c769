#include "read_routes.hpp"

#include <regex>
#include <set>

#include <warroom/config/routing.hpp>

namespace warroom::config::detail {
namespace {

/// A non-empty list at `key`, or nullopt when absent; an empty list is a problem (it would match
/// nothing, which is never what was meant).
std::optional<std::vector<std::string>> non_empty_list(walker& w, const YAML::Node& map,
                                                       const std::string& path,
                                                       std::string_view key) {
  auto values = w.strings(map, path, key);
  if (values && values->empty()) {
    w.report(join(path, key), "must not be empty (leave the key out to match any value)");
    return std::nullopt;
  }
  return values;
}

std::optional<route_match> read_match(walker& w, const YAML::Node& entry, const std::string& path) {
  const YAML::Node node = entry["match"];
  if (!node) return route_match{};  // no `match`: a deliberate catch-all
  const auto key_path = join(path, "match");
  if (node.IsNull() || (node.IsMap() && node.size() == 0)) {
    w.report(key_path, "is empty: give at least one condition, or leave match out for a catch-all");
    return std::nullopt;
  }
  if (!node.IsMap()) {
    w.report(key_path, "must be a mapping");
    return std::nullopt;
  }
  w.check_keys(node, key_path,
               {"service_ids", "service_names", "team_ids", "urgency", "priorities"});
  route_match m;
  const auto before = w.problem_count();
  if (auto v = non_empty_list(w, node, key_path, "service_ids")) m.service_ids = std::move(*v);
  if (auto v = non_empty_list(w, node, key_path, "service_names")) m.service_names = std::move(*v);
  if (auto v = non_empty_list(w, node, key_path, "team_ids")) m.team_ids = std::move(*v);
  if (auto v = non_empty_list(w, node, key_path, "priorities")) m.priorities = std::move(*v);
  if (auto urgency = w.text(node, key_path, "urgency", false)) {
    if (*urgency == "high" || *urgency == "low")
      m.urgency = *urgency;
    else
      w.report(join(key_path, "urgency"), "must be high or low");
  }
  if (w.problem_count() != before) return std::nullopt;
  return m;
}

void read_mattermost_overrides(walker& w, const YAML::Node& entry, const std::string& path,
                               route_overrides& out) {
  const auto key_path = join(path, "mattermost");
  const auto node = w.section(entry, key_path, false);
  if (!node) return;
  w.check_keys(*node, key_path,
               {"team_id", "channel_name", "private", "responders", "announce_channel_id"});
  out.team_id = w.text(*node, key_path, "team_id", false);
  if (out.team_id && out.team_id->empty()) w.report(join(key_path, "team_id"), "must not be empty");
  out.channel_name = w.text(*node, key_path, "channel_name", false);
  if (out.channel_name && !valid_channel_template(*out.channel_name)) {
    w.report(join(key_path, "channel_name"),
             "may only use the placeholders {number} {title} {service} {urgency} {id}");
  }
  out.private_channels = w.boolean(*node, key_path, "private");
  out.responders = w.strings(*node, key_path, "responders");
  out.announce_channel_id = w.text(*node, key_path, "announce_channel_id", false);
}

void read_jira_overrides(walker& w, const YAML::Node& entry, const std::string& path,
                         route_overrides& out) {
  const auto key_path = join(path, "jira");
  const YAML::Node node = entry["jira"];
  if (!node || node.IsNull()) return;
  if (node.IsScalar()) {
    if (node.Scalar() == "false")
      out.jira_enabled = false;
    else if (node.Scalar() != "true")
      w.report(key_path, "must be false (no Jira issue) or a mapping");
    return;
  }
  if (!node.IsMap()) {
    w.report(key_path, "must be false (no Jira issue) or a mapping");
    return;
  }
  w.check_keys(node, key_path, {"project_key", "issue_type", "priority_map"});
  out.project_key = w.text(node, key_path, "project_key", false);
  out.issue_type = w.text(node, key_path, "issue_type", false);
  for (const auto* key : {"project_key", "issue_type"}) {
    const auto& value = std::string_view(key) == "project_key" ? out.project_key : out.issue_type;
    if (value && value->empty()) w.report(join(key_path, key), "must not be empty");
  }
  out.priority_map = read_priority_map(w, node, key_path);
}

/// The route's name: required, unique, usable as a metric label, and not the reserved default.
void check_name(walker& w, const std::string& path, const std::optional<std::string>& name,
                std::set<std::string>& seen) {
  static const std::regex label(R"([A-Za-z0-9][A-Za-z0-9_.-]{0,62})");
  if (!name) return;  // "is required" already reported
  const auto key_path = join(path, "name");
  if (!std::regex_match(*name, label))
    w.report(key_path, "must be 1-63 letters, digits, '_', '.' or '-'");
  else if (*name == default_route_name)
    w.report(key_path, "\"default\" is reserved for incidents that no route matches");
  else if (!seen.insert(*name).second)
    w.report(key_path, "duplicate route name " + *name);
}

}  // namespace

void read_routes(walker& w, const YAML::Node& root, std::vector<route>& out) {
  const YAML::Node node = root["routes"];
  if (!node || node.IsNull()) return;
  if (!node.IsSequence()) {
    w.report("routes", "must be a list of routes");
    return;
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string path = "routes[" + std::to_string(i) + "]";
    const YAML::Node entry = node[i];
    if (!entry.IsMap()) {
      w.report(path, "must be a mapping with name and match");
      continue;
    }
    w.check_keys(entry, path, {"name", "match", "mattermost", "jira"});
    route r;
    const auto name = w.text(entry, path, "name", true);
    check_name(w, path, name, seen);
    if (name) r.name = *name;
    auto match = read_match(w, entry, path);
    read_mattermost_overrides(w, entry, path, r.overrides);
    read_jira_overrides(w, entry, path, r.overrides);
    if (!match) continue;
    r.match = std::move(*match);
    for (std::size_t j = 0; j < out.size(); ++j) {
      if (!covers(out[j].match, r.match)) continue;
      w.report(path, "is unreachable: routes[" + std::to_string(j) + "] (" + out[j].name +
                         ") before it matches every incident this route matches");
      break;
    }
    out.push_back(std::move(r));
  }
}

void read_life_cycle(walker& w, const YAML::Node& root, config& out) {
  if (const auto node = w.section(root, "reminders", false)) {
    w.check_keys(*node, "reminders", {"unacknowledged_after", "repeat_every", "max"});
    if (auto d = w.duration(*node, "reminders", "unacknowledged_after"))
      out.reminders.unacknowledged_after = *d;
    if (auto d = w.duration(*node, "reminders", "repeat_every")) out.reminders.repeat_every = *d;
    if (auto max = w.integer(*node, "reminders", "max", 1, 100))
      out.reminders.max = static_cast<int>(*max);
    if (out.reminders.unacknowledged_after.count() > 0 && out.reminders.max > 1 &&
        out.reminders.repeat_every.count() <= 0)
      w.report("reminders.repeat_every", "must be more than 0s when max is above 1");
  }
  if (const auto node = w.section(root, "archive", false)) {
    w.check_keys(*node, "archive", {"after_resolved"});
    if (auto d = w.duration(*node, "archive", "after_resolved")) out.archive.after_resolved = *d;
  }
}

}  // namespace warroom::config::detail
