#include <algorithm>

#include <warroom/config/routing.hpp>

namespace warroom::config {
namespace {

bool iequal(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool contains(const std::vector<std::string>& list, const std::string& value, bool ignore_case) {
  return std::any_of(list.begin(), list.end(), [&](const std::string& item) {
    return ignore_case ? iequal(item, value) : item == value;
  });
}

/// An empty list accepts anything; otherwise the value must be one of its items.
bool accepts(const std::vector<std::string>& list, const std::string& value, bool ignore_case) {
  return list.empty() || contains(list, value, ignore_case);
}

/// An unconstrained `earlier` field covers anything; otherwise `later` must constrain the field to
/// a subset of `earlier`'s values.
bool field_covers(const std::vector<std::string>& earlier, const std::vector<std::string>& later,
                  bool ignore_case) {
  if (earlier.empty()) return true;
  if (later.empty()) return false;
  return std::all_of(later.begin(), later.end(), [&](const std::string& value) {
    return contains(earlier, value, ignore_case);
  });
}

std::vector<std::string> optional_list(const std::string& value) {
  return value.empty() ? std::vector<std::string>{} : std::vector<std::string>{value};
}

}  // namespace

bool matches(const route_match& match, const route_subject& subject) {
  const bool team_ok =
      match.team_ids.empty() ||
      std::any_of(subject.team_ids.begin(), subject.team_ids.end(),
                  [&](const std::string& team) { return contains(match.team_ids, team, false); });
  return accepts(match.service_ids, subject.service_id, false) &&
         accepts(match.service_names, subject.service_name, true) && team_ok &&
         (match.urgency.empty() || iequal(match.urgency, subject.urgency)) &&
         accepts(match.priorities, subject.priority, true);
}

bool covers(const route_match& earlier, const route_match& later) {
  // team_ids match when the incident has ANY listed team, so a subset still implies a match.
  return field_covers(earlier.service_ids, later.service_ids, false) &&
         field_covers(earlier.service_names, later.service_names, true) &&
         field_covers(earlier.team_ids, later.team_ids, false) &&
         field_covers(optional_list(earlier.urgency), optional_list(later.urgency), true) &&
         field_covers(earlier.priorities, later.priorities, true);
}

const route* choose_route(const std::vector<route>& routes, const route_subject& subject) {
  const auto it = std::find_if(routes.begin(), routes.end(),
                               [&](const route& r) { return matches(r.match, subject); });
  return it == routes.end() ? nullptr : &*it;
}

room_settings default_settings(const config& cfg) {
  room_settings s;
  s.team_id = cfg.mattermost.team_id;
  s.channel_name = cfg.mattermost.channel_name;
  s.private_channels = cfg.mattermost.private_channels;
  s.responders = cfg.mattermost.responders;
  s.announce_channel_id = cfg.mattermost.announce_channel_id;
  s.project_key = cfg.jira.project_key;
  s.issue_type = cfg.jira.issue_type;
  s.priority_map = cfg.jira.priority_map;
  return s;
}

room_settings settings_for(const config& cfg, const route_subject& subject) {
  room_settings s = default_settings(cfg);
  const route* chosen = choose_route(cfg.routes, subject);
  if (chosen == nullptr) return s;
  const auto& o = chosen->overrides;
  s.route = chosen->name;
  if (o.team_id) s.team_id = *o.team_id;
  if (o.channel_name) s.channel_name = *o.channel_name;
  if (o.private_channels) s.private_channels = *o.private_channels;
  if (o.responders) s.responders = *o.responders;
  if (o.announce_channel_id) s.announce_channel_id = *o.announce_channel_id;
  s.jira_enabled = o.jira_enabled;
  if (o.project_key) s.project_key = *o.project_key;
  if (o.issue_type) s.issue_type = *o.issue_type;
  if (o.priority_map) s.priority_map = *o.priority_map;
  return s;
}

}  // namespace warroom::config
