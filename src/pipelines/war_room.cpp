#include <nlohmann/json.hpp>

#include <warroom/pipelines/war_room.hpp>

namespace warroom::pipelines {
namespace {

std::string text_of(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> strings_of(const nlohmann::json& j, const char* key) {
  std::vector<std::string> out;
  if (const auto it = j.find(key); it != j.end() && it->is_array())
    for (const auto& item : *it)
      if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

nlohmann::json settings_json(const config::room_settings& s) {
  return {{"name", s.route},
          {"team_id", s.team_id},
          {"channel_name", s.channel_name},
          {"private", s.private_channels},
          {"responders", s.responders},
          {"announce_channel_id", s.announce_channel_id},
          {"jira", s.jira_enabled},
          {"project_key", s.project_key},
          {"issue_type", s.issue_type},
          {"priority_map", s.priority_map}};
}

std::optional<config::room_settings> settings_of_json(const nlohmann::json& extra) {
  const auto it = extra.find("route");
  if (it == extra.end() || !it->is_object()) return std::nullopt;
  const auto& j = *it;
  config::room_settings s;
  s.route = text_of(j, "name");
  s.team_id = text_of(j, "team_id");
  s.channel_name = text_of(j, "channel_name");
  s.private_channels = j.value("private", false);
  s.responders = strings_of(j, "responders");
  s.announce_channel_id = text_of(j, "announce_channel_id");
  s.jira_enabled = j.value("jira", true);
  s.project_key = text_of(j, "project_key");
  s.issue_type = text_of(j, "issue_type");
  if (const auto map = j.find("priority_map"); map != j.end() && map->is_object())
    for (const auto& [key, value] : map->items())
      if (value.is_string()) s.priority_map[key] = value.get<std::string>();
  return s;
}

}  // namespace

nlohmann::json route_json(const war_room& room) {
  return room.settings ? settings_json(*room.settings) : nlohmann::json(nullptr);
}

war_room decode_war_room(const store::incident_record& record) {
  war_room room;
  auto& inc = room.incident;
  inc.id = record.id;
  inc.number = static_cast<int>(record.number);
  inc.title = record.title;
  inc.status = record.status;
  inc.created_at_ms = record.created_at_ms;
  inc.acknowledged_at_ms = record.acked_at_ms;
  inc.resolved_at_ms = record.resolved_at_ms;
  room.channel_id = record.channel_id;
  room.channel_name = record.channel_name;
  room.post_id = record.post_id;
  room.jira_key = record.jira_key;
  room.card_generation = record.card_generation;

  const auto extra = nlohmann::json::parse(record.extra_json, nullptr, false);
  if (!extra.is_object()) return room;
  inc.urgency = text_of(extra, "urgency");
  inc.priority = text_of(extra, "priority");
  inc.html_url = text_of(extra, "html_url");
  inc.service_name = text_of(extra, "service_name");
  inc.escalation_policy_id = text_of(extra, "escalation_policy_id");
  inc.assignee_ids = strings_of(extra, "assignee_ids");
  room.jira_url = text_of(extra, "jira_url");
  room.acknowledged_by = text_of(extra, "acknowledged_by");
  room.resolved_by = text_of(extra, "resolved_by");
  room.settings = settings_of_json(extra);
  return room;
}

store::incident_record encode_war_room(const war_room& room, std::int64_t now_ms) {
  store::incident_record record;
  const auto& inc = room.incident;
  record.id = inc.id;
  record.number = inc.number;
  record.title = inc.title;
  record.status = inc.status;
  record.channel_id = room.channel_id;
  record.channel_name = room.channel_name;
  record.post_id = room.post_id;
  record.jira_key = room.jira_key;
  record.card_generation = room.card_generation;
  record.created_at_ms = inc.created_at_ms;
  record.acked_at_ms = inc.acknowledged_at_ms;
  record.resolved_at_ms = inc.resolved_at_ms;
  nlohmann::json extra = {{"urgency", inc.urgency},
                          {"priority", inc.priority},
                          {"html_url", inc.html_url},
                          {"service_name", inc.service_name},
                          {"escalation_policy_id", inc.escalation_policy_id},
                          {"assignee_ids", inc.assignee_ids},
                          {"jira_url", room.jira_url},
                          {"acknowledged_by", room.acknowledged_by},
                          {"resolved_by", room.resolved_by}};
  if (room.settings) extra["route"] = settings_json(*room.settings);
  record.extra_json = extra.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  record.updated_at_ms = now_ms;
  return record;
}

domain::card_input card_input_of(const war_room& room, std::string integration_url) {
  domain::card_input in;
  in.incident = room.incident;
  in.jira_key = room.jira_key;
  in.jira_url = room.jira_url;
  in.integration_url = std::move(integration_url);
  in.acknowledged_by = room.acknowledged_by;
  in.resolved_by = room.resolved_by;
  return in;
}

}  // namespace warroom::pipelines
