#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include <warroom/api/pagerduty.hpp>
#include <warroom/api/vendor_error.hpp>

namespace warroom::api {
namespace {

using nlohmann::json;

constexpr std::string_view vendor = "PagerDuty";

// Header values come partly from other systems (a clicking user's email): CR, LF and NUL
// would split the request, so they are dropped.
std::string header_safe(std::string_view value) {
  std::string out;
  for (const char c : value)
    if (c != '\r' && c != '\n' && c != '\0') out += c;
  return out;
}

// Every call carries the key, the version header and a JSON content type (the spec marks
// Content-Type required even on GETs); writes also name the acting user in `From`.
http_call make_call(const pagerduty_endpoint& ep, http_method method, std::string path,
                    std::string_view from_email = {}, std::string body = {}) {
  std::vector<header> headers = {{"Authorization", "Token token=" + std::string(ep.token.reveal())},
                                 {"Accept", "application/vnd.pagerduty+json;version=2"},
                                 {"Content-Type", "application/json"}};
  if (!from_email.empty()) headers.push_back({"From", header_safe(from_email)});
  return {method, ep.base.origin(), ep.base.path + path, std::move(headers), std::move(body)};
}

std::string segment(std::string_view id) {
  return util::percent_encode(id);
}

// The JSON object of a 2xx reply, or the error the reply stands for.
result<json> success_body(const http_reply& reply) {
  if (!is_success(reply.status)) return pagerduty_error(reply);
  json body = parse_body(reply.body);
  if (!body.is_object()) return bad_reply(vendor, "body is not a JSON object");
  return body;
}

// `<object>.<field>` of a 2xx reply, as a string.
result<std::string> nested_string(const http_reply& reply, std::string_view object,
                                  std::string_view field) {
  auto body = success_body(reply);
  if (!body) return body.error();
  const json* parent = object_at(*body, object);
  auto value = parent != nullptr ? string_at(*parent, field) : std::nullopt;
  if (!value) return bad_reply(vendor, std::string(object) + "." + std::string(field) + " missing");
  return std::move(*value);
}

// A full User object or a user reference: the name is `name` when expanded, else `summary`.
result<pagerduty_user> parse_user(const json& user, std::string_view where) {
  auto id = string_at(user, "id");
  if (!id) return bad_reply(vendor, std::string(where) + ".id missing");
  auto name = string_at(user, "name");
  if (!name) name = string_at(user, "summary");
  return pagerduty_user{std::move(*id), name.value_or(""), string_at(user, "email").value_or("")};
}

bool iequal(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](unsigned char x, unsigned char y) {
    return std::tolower(x) == std::tolower(y);
  });
}

result<std::vector<pagerduty_reference>> parse_assignees(const json& incident) {
  std::vector<pagerduty_reference> out;
  const json* assignments = array_at(incident, "assignments");
  if (assignments == nullptr) return out;
  for (const json& assignment : *assignments) {
    const json* assignee = object_at(assignment, "assignee");
    auto id = assignee != nullptr ? string_at(*assignee, "id") : std::nullopt;
    if (!id) return bad_reply(vendor, "incident.assignments[].assignee.id missing");
    out.push_back({std::move(*id), string_at(*assignee, "summary").value_or("")});
  }
  return out;
}

}  // namespace

error pagerduty_error(const http_reply& reply) {
  const json body = parse_body(reply.body);
  const json* err = object_at(body, "error");
  if (err == nullptr) return http_status_error(vendor, reply);
  const auto code = integer_at(*err, "code");
  std::string message = string_at(*err, "message").value_or("");
  if (const json* details = array_at(*err, "errors")) {
    std::string joined;
    for (const json& detail : *details)
      if (detail.is_string()) joined += (joined.empty() ? "" : "; ") + detail.get<std::string>();
    if (!joined.empty()) message += (message.empty() ? "" : ": ") + joined;
  }
  if (message.empty())
    message = std::string(vendor) + " answered HTTP " + std::to_string(reply.status);
  return make_error(
      code ? "pagerduty_" + std::to_string(*code) : "http_" + std::to_string(reply.status),
      vendor_text(message));
}

http_call update_incident_status(const pagerduty_endpoint& ep, std::string_view incident_id,
                                 pagerduty_status_change status, std::string_view from_email,
                                 std::optional<std::string_view> resolution) {
  const bool resolve = status == pagerduty_status_change::resolved;
  json incident = {{"type", "incident_reference"},
                   {"status", resolve ? "resolved" : "acknowledged"}};
  // PagerDuty only accepts a resolution together with the resolved status.
  if (resolve && resolution) incident["resolution"] = std::string(*resolution);
  return make_call(ep, http_method::put, "/incidents/" + segment(incident_id), from_email,
                   to_body(json{{"incident", std::move(incident)}}));
}

