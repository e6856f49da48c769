// pagerduty_event: the PagerDuty Webhooks V3 envelope (NOTES §1.2-1.4) read into plain values.
// Pure and thread-safe. Parsing is tolerant: unknown fields, nulls and values of the wrong type
// read as absent; only a body that is not a V3 envelope at all is an error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <warroom/util/result.hpp>

namespace warroom::webhook {

/// What happened, from event.event_type. Types we do not act on are `other`.
enum class event_kind {
  triggered,
  acknowledged,
  unacknowledged,
  resolved,
  reopened,
  reassigned,
  escalated,
  delegated,
  priority_updated,
  annotated,
  ping,
  other,
};

event_kind classify(std::string_view event_type) noexcept;
/// The event_type suffix ("triggered", "ping", ...); "other" for other.
std::string_view to_string(event_kind kind) noexcept;

/// A PagerDuty reference object (user, service, escalation policy, team, priority).
struct pd_reference {
  std::string id;
  std::string summary;
};

/// event.agent: who caused the event (absent for automation).
struct pd_agent {
  std::string id;
  std::string type;  // user_reference, inbound_integration_reference, ...
  std::string summary;
};

struct pd_conference_bridge {
  std::string number;  // PagerDuty sends a string, go-pagerduty's fixture an integer
  std::string url;
};

/// data of data.type "incident".
struct pd_incident {
  std::string id;
  std::int64_t number = 0;
  std::string title;
  std::string status;
  std::string urgency;
  std::string html_url;
  std::string self;
  std::string incident_key;
  std::string created_at;
  pd_reference service;
  pd_reference escalation_policy;
  std::vector<pd_reference> assignees;
  std::vector<pd_reference> teams;
  std::optional<pd_reference> priority;
  std::optional<pd_conference_bridge> conference_bridge;
  std::string resolve_reason;  // a string, or the `type` of a resolve-reason object
};

/// data of data.type "incident_note" (incident.annotated).
struct pd_note {
  std::string id;
  std::string content;
  std::string incident_id;
  std::string incident_html_url;
  std::string incident_summary;
};

struct pagerduty_event {
  std::string id;
  std::string event_type;
  event_kind kind = event_kind::other;
  std::string resource_type;
  std::string occurred_at;
  std::optional<pd_agent> agent;
  std::string data_type;
  std::optional<pd_incident> incident;  // set when data_type == "incident"
  std::optional<pd_note> note;          // set when data_type == "incident_note"
  /// For other data types of an `incident.*` event: data.incident.id, else data.id; may be empty.
  std::string other_incident_id;
};

/// Parses a raw webhook body. Errors: malformed_json (not JSON, or nested deeper than
/// max_json_depth), bad_envelope (no event object, no event.id / event_type string, data not an
/// object, incident data without an id); messages name the problem, never echo the body.
result<pagerduty_event> parse_pagerduty_event(std::string_view raw_body);

/// The incident an event concerns (jobs are keyed by it); empty when there is none (ping, service).
std::string incident_id_of(const pagerduty_event& event);

}  // namespace warroom::webhook
