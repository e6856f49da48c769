// pagerduty_fake's REST side: header enforcement, routing and the endpoints (NOTES §2).
#include <algorithm>

#include "http_query.hpp"
#include "pagerduty_fake.hpp"

namespace warroom::sim {
namespace {

using nlohmann::json;

constexpr std::string_view accept_v2 = "application/vnd.pagerduty+json;version=2";

pd_error invalid(std::string detail) {
  return pd_error{400, 2001, "Invalid Input Provided", {std::move(detail)}};
}

pd_error not_found() {
  return pd_error{404, 2100, "Not Found", {}};
}

net::response to_response(const pd_error& e) {
  json err = {{"message", e.message}, {"code", e.code}};
  if (!e.errors.empty()) err["errors"] = e.errors;
  return net::json_response(e.status, json{{"error", std::move(err)}}.dump());
}

std::string normalized(std::string_view value) {
  std::string out;
  for (char c : value)
    if (c != ' ') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// Classic pagination (NOTES §2.1): limit defaults to 25 and is capped at 100.
struct page {
  std::size_t limit = 25, offset = 0;
  bool total = false;
};

result<page, pd_error> read_page(const query_params& q) {
  page p;
  for (auto [name, out] : {std::pair{"limit", &p.limit}, std::pair{"offset", &p.offset}}) {
    const auto v = q.first(name);
    if (!v) continue;
    if (v->empty() || !std::all_of(v->begin(), v->end(), ::isdigit))
      return invalid(std::string(name) + " must be a non-negative integer");
    *out = static_cast<std::size_t>(std::stoull(v->substr(0, 9)));
  }
  if (p.limit == 0) p.limit = 25;
  p.limit = std::min<std::size_t>(p.limit, 100);
  p.total = q.first("total") == "true";
  return p;
}

json paginate(const char* key, const json& rows, const page& p) {
  json slice = json::array();
  for (std::size_t i = p.offset; i < rows.size() && i < p.offset + p.limit; ++i)
    slice.push_back(rows[i]);
  return {{key, std::move(slice)},
          {"limit", p.limit},
          {"offset", p.offset},
          {"more", p.offset + p.limit < rows.size()},
          {"total", p.total ? json(rows.size()) : json(nullptr)}};
}

bool has(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

net::response pagerduty_fake::handle(const net::request& req, std::int64_t now_ms) {
  auto answer = route(req, now_ms);
  if (!answer) return to_response(answer.error());
  // createIncident answers 201 (the spec); every other route 200.
  const bool created = req.method == "POST" && split_path(req.path()).size() == 1 &&
                       split_path(req.path())[0] == "incidents";
  return net::json_response(created ? 201 : 200, answer->dump());
}

pagerduty_fake::pd_result<json> pagerduty_fake::route(const net::request& req, std::int64_t now) {
  const auto auth = req.header_value("authorization").value_or("");
  constexpr std::string_view scheme = "Token token=";
  const bool authorized =
      auth.starts_with(scheme) && auth.size() > scheme.size() &&
      (options_.token.empty() || options_.token.equals(auth.substr(scheme.size())));
  if (!authorized) return pd_error{401, 2006, "Authentication failed", {}};
  if (normalized(req.header_value("accept").value_or("")) != accept_v2)
    return invalid("The Accept header must be " + std::string(accept_v2));
  if ((req.method == "PUT" || req.method == "POST") &&
      !normalized(req.header_value("content-type").value_or("")).starts_with("application/json"))
    return invalid("The Content-Type header must be application/json");

  if (auto command = route_commands(req, now)) return std::move(*command);
  const auto parts = split_path(req.path());
  const auto& m = req.method;
  if (parts.size() == 1 && parts[0] == "oncalls" && m == "GET") return list_oncalls(req);
  if (parts.size() == 1 && parts[0] == "users" && m == "GET") return list_users(req);
  if (parts.size() == 2 && parts[0] == "users" && m == "GET") {
    const auto* u = model_.find_user(parts[1]);
    if (!u) return not_found();
    return json{{"user", model_.user_json(*u)}};
  }
  if (parts.size() < 2 || parts.size() > 3 || parts[0] != "incidents") return not_found();
  pd::incident* inc = model_.find_incident(parts[1]);
  if (parts.size() == 2 && m == "GET") {
    if (!inc) return not_found();
    return json{{"incident", model_.incident_json(*inc)}};
  }
  const bool notes = parts.size() == 3 && parts[2] == "notes";
  if (notes && m == "GET") {
    if (!inc) return not_found();
    json list = json::array();
    for (const auto& n : inc->notes)
      list.push_back(model_.note_json(n));
    return json{{"notes", std::move(list)}};
  }
  if (!(parts.size() == 2 && m == "PUT") && !(notes && m == "POST")) return not_found();
  if (!inc) return not_found();
  return notes ? create_note(req, *inc, now) : update_incident(req, *inc, now);
}

pagerduty_fake::pd_result<const pd::user*> pagerduty_fake::acting_user(
    const net::request& req) const {
  const auto from = req.header_value("from").value_or("");
  const auto* u = from.empty() ? nullptr : model_.find_user_by_email(from);
  if (!u)
    return pd_error{400,
                    2016,
                    "You must specify a user's email address in the \"From\" header to perform "
                    "this action",
                    {}};
  return u;
}

pagerduty_fake::pd_result<json> pagerduty_fake::update_incident(const net::request& req,
                                                                pd::incident& inc,
                                                                std::int64_t now) {
  auto agent = acting_user(req);
  if (!agent) return agent.error();
  const auto body = json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return invalid("The request body is not JSON");
  const auto in = body.value("incident", json());
  if (!in.is_object()) return invalid("incident is required");
  const auto type = in.value("type", json());
  if (type != "incident" && type != "incident_reference")
    return invalid("incident type must be incident or incident_reference");
  // Everything is validated before anything changes, so a rejected update changes nothing.
  const std::string status =
      in.value("status", json("")).is_string() ? in.value("status", "") : "?";
  if (!status.empty() && status != "acknowledged" && status != "resolved" && status != "triggered")
    return invalid("status must be one of resolved, acknowledged, triggered");
  const std::string resolution =
      in.value("resolution", json("")).is_string() ? in.value("resolution", "") : "";
  if (!resolution.empty() && status != "resolved")
    return invalid("resolution may only be given when resolving");
  const pd::priority* prio = nullptr;
  if (in.contains("priority") && !in["priority"].is_null()) {
    const auto& p = in["priority"];
    prio = model_.find_priority(p.is_string() ? p.get<std::string>() : p.value("id", ""));
    if (!prio) return invalid("priority not found");
  }
  std::optional<std::vector<std::string>> assignees;
  if (in.contains("assignments")) {
    if (!in["assignments"].is_array()) return invalid("assignments must be an array");
    assignees.emplace();
    for (const auto& a : in["assignments"]) {
      const auto id = a.is_object() ? a.value("assignee", json::object()).value("id", "") : "";
      if (!model_.find_user(id)) return invalid("assignee not found: " + id);
      assignees->push_back(id);
    }
  }
  if (in.contains("urgency") && in["urgency"] != "high" && in["urgency"] != "low")
    return invalid("urgency must be high or low");
  if (!status.empty()) {
    if (auto done = set_status(inc, status, *agent, resolution, now); !done) return done.error();
  }
  if (prio) set_priority(inc, *prio, *agent, now);
  if (assignees) reassign(inc, std::move(*assignees), *agent, now);
  if (in.contains("title") && in["title"].is_string()) inc.title = in["title"].get<std::string>();
  if (in.contains("urgency")) inc.urgency = in["urgency"].get<std::string>();
  return json{{"incident", model_.incident_json(inc)}};
}

pagerduty_fake::pd_result<json> pagerduty_fake::create_note(const net::request& req,
                                                            pd::incident& inc, std::int64_t now) {
  auto agent = acting_user(req);
  if (!agent) return agent.error();
  const auto body = json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return invalid("The request body is not JSON");
  const auto note = body.value("note", json());
  if (!note.is_object() || !note.value("content", json()).is_string() ||
      note["content"].get<std::string>().empty())
    return invalid("note content is required");
  if (inc.notes.size() >= 2000) return invalid("an incident holds at most 2000 notes");
  const auto& n = add_note(inc, *agent, note["content"].get<std::string>(), now);
  return json{{"note", model_.note_json(n)}};
}

pagerduty_fake::pd_result<json> pagerduty_fake::list_oncalls(const net::request& req) const {
  const query_params q(req.query());
  auto p = read_page(q);
  if (!p) return p.error();
  const auto policy_ids = q.all("escalation_policy_ids[]");
  const auto user_ids = q.all("user_ids[]");
  const auto include = q.all("include[]");
  json rows = json::array();
  for (const auto& [id, policy] : model_.policies()) {
    if (!policy_ids.empty() && !has(policy_ids, id)) continue;
    json policy_json = model_.reference("escalation_policy", id, policy.name);
    if (has(include, "escalation_policies")) {
      policy_json["type"] = "escalation_policy";
      policy_json["name"] = policy.name;
    }
    for (std::size_t level = 0; level < policy.levels.size(); ++level) {
      for (const auto& uid : policy.levels[level]) {
        if (!user_ids.empty() && !has(user_ids, uid)) continue;
        const auto* u = model_.find_user(uid);
        rows.push_back(
            {{"user", u && has(include, "users") ? model_.user_json(*u) : model_.user_ref(uid)},
             {"schedule", nullptr},
             {"escalation_policy", policy_json},
             {"escalation_level", level + 1},
             {"start", nullptr},
             {"end", nullptr}});
      }
    }
  }
  return paginate("oncalls", rows, *p);
}

pagerduty_fake::pd_result<json> pagerduty_fake::list_users(const net::request& req) const {
  const query_params q(req.query());
  auto p = read_page(q);
  if (!p) return p.error();
  const auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
  };
  const auto needle = lower(q.first("query").value_or(""));
  json rows = json::array();
  for (const auto& u : model_.users())
    if (lower(u.name).find(needle) != std::string::npos ||
        lower(u.email).find(needle) != std::string::npos)
      rows.push_back(model_.user_json(u));
  return paginate("users", rows, *p);
}

}  // namespace warroom::sim
