// pd::model's renderings of incidents and notes, in the REST shape (the Incident and IncidentNote
// schemas of the spec) and the webhook shape (NOTES §1.4, the captured V3 payloads).
#include "pagerduty_model.hpp"

namespace warroom::sim::pd {

using nlohmann::json;

json model::incident_json(const incident& inc) const {
  json j = reference("incident", inc.id, "[#" + std::to_string(inc.number) + "] " + inc.title);
  j["type"] = "incident";
  json assignments = json::array();
  for (const auto& id : inc.assignee_ids)
    assignments.push_back(
        {{"at", iso_time(inc.last_status_change_ms)}, {"assignee", user_ref(id)}});
  json acks = json::array();
  for (const auto& [id, at] : inc.acknowledgements)
    acks.push_back({{"at", iso_time(at)}, {"acknowledger", user_ref(id)}});
  j.update({{"incident_number", inc.number},
            {"title", inc.title},
            {"created_at", iso_time(inc.created_ms)},
            {"updated_at", iso_time(inc.updated_ms)},
            {"status", inc.status},
            {"incident_key", inc.incident_key},
            {"service", service_ref(inc.service_id)},
            {"assignments", std::move(assignments)},
            {"assigned_via", "escalation_policy"},
            {"last_status_change_at", iso_time(inc.last_status_change_ms)},
            {"last_status_change_by", inc.last_status_change_by.empty()
                                          ? service_ref(inc.service_id)
                                          : user_ref(inc.last_status_change_by)},
            {"resolved_at", inc.resolved_ms ? json(iso_time(*inc.resolved_ms)) : json(nullptr)},
            {"alert_counts", {{"all", 0}, {"triggered", 0}, {"resolved", 0}}},
            {"is_mergeable", true},
            {"incident_type", {{"name", "incident_default"}}},
            {"escalation_policy", policy_ref(inc.policy_id)},
            {"teams", teams_of(inc.service_id)},
            {"pending_actions", json::array()},
            {"acknowledgements", std::move(acks)},
            {"priority", priority_ref(inc.priority_id)},
            {"resolve_reason", nullptr},
            {"conference_bridge", nullptr},
            {"incidents_responders", json::array()},
            {"responder_requests", json::array()},
            {"urgency", inc.urgency}});
  return j;
}

json model::incident_event_data(const incident& inc) const {
  json assignees = json::array();
  for (const auto& id : inc.assignee_ids)
    assignees.push_back(user_ref(id));
  json j = reference("incident", inc.id, inc.title);
  j.erase("summary");  // webhook incident data carries title, not summary (captured payloads)
  j["type"] = "incident";
  j.update({{"number", inc.number},
            {"status", inc.status},
            {"incident_key", inc.incident_key},
            {"created_at", iso_time(inc.created_ms)},
            {"title", inc.title},
            {"service", service_ref(inc.service_id)},
            {"assignees", std::move(assignees)},
            {"escalation_policy", policy_ref(inc.policy_id)},
            {"teams", teams_of(inc.service_id)},
            {"priority", priority_ref(inc.priority_id)},
            {"urgency", inc.urgency},
            {"conference_bridge", nullptr},
            {"resolve_reason", nullptr},
            {"incident_type", {{"name", "incident_default"}}}});
  return j;
}

json model::note_json(const note& n) const {
  return {{"id", n.id},
          {"user", user_ref(n.user_id)},
          {"channel", {{"summary", "The PagerDuty website or APIs"}}},
          {"content", n.content},
          {"created_at", iso_time(n.created_ms)},
          {"updated_at", iso_time(n.created_ms)}};
}

json model::note_event_data(const incident& inc, const note& n) const {
  return {{"incident", reference("incident", inc.id, inc.title)},
          {"id", n.id},
          {"content", n.content},
          {"trimmed", false},
          {"type", "incident_note"}};
}

}  // namespace warroom::sim::pd
