// incident: the incident record as plain values, its status state machine, and the human
// formatting of the durations derived from it. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace warroom::domain {

/// What warroom knows about one PagerDuty incident, as stored between pipeline steps.
struct incident_snapshot {
  std::string id;  // PagerDuty incident id, e.g. "Q2CKYRLH85UNN4"
  int number = 0;
  std::string title;
  std::string status;    // "triggered" | "acknowledged" | "resolved"
  std::string urgency;   // "high" | "low"
  std::string priority;  // e.g. "P1", or "" when none
  std::string html_url;
  std::string service_name;
  std::string escalation_policy_id;
  std::vector<std::string> assignee_ids;
  std::int64_t created_at_ms = 0;  // Unix epoch milliseconds; 0 = not yet
  std::int64_t acknowledged_at_ms = 0;
  std::int64_t resolved_at_ms = 0;

  friend bool operator==(const incident_snapshot&, const incident_snapshot&) = default;
};

enum class incident_status { triggered, acknowledged, resolved };

/// Something that happened to an incident, from a button click or a PagerDuty webhook.
enum class incident_event { trigger, acknowledge, unacknowledge, resolve, reopen };

struct transition_result {
  incident_status status;
  bool changed = false;  // false: a duplicate, an echo of our own change, or out of order
  friend bool operator==(const transition_result&, const transition_result&) = default;
};

/// triggered → acknowledged → resolved (triggered → resolved directly too); acknowledged →
/// triggered on unacknowledge; resolved → triggered on reopen. Anything else leaves the status
/// as it is and reports no change, so duplicates and echoes post nothing.
transition_result transition(incident_status status, incident_event event);

/// "triggered", "acknowledged", "resolved".
std::string_view to_string(incident_status status);
/// "Triggered", "Acknowledged", "Resolved".
std::string_view label(incident_status status);
/// The PagerDuty word (case-insensitive); nullopt for anything else.
std::optional<incident_status> parse_status(std::string_view text);
/// The snapshot's status; an unknown word counts as triggered, the state that offers every action.
incident_status status_of(const incident_snapshot& incident);

/// A duration for humans: "45s", "4m 12s", "1h 03m", "2d 05h" (two units at most, the second
/// zero-padded). Negative durations print as "0s".
std::string format_duration(std::int64_t ms);

/// acknowledged_at - created_at, when both are known.
std::optional<std::int64_t> time_to_acknowledge_ms(const incident_snapshot& incident);
/// resolved_at - created_at, when both are known.
std::optional<std::int64_t> time_to_resolve_ms(const incident_snapshot& incident);

}  // namespace warroom::domain
