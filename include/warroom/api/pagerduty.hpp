// PagerDuty REST API v2: request builders (values in, http_call out) and reply readers
// (http_reply in, result out) for the calls warroom makes (NOTES §2). Pure functions,
// thread-safe; nothing here does I/O. Readers never throw, whatever the body holds.
//
// A failed reply becomes an error whose code is "pagerduty_<error.code>" when the body carries
// PagerDuty's error object and "http_<status>" otherwise (e.g. a 429 without body); the message
// is PagerDuty's own text (error.message, then errors[]). The token never reaches an error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <warroom/api/http_call.hpp>
#include <warroom/util/result.hpp>
#include <warroom/util/secret.hpp>
#include <warroom/util/url.hpp>

namespace warroom::api {

/// Where and as whom to call PagerDuty: `base` is api_url (path prefix kept), `token` the REST
/// API key sent as "Authorization: Token token=<token>".
struct pagerduty_endpoint {
  util::url base;
  util::secret token;
};

/// The two status changes warroom makes; reopening is never done from here.
enum class pagerduty_status_change { acknowledged, resolved };

struct pagerduty_user {
  std::string id;
  std::string name;
  std::string email;
};

struct pagerduty_reference {
  std::string id;
  std::string summary;  // the display name PagerDuty puts in references
};

struct pagerduty_incident {
  std::string id;
  std::string status;  // triggered | acknowledged | resolved
  std::int64_t number = 0;
  std::string title;
  std::vector<pagerduty_reference> assignees;
  std::string escalation_policy_id;
  std::string urgency;                  // high | low
  std::optional<std::string> priority;  // summary such as "P1"; absent when unset
  std::string html_url;
};

/// One on-call row. A user appears once per (schedule, level) they are on call for.
struct pagerduty_oncall {
  std::string user_id;
  std::string name;                  // user name (expanded) or reference summary
  std::optional<std::string> email;  // present when include[]=users expanded the user
  std::int64_t escalation_level = 0;
};

struct pagerduty_oncall_page {
  std::vector<pagerduty_oncall> entries;
  bool more = false;
  std::int64_t next_offset = 0;  // offset for the next call when `more`
};

/// PUT /incidents/{id} with `From: from_email`. `resolution` is sent only with resolved.
http_call update_incident_status(const pagerduty_endpoint& ep, std::string_view incident_id,
                                 pagerduty_status_change status, std::string_view from_email,
                                 std::optional<std::string_view> resolution = std::nullopt);
/// The incident's status after the update.
result<std::string> read_incident_status(const http_reply& reply);
/// Error 1001 / 1002: the incident already had the wanted (or a later) status. Callers of
/// update_incident_status treat both as success.
bool is_already_resolved(const error& err);
bool is_already_acknowledged(const error& err);

/// POST /incidents/{id}/notes with `From: from_email`.
http_call add_incident_note(const pagerduty_endpoint& ep, std::string_view incident_id,
                            std::string_view from_email, std::string_view content);
/// The new note's id (200 per the spec; 201 accepted too).
result<std::string> read_incident_note(const http_reply& reply);

struct pagerduty_note {
  std::string id;
  std::string content;
};

/// GET /incidents/{id}/notes: every note at once (the spec pages nothing; 2000 at most).
http_call list_incident_notes(const pagerduty_endpoint& ep, std::string_view incident_id);
result<std::vector<pagerduty_note>> read_incident_notes(const http_reply& reply);
/// The id of the first note whose content contains `marker`, or nullopt.
std::optional<std::string> find_note_with(const std::vector<pagerduty_note>& notes,
                                          std::string_view marker);

/// GET /oncalls for one escalation policy, users expanded, earliest entry per user and level.
http_call list_oncalls(const pagerduty_endpoint& ep, std::string_view escalation_policy_id,
                       std::int64_t offset, std::int64_t limit);
result<pagerduty_oncall_page> read_oncalls(const http_reply& reply);

/// GET /users/{id}.
http_call get_user(const pagerduty_endpoint& ep, std::string_view user_id);
result<pagerduty_user> read_pagerduty_user(const http_reply& reply);

/// GET /users?query=<email>: PagerDuty matches names and emails loosely.
http_call find_user_by_email(const pagerduty_endpoint& ep, std::string_view email);
/// The user whose email equals `email` (ASCII case-insensitive), or nullopt when none does.
result<std::optional<pagerduty_user>> read_user_by_email(const http_reply& reply,
                                                         std::string_view email);

/// GET /incidents/{id}.
http_call get_incident(const pagerduty_endpoint& ep, std::string_view incident_id);
result<pagerduty_incident> read_incident(const http_reply& reply);

// Chat commands (`/incident`): declare, priority, responder requests, service lookup.

/// POST /incidents as `from_email` on `service_id`; `incident_key` makes a retried request for
/// the same command land on the same incident (PagerDuty refuses a second open one). No `body`:
/// the schema types body.details as an object while PagerDuty's own example sends a string.
http_call create_incident(const pagerduty_endpoint& ep, std::string_view from_email,
                          std::string_view title, std::string_view service_id,
                          std::string_view incident_key);
/// 400 naming the incident key: an earlier attempt already created the incident.
bool is_duplicate_incident_key(const error& err);

/// PUT /incidents/{id} setting the priority (by id), as `from_email`.
http_call set_incident_priority(const pagerduty_endpoint& ep, std::string_view incident_id,
                                std::string_view priority_id, std::string_view from_email);

/// GET /priorities (one page of 100: accounts have a handful).
http_call list_priorities(const pagerduty_endpoint& ep);
/// Each priority's id and name (`summary` holds the name).
result<std::vector<pagerduty_reference>> read_priorities(const http_reply& reply);

/// POST /incidents/{id}/responder_requests: `requester_id` asks `target_user_id` to help.
http_call create_responder_request(const pagerduty_endpoint& ep, std::string_view incident_id,
                                   std::string_view from_email, std::string_view requester_id,
                                   std::string_view target_user_id, std::string_view message);
/// Any 2xx.
result<void> read_pagerduty_ok(const http_reply& reply);

/// GET /services?query=<name>.
http_call find_services(const pagerduty_endpoint& ep, std::string_view name);
/// The services of the reply (id, name in `summary`).
result<std::vector<pagerduty_reference>> read_services(const http_reply& reply);

/// The error a failed PagerDuty reply stands for (see the header comment).
error pagerduty_error(const http_reply& reply);

}  // namespace warroom::api