result<std::string> read_incident_status(const http_reply& reply) {
  return nested_string(reply, "incident", "status");
}

bool is_already_resolved(const error& err) {
  return err.code == "pagerduty_1001";
}
bool is_already_acknowledged(const error& err) {
  return err.code == "pagerduty_1002";
}

http_call add_incident_note(const pagerduty_endpoint& ep, std::string_view incident_id,
                            std::string_view from_email, std::string_view content) {
  const json body = {{"note", {{"content", std::string(content)}}}};
  return make_call(ep, http_method::post, "/incidents/" + segment(incident_id) + "/notes",
                   from_email, to_body(body));
}

result<std::string> read_incident_note(const http_reply& reply) {
  return nested_string(reply, "note", "id");
}

http_call list_incident_notes(const pagerduty_endpoint& ep, std::string_view incident_id) {
  return make_call(ep, http_method::get, "/incidents/" + segment(incident_id) + "/notes");
}

result<std::vector<pagerduty_note>> read_incident_notes(const http_reply& reply) {
  auto body = success_body(reply);
  if (!body) return body.error();
  const json* notes = array_at(*body, "notes");
  if (notes == nullptr) return bad_reply(vendor, "notes missing");
  std::vector<pagerduty_note> out;
  for (const json& note : *notes) {
    auto id = string_at(note, "id");
    if (!id) return bad_reply(vendor, "notes[].id missing");
    out.push_back({std::move(*id), string_at(note, "content").value_or("")});
  }
  return out;
}

std::optional<std::string> find_note_with(const std::vector<pagerduty_note>& notes,
                                          std::string_view marker) {
  for (const auto& note : notes)
    if (note.content.find(marker) != std::string::npos) return note.id;
  return std::nullopt;
}

// Brackets are sent as %5B%5D: RFC 3986 does not allow '[' ']' in a query, and it is what
// PagerDuty's own clients send (go-pagerduty's url.Values.Encode, pdpyras via requests).
// earliest=true folds the several rows a user has per level into one.
http_call list_oncalls(const pagerduty_endpoint& ep, std::string_view escalation_policy_id,
                       std::int64_t offset, std::int64_t limit) {
  std::string target = "/oncalls?escalation_policy_ids%5B%5D=";
  target += util::percent_encode(escalation_policy_id);
  target += "&include%5B%5D=users&earliest=true&limit=" + std::to_string(limit);
  target += "&offset=" + std::to_string(offset);
  return make_call(ep, http_method::get, std::move(target));
}

result<pagerduty_oncall_page> read_oncalls(const http_reply& reply) {
  auto body = success_body(reply);
  if (!body) return body.error();
  const json* oncalls = array_at(*body, "oncalls");
  if (oncalls == nullptr) return bad_reply(vendor, "oncalls is not an array");
  pagerduty_oncall_page page;
  for (const json& row : *oncalls) {
    const json* user = object_at(row, "user");
    const auto level = integer_at(row, "escalation_level");
    if (user == nullptr || !level)
      return bad_reply(vendor, "oncalls[] lacks user or escalation_level");
    auto parsed = parse_user(*user, "oncalls[].user");
    if (!parsed) return parsed.error();
    std::optional<std::string> email;
    if (!parsed->email.empty()) email = std::move(parsed->email);
    page.entries.push_back(
        {std::move(parsed->id), std::move(parsed->name), std::move(email), *level});
  }
  page.more = bool_at(*body, "more").value_or(false);
  const auto offset = integer_at(*body, "offset").value_or(0);
  const auto limit = integer_at(*body, "limit");
  page.next_offset = offset + limit.value_or(static_cast<std::int64_t>(page.entries.size()));
  return page;
}

http_call get_user(const pagerduty_endpoint& ep, std::string_view user_id) {
  return make_call(ep, http_method::get, "/users/" + segment(user_id));
}

result<pagerduty_user> read_pagerduty_user(const http_reply& reply) {
  auto body = success_body(reply);
  if (!body) return body.error();
  const json* user = object_at(*body, "user");
  if (user == nullptr) return bad_reply(vendor, "user is not an object");
  return parse_user(*user, "user");
}

http_call find_user_by_email(const pagerduty_endpoint& ep, std::string_view email) {
  return make_call(ep, http_method::get, "/users?query=" + util::percent_encode(email));
}

result<std::optional<pagerduty_user>> read_user_by_email(const http_reply& reply,
                                                         std::string_view email) {
  auto body = success_body(reply);
  if (!body) return body.error();
  const json* users = array_at(*body, "users");
  if (users == nullptr) return bad_reply(vendor, "users is not an array");
  for (const json& user : *users) {
    auto parsed = parse_user(user, "users[]");
    if (!parsed) return parsed.error();
    if (!email.empty() && iequal(parsed->email, email)) return std::optional(std::move(*parsed));
  }
  return std::optional<pagerduty_user>{};
}

