// pagerduty_model: the PagerDuty fake's data (users, escalation policies, services, priorities,
// incidents, notes) and its JSON renderings in PagerDuty's REST and webhook shapes (NOTES §1.4,
// §2; pagerduty/rest-operations-extract.json). Plain values; owned by pagerduty_fake;
// single-threaded.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <warroom/util/result.hpp>

namespace warroom::sim::pd {

struct user {
  std::string id, name, email;
  std::string time_zone = "Etc/UTC";
  std::string role = "user";
};

/// levels[0] holds the user ids on call at escalation level 1, and so on.
struct escalation_policy {
  std::string id, name;
  std::vector<std::vector<std::string>> levels;
};

struct service {
  std::string id, name, escalation_policy_id;
  nlohmann::json teams = nlohmann::json::array();  // team references its incidents carry
};

struct priority {
  std::string id, name;
};

struct note {
  std::string id, user_id, content;
  std::int64_t created_ms = 0;
};

struct incident {
  std::string id;
  std::int64_t number = 0;
  std::string title, status = "triggered", urgency = "high";
  std::string service_id, policy_id, incident_key;
  std::vector<std::string> assignee_ids;
  std::optional<std::string> priority_id;
  std::int64_t created_ms = 0, updated_ms = 0, last_status_change_ms = 0;
  std::optional<std::int64_t> resolved_ms;
  std::string last_status_change_by;                                   // user id; "" for automation
  std::vector<std::pair<std::string, std::int64_t>> acknowledgements;  // user id, when
  std::vector<note> notes;
};

/// "2025-04-07T03:47:13Z", or with milliseconds "2025-04-07T03:47:13.414Z".
std::string iso_time(std::int64_t unix_ms, bool with_millis = false);

class model {
 public:
  /// `web_url` is the account's web address used in html_url fields.
  explicit model(std::string web_url = "https://sim.pagerduty.example");

  /// Adds or replaces (by id) users, escalation_policies, services and priorities; missing ids
  /// are generated. {"reset": true} clears everything first.
  result<void> seed(const nlohmann::json& data);
  nlohmann::json state() const;

  const user* find_user(std::string_view id) const;
  /// Email match is ASCII case-insensitive, as PagerDuty's is.
  const user* find_user_by_email(std::string_view email) const;
  const escalation_policy* find_policy(std::string_view id) const;
  const service* find_service(std::string_view id) const;
  /// By id, or by name ("P1").
  const priority* find_priority(std::string_view id_or_name) const;
  incident* find_incident(std::string_view id);
  const std::map<std::string, escalation_policy>& policies() const { return policies_; }
  const std::map<std::string, service>& services() const { return services_; }
  const std::vector<user>& users() const { return users_; }
  const std::vector<priority>& priorities() const { return priorities_; }
  std::deque<incident>& incidents() { return incidents_; }
  const service& add_service(service fresh) { return services_[fresh.id] = std::move(fresh); }

  /// Creates an incident numbered after the last one.
  incident& add_incident(incident fresh);
  /// A PagerDuty-looking id: `prefix` then `length` characters of [A-Z0-9].
  std::string new_id(char prefix, std::size_t length);

  // Renderings. `kind` is "user", "service", "escalation_policy", "incident", "priority", ...
  nlohmann::json reference(std::string_view kind, const std::string& id,
                           const std::string& summary) const;
  nlohmann::json user_ref(const std::string& user_id) const;
  nlohmann::json user_json(const user& u) const;
  nlohmann::json incident_json(const incident& inc) const;        // REST Incident
  nlohmann::json incident_event_data(const incident& inc) const;  // webhook data.type incident
  nlohmann::json note_json(const note& n) const;                  // REST IncidentNote
  nlohmann::json note_event_data(const incident& inc, const note& n) const;  // incident_note

 private:
  nlohmann::json priority_ref(const std::optional<std::string>& id) const;
  nlohmann::json service_ref(const std::string& id) const;
  /// The teams of a service, as incidents carry them ([] for an unknown service).
  nlohmann::json teams_of(const std::string& service_id) const;
  nlohmann::json policy_ref(const std::string& id) const;

  std::string web_url_;
  std::string api_url_ = "https://api.pagerduty.com";
  std::vector<user> users_;
  std::map<std::string, escalation_policy> policies_;
  std::map<std::string, service> services_;
  std::vector<priority> priorities_;
  std::deque<incident> incidents_;  // deque: references stay valid as incidents are added
  std::mt19937_64 ids_{20240601};   // fixed seed: ids are stable from run to run
};

}  // namespace warroom::sim::pd
