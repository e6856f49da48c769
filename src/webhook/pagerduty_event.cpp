#include <array>
#include <utility>

#include <warroom/webhook/json_input.hpp>
#include <warroom/webhook/pagerduty_event.hpp>

namespace warroom::webhook {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<std::string_view, event_kind>, 11> event_types{{
    {"incident.triggered", event_kind::triggered},
    {"incident.acknowledged", event_kind::acknowledged},
    {"incident.unacknowledged", event_kind::unacknowledged},
    {"incident.resolved", event_kind::resolved},
    {"incident.reopened", event_kind::reopened},
    {"incident.reassigned", event_kind::reassigned},
    {"incident.escalated", event_kind::escalated},
    {"incident.delegated", event_kind::delegated},
    {"incident.priority_updated", event_kind::priority_updated},
    {"incident.annotated", event_kind::annotated},
    {"pagey.ping", event_kind::ping},
}};

constexpr std::pair<std::string pd_incident::*, std::string_view> incident_string_fields[] = {
    {&pd_incident::id, "id"},
    {&pd_incident::title, "title"},
    {&pd_incident::status, "status"},
    {&pd_incident::urgency, "urgency"},
    {&pd_incident::html_url, "html_url"},
    {&pd_incident::self, "self"},
    {&pd_incident::incident_key, "incident_key"},
    {&pd_incident::created_at, "created_at"},
};

std::optional<pd_reference> read_reference(const json& parent, std::string_view key) {
  const auto* object = object_field(parent, key);
  if (object == nullptr) return std::nullopt;
  return pd_reference{string_field(*object, "id"), string_field(*object, "summary")};
}

std::vector<pd_reference> read_references(const json& parent, std::string_view key) {
  std::vector<pd_reference> out;
  const auto* array = array_field(parent, key);
  if (array == nullptr) return out;
  out.reserve(array->size());
  for (const auto& item : *array) {
    if (item.is_object()) out.push_back({string_field(item, "id"), string_field(item, "summary")});
  }
  return out;
}

std::optional<pd_conference_bridge> read_conference_bridge(const json& data) {
  const auto* bridge = object_field(data, "conference_bridge");
  if (bridge == nullptr) return std::nullopt;
  pd_conference_bridge out;
  if (auto number = optional_string_field(*bridge, "conference_number")) {
    out.number = std::move(*number);
  } else if (auto integer = integer_field(*bridge, "conference_number")) {
    out.number = std::to_string(*integer);
  }
  out.url = string_field(*bridge, "conference_url");
  return out;
}

std::string read_resolve_reason(const json& data) {
  if (auto reason = optional_string_field(data, "resolve_reason")) return std::move(*reason);
  // The REST API shape: {"type": "merge_resolve_reason", "incident": {...}}.
  if (const auto* object = object_field(data, "resolve_reason"))
    return string_field(*object, "type");
  return {};
}

pd_incident read_incident(const json& data) {
  pd_incident out;
  for (const auto& [member, key] : incident_string_fields)
    out.*member = string_field(data, key);
  out.number = integer_field(data, "number").value_or(0);
  out.service = read_reference(data, "service").value_or(pd_reference{});
  out.escalation_policy = read_reference(data, "escalation_policy").value_or(pd_reference{});
  out.assignees = read_references(data, "assignees");
  out.teams = read_references(data, "teams");
  out.priority = read_reference(data, "priority");
  out.conference_bridge = read_conference_bridge(data);
  out.resolve_reason = read_resolve_reason(data);
  return out;
}

pd_note read_note(const json& data) {
  pd_note out;
  out.id = string_field(data, "id");
  out.content = string_field(data, "content");
  if (const auto* incident = object_field(data, "incident")) {
    out.incident_id = string_field(*incident, "id");
    out.incident_html_url = string_field(*incident, "html_url");
    out.incident_summary = string_field(*incident, "summary");
  }
  return out;
}

std::optional<pd_agent> read_agent(const json& event) {
  const auto* agent = object_field(event, "agent");
  if (agent == nullptr) return std::nullopt;
  return pd_agent{string_field(*agent, "id"), string_field(*agent, "type"),
                  string_field(*agent, "summary")};
}

std::string read_other_incident_id(const json& data) {
  if (const auto* incident = object_field(data, "incident")) {
    if (auto id = optional_string_field(*incident, "id")) return std::move(*id);
  }
  return string_field(data, "id");
}

error envelope_error(std::string_view what) {
  return make_error(errc::bad_envelope, "not a PagerDuty V3 webhook: " + std::string(what));
}

// Fills the data-dependent part of `out`; an error when incident data lacks its id.
result<void> read_data(const json& data, pagerduty_event& out) {
  out.data_type = string_field(data, "type");
  if (out.data_type == "incident") {
    out.incident = read_incident(data);
    if (out.incident->id.empty()) return envelope_error("incident data has no string \"id\"");
  } else if (out.data_type == "incident_note") {
    out.note = read_note(data);
  } else if (out.event_type.starts_with("incident.")) {
    out.other_incident_id = read_other_incident_id(data);
  }
  return {};
}

}  // namespace

event_kind classify(std::string_view event_type) noexcept {
  for (const auto& [name, kind] : event_types) {
    if (name == event_type) return kind;
  }
  return event_kind::other;
}

std::string_view to_string(event_kind kind) noexcept {
  for (const auto& [name, k] : event_types) {
    if (k == kind) return name.substr(name.find('.') + 1);
  }
  return "other";
}

result<pagerduty_event> parse_pagerduty_event(std::string_view raw_body) {
  auto parsed = parse_json_body(raw_body);
  if (!parsed) return std::move(parsed).error();
  const json& root = *parsed;
  const auto* event = object_field(root, "event");
  if (event == nullptr) return envelope_error("no \"event\" object");

  pagerduty_event out;
  auto id = optional_string_field(*event, "id");
  auto event_type = optional_string_field(*event, "event_type");
  if (!id || id->empty()) return envelope_error("no string \"event.id\"");
  if (!event_type || event_type->empty()) return envelope_error("no string \"event.event_type\"");
  out.id = std::move(*id);
  out.event_type = std::move(*event_type);
  out.kind = classify(out.event_type);
  out.resource_type = string_field(*event, "resource_type");
  out.occurred_at = string_field(*event, "occurred_at");
  out.agent = read_agent(*event);

  const auto* data = object_field(*event, "data");
  if (data == nullptr) return envelope_error("\"event.data\" is not an object");
  if (auto filled = read_data(*data, out); !filled) return filled.error();
  return out;
}

std::string incident_id_of(const pagerduty_event& event) {
  if (event.incident) return event.incident->id;
  if (event.note) return event.note->incident_id;
  return event.other_incident_id;
}

}  // namespace warroom::webhook