http_call get_incident(const pagerduty_endpoint& ep, std::string_view incident_id) {
  return make_call(ep, http_method::get, "/incidents/" + segment(incident_id));
}

result<pagerduty_incident> read_incident(const http_reply& reply) {
  auto body = success_body(reply);
  if (!body) return body.error();
  const json* in = object_at(*body, "incident");
  if (in == nullptr) return bad_reply(vendor, "incident is not an object");
  pagerduty_incident out;
  auto id = string_at(*in, "id");
  auto status = string_at(*in, "status");
  const auto number = integer_at(*in, "incident_number");
  const json* policy = object_at(*in, "escalation_policy");
  auto policy_id = policy != nullptr ? string_at(*policy, "id") : std::nullopt;
  if (!id || !status || !number || !policy_id)
    return bad_reply(vendor, "incident lacks id, status, incident_number or escalation_policy.id");
  auto assignees = parse_assignees(*in);
  if (!assignees) return assignees.error();
  out.id = std::move(*id);
  out.status = std::move(*status);
  out.number = *number;
  out.title = string_at(*in, "title").value_or("");
  out.assignees = std::move(*assignees);
  out.escalation_policy_id = std::move(*policy_id);
  out.urgency = string_at(*in, "urgency").value_or("");
  if (const json* priority = object_at(*in, "priority"))
    out.priority = string_at(*priority, "summary");
  out.html_url = string_at(*in, "html_url").value_or("");
  return out;
}

// --- chat commands -------------------------------------------------------------------------

namespace {

result<std::vector<pagerduty_reference>> read_references(const http_reply& reply,
                                                         std::string_view list) {
  auto body = success_body(reply);
  if (!body) return body.error();
  const json* items = array_at(*body, list);
  if (items == nullptr) return bad_reply(vendor, std::string(list) + " is not an array");
  std::vector<pagerduty_reference> out;
  for (const json& item : *items) {
    auto id = string_at(item, "id");
    auto name = string_at(item, "name");
    if (!name) name = string_at(item, "summary");
    if (!id) return bad_reply(vendor, std::string(list) + "[].id missing");
    out.push_back({std::move(*id), name.value_or("")});
  }
  return out;
}

}  // namespace

http_call create_incident(const pagerduty_endpoint& ep, std::string_view from_email,
                          std::string_view title, std::string_view service_id,
                          std::string_view incident_key) {
  json incident = {{"type", "incident"},
                   {"title", std::string(title)},
                   {"service", {{"id", std::string(service_id)}, {"type", "service_reference"}}},
                   {"incident_key", std::string(incident_key)}};
  return make_call(ep, http_method::post, "/incidents", from_email,
                   to_body(json{{"incident", std::move(incident)}}));
}

bool is_duplicate_incident_key(const error& err) {
  return err.code.starts_with("pagerduty_") &&
         (err.message.find("incident_key") != std::string::npos ||
          err.message.find("dedup") != std::string::npos);
}

http_call set_incident_priority(const pagerduty_endpoint& ep, std::string_view incident_id,
                                std::string_view priority_id, std::string_view from_email) {
  const json incident = {
      {"type", "incident_reference"},
      {"priority", {{"id", std::string(priority_id)}, {"type", "priority_reference"}}}};
  return make_call(ep, http_method::put, "/incidents/" + segment(incident_id), from_email,
                   to_body(json{{"incident", incident}}));
}

http_call list_priorities(const pagerduty_endpoint& ep) {
  return make_call(ep, http_method::get, "/priorities?limit=100");
}

result<std::vector<pagerduty_reference>> read_priorities(const http_reply& reply) {
  return read_references(reply, "priorities");
}

http_call create_responder_request(const pagerduty_endpoint& ep, std::string_view incident_id,
                                   std::string_view from_email, std::string_view requester_id,
                                   std::string_view target_user_id, std::string_view message) {
  const json target = {{"responder_request_target",
                        {{"id", std::string(target_user_id)}, {"type", "user_reference"}}}};
  const json body = {{"requester_id", std::string(requester_id)},
                     {"message", std::string(message)},
                     {"responder_request_targets", json::array({target})}};
  return make_call(ep, http_method::post,
                   "/incidents/" + segment(incident_id) + "/responder_requests", from_email,
                   to_body(body));
}

result<void> read_pagerduty_ok(const http_reply& reply) {
  if (!is_success(reply.status)) return pagerduty_error(reply);
  return {};
}

http_call find_services(const pagerduty_endpoint& ep, std::string_view name) {
  return make_call(ep, http_method::get, "/services?query=" + util::percent_encode(name));
}

result<std::vector<pagerduty_reference>> read_services(const http_reply& reply) {
  return read_references(reply, "services");
}

}  // namespace warroom::api
