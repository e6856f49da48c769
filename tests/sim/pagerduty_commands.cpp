// The PagerDuty fake's REST routes for chat commands: POST /incidents (creation as the From
// user, refused while an open incident of the service has the same incident_key), GET
// /priorities, GET /services?query=, POST /incidents/{id}/responder_requests.
#include <algorithm>
#include <cctype>

#include "http_query.hpp"
#include "pagerduty_fake.hpp"

namespace warroom::sim {
namespace {

using nlohmann::json;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

json list_page(const char* key, json rows) {
  const auto size = rows.size();
  return {{key, std::move(rows)}, {"limit", 100},     {"offset", 0},
          {"more", false},        {"total", nullptr}, {"count", size}};
}

}  // namespace

std::optional<pagerduty_fake::pd_result<json>> pagerduty_fake::route_commands(
    const net::request& req, std::int64_t now) {
  const auto parts = split_path(req.path());
  const auto& m = req.method;
  if (parts.size() == 1 && parts[0] == "incidents" && m == "POST") return create_incident(req, now);
  if (parts.size() == 1 && parts[0] == "priorities" && m == "GET") {
    json rows = json::array();
    for (const auto& p : model_.priorities()) {
      json row = model_.reference("priority", p.id, p.name);
      row["type"] = "priority";
      row["name"] = p.name;
      row["description"] = "";
      rows.push_back(std::move(row));
    }
    return list_page("priorities", std::move(rows));
  }
  if (parts.size() == 1 && parts[0] == "services" && m == "GET") {
    const auto needle = lower(query_params(req.query()).first("query").value_or(""));
    json rows = json::array();
    for (const auto& [id, s] : model_.services()) {
      if (lower(s.name).find(needle) == std::string::npos) continue;
      json row = model_.reference("service", id, s.name);
      row["type"] = "service";
      row["name"] = s.name;
      row["escalation_policy"] =
          model_.reference("escalation_policy", s.escalation_policy_id, s.escalation_policy_id);
      rows.push_back(std::move(row));
    }
    return list_page("services", std::move(rows));
  }
  if (parts.size() == 3 && parts[0] == "incidents" && parts[2] == "responder_requests" &&
      m == "POST") {
    pd::incident* inc = model_.find_incident(parts[1]);
    if (!inc) return pd_error{404, 2100, "Not Found", {}};
    return create_responder_request(req, *inc, now);
  }
  return std::nullopt;
}

pagerduty_fake::pd_result<json> pagerduty_fake::create_incident(const net::request& req,
                                                                std::int64_t now) {
  auto agent = acting_user(req);
  if (!agent) return agent.error();
  const auto body = json::parse(req.body, nullptr, false);
  const auto in = body.is_object() ? body.value("incident", json()) : json();
  if (!in.is_object() || in.value("type", json()) != "incident")
    return pd_error{400, 2001, "Invalid Input Provided", {"incident.type must be incident"}};
  const auto service_ref = in.value("service", json());
  if (!service_ref.is_object() || service_ref.value("type", json()) != "service_reference" ||
      !model_.find_service(service_ref.value("id", "")))
    return pd_error{400, 2001, "Invalid Input Provided", {"Service not found"}};
  const std::string key =
      in.value("incident_key", json("")).is_string() ? in.value("incident_key", "") : "";
  if (!key.empty()) {
    for (auto& existing : model_.incidents())
      if (existing.incident_key == key && existing.service_id == service_ref.value("id", "") &&
          existing.status != "resolved")
        return pd_error{400,
                        2001,
                        "Invalid Input Provided",
                        {"Open incident with matching dedup key already exists on this service"}};
  }
  json args = {{"title", in.value("title", json("")).is_string() ? in.value("title", "") : ""},
               {"urgency", in.value("urgency", "high")},
               {"service_id", service_ref.value("id", "")}};
  auto made = trigger(args, *agent, now);
  if (!made) return made.error();
  if (!key.empty()) (*made)->incident_key = key;
  return json{{"incident", model_.incident_json(**made)}};
}

pagerduty_fake::pd_result<json> pagerduty_fake::create_responder_request(const net::request& req,
                                                                         pd::incident& inc,
                                                                         std::int64_t now) {
  const auto body = json::parse(req.body, nullptr, false);
  if (!body.is_object()) return pd_error{400, 2001, "Invalid Input Provided", {"body is not JSON"}};
  const auto* requester = model_.find_user(
      body.value("requester_id", json("")).is_string() ? body.value("requester_id", "") : "");
  const auto message = body.value("message", json());
  const auto targets = body.value("responder_request_targets", json());
  if (!requester || !message.is_string() || !targets.is_array() || targets.empty())
    return pd_error{400,
                    2001,
                    "Invalid Input Provided",
                    {"requester_id, message and responder_request_targets are required"}};
  json rendered = json::array();
  json target_ids = json::array();
  for (const auto& t : targets) {
    const auto target = t.is_object() ? t.value("responder_request_target", json()) : json();
    const auto id = target.is_object() ? target.value("id", json("")) : json("");
    if (!target.is_object() || target.value("type", json()) != "user_reference" ||
        !id.is_string() || !model_.find_user(id.get<std::string>()))
      return pd_error{400, 2001, "Invalid Input Provided", {"responder target not found"}};
    target_ids.push_back(id);
    rendered.push_back(
        {{"responder_request_target",
          {{"type", "user"},
           {"id", id},
           {"incidents_responders",
            json::array({{{"state", "pending"}, {"user", model_.user_ref(id)}}})}}}});
  }
  responder_requests_.push_back({{"incident_id", inc.id},
                                 {"requester_id", requester->id},
                                 {"message", message},
                                 {"target_ids", target_ids},
                                 {"requested_at", pd::iso_time(now)}});
  return json{{"responder_request",
               {{"incident", model_.reference("incident", inc.id, inc.title)},
                {"requester", model_.user_ref(requester->id)},
                {"requested_at", pd::iso_time(now)},
                {"message", message},
                {"responder_request_targets", std::move(rendered)}}}};
}

}  // namespace warroom::sim
