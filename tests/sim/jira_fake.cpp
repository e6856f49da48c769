#include "jira_fake.hpp"

#include <array>
#include <utility>

#include "jira_api.hpp"
#include "mm_jira_http.hpp"

namespace warroom::sim {

namespace {

using jira::json;

struct route {
  std::string_view method;
  std::string_view pattern;  // below /rest/api/{2|3}
  net::response (*handler)(jira::world&, const jira::call&);
  int only_version = 0;  // 0: both
};

net::response myself(jira::world& w, const jira::call& c) {
  return json_reply(200, {{"self", c.base + "/myself"},
                          {"accountId", "sim-" + w.email},
                          {"emailAddress", w.email},
                          {"displayName", w.email},
                          {"active", true}});
}

// Cloud removed GET /rest/api/3/search in favour of /search/jql (CHANGE-2046).
net::response removed_search(jira::world&, const jira::call&) {
  return jira::jira_error(410,
                          {"The requested API has been removed. Please migrate to the "
                           "/rest/api/3/search/jql API. A full migration guideline is "
                           "available at https://developer.atlassian.com/changelog/#CHANGE-2046"});
}

constexpr std::array routes = {
    route{"POST", "issue", jira::create_issue},
    route{"GET", "issue/{}", jira::get_issue},
    route{"PUT", "issue/{}", jira::edit_issue},
    route{"GET", "issue/{}/transitions", jira::list_transitions},
    route{"POST", "issue/{}/transitions", jira::do_transition},
    route{"GET", "issue/{}/comment", jira::list_comments},
    route{"POST", "issue/{}/comment", jira::add_comment},
    route{"GET", "issue/{}/remotelink", jira::list_remote_links},
    route{"POST", "issue/{}/remotelink", jira::upsert_remote_link},
    route{"GET", "myself", myself},
    route{"GET", "project/{}", jira::get_project},
    route{"GET", "project/{}/statuses", jira::project_statuses},
    route{"GET", "priority", jira::list_priorities},
    route{"GET", "search/jql", jira::search_jql, 3},
    route{"GET", "search", removed_search, 3},
    route{"GET", "search", jira::search_v2, 2},
};

result<void> check_seed(const json& data) {
  if (!data.is_object()) return make_error("bad_request", "jira seed must be an object");
  for (const auto& [key, value] : data.items()) {
    const bool ok =
        ((key == "email" || key == "token" || key == "pat") && value.is_string()) ||
        ((key == "projects" || key == "priorities") && value.is_array()) ||
        (key == "index_lag_ms" && value.is_number_integer() && value.get<long long>() >= 0);
    if (!ok) return make_error("bad_request", "jira seed: invalid or unknown key '" + key + "'");
  }
  for (const json& p : data.value("projects", json::array())) {
    if (string_at(p, "key").empty() || string_at(p, "id").empty() ||
        !p.value("issue_types", json()).is_array())
      return make_error("bad_request", "jira seed: each project needs key, id and issue_types");
    for (const json& t : p["issue_types"])
      if (!t.is_string()) return make_error("bad_request", "jira seed: issue types are names");
  }
  for (const json& p : data.value("priorities", json::array()))
    if (!p.is_string()) return make_error("bad_request", "jira seed: priorities are names");
  return {};
}

}  // namespace

bool jira_fake::authenticated(const net::request& req) const {
  const auto header = req.header_value("Authorization");
  if (!header) return false;
  const auto credential = [&](std::string_view scheme) -> std::optional<std::string_view> {
    if (header->size() <= scheme.size() || !iequals(header->substr(0, scheme.size()), scheme))
      return std::nullopt;
    return header->substr(scheme.size());
  };
  // A PAT is only a Bearer token: it never works as the Basic password (NOTES §4.1).
  if (const auto basic = credential("Basic "))
    return !world_.email.empty() && !world_.token.empty() &&
           *basic == base64_encode(world_.email + ":" + world_.token);
  if (const auto bearer = credential("Bearer "))
    return !world_.pat.empty() && *bearer == world_.pat;
  return false;
}

net::response jira_fake::handle(const net::request& req, std::int64_t now_ms) {
  auto segments = path_segments(req.path());
  const bool api = segments.size() > 3 && segments[0] == "rest" && segments[1] == "api" &&
                   (segments[2] == "2" || segments[2] == "3");
  if (!api) return jira::jira_error(404, {"No REST resource at this path."});
  const int version = segments[2] == "2" ? 2 : 3;
  segments.erase(segments.begin(), segments.begin() + 3);
  if (!authenticated(req))
    return jira::jira_error(
        401, {"You are not authenticated. Authentication required to perform this operation."});
  const std::string host(req.header_value("Host").value_or("jira.invalid"));
  for (const route& r : routes) {
    if (r.method != req.method || (r.only_version != 0 && r.only_version != version)) continue;
    auto params = match_route(r.pattern, segments);
    if (!params) continue;
    const jira::call call{req,
                          version,
                          "http://" + host + "/rest/api/" + std::to_string(version),
                          std::move(*params),
                          req.body.empty() ? json() : parse_json(req.body),
                          now_ms};
    return r.handler(world_, call);
  }
  return jira::jira_error(404, {"No REST resource at this path."});
}

result<void> jira_fake::seed(const nlohmann::json& data) {
  if (auto ok = check_seed(data); !ok) return ok;
  for (auto [key, field] : {std::pair{"email", &world_.email}, std::pair{"token", &world_.token},
                            std::pair{"pat", &world_.pat}})
    if (data.contains(key)) *field = data[key].get<std::string>();
  if (data.contains("index_lag_ms")) world_.index_lag_ms = data["index_lag_ms"];
  if (data.contains("priorities")) {
    world_.priorities.clear();
    for (const json& name : data["priorities"])
      world_.priorities.push_back({std::to_string(world_.priorities.size() + 1), name});
  }
  for (const json& p : data.value("projects", json::array())) {
    jira::project* existing = world_.find_project(p["key"].get<std::string>());
    if (existing == nullptr) existing = &world_.projects.emplace_back();
    existing->key = p["key"];
    existing->id = p["id"];
    existing->issue_types.clear();
    for (const json& t : p["issue_types"])
      existing->issue_types.push_back({std::to_string(10001 + existing->issue_types.size()), t});
  }
  return {};
}

nlohmann::json jira_fake::state() const {
  json projects = json::array();
  for (const auto& p : world_.projects) {
    json types = json::array();
    for (const auto& t : p.issue_types)
      types.push_back({{"id", t.id}, {"name", t.name}});
    projects.push_back({{"key", p.key}, {"id", p.id}, {"issue_types", std::move(types)}});
  }
  json priorities = json::array();
  for (const auto& p : world_.priorities)
    priorities.push_back({{"id", p.id}, {"name", p.name}});
  json issues = json::array();
  for (const auto& i : world_.issues) {
    const jira::status& st = world_.statuses.at(i.status);
    json comments = json::array();
    for (const auto& c : i.comments)
      comments.push_back({{"id", c.id}, {"body", c.body}, {"created_ms", c.created_ms}});
    json links = json::array();
    for (const auto& l : i.links) {
      links.push_back(l.link);
      links.back()["id"] = l.id;
    }
    issues.push_back({{"id", i.id},
                      {"key", i.key},
                      {"project", i.project_key},
                      {"issuetype", i.issue_type.name},
                      {"summary", i.summary},
                      {"description", i.description},
                      {"priority", i.priority ? json(i.priority->name) : json()},
                      {"labels", i.labels},
                      {"status", st.name},
                      {"status_category", st.category_key},
                      {"created_ms", i.created_ms},
                      {"updated_ms", i.updated_ms},
                      {"comments", std::move(comments)},
                      {"remote_links", std::move(links)}});
  }
  return {{"projects", std::move(projects)},
          {"priorities", std::move(priorities)},
          {"index_lag_ms", world_.index_lag_ms},
          {"issues", std::move(issues)}};
}

result<nlohmann::json> jira_fake::control(std::string_view verb, const nlohmann::json&,
                                          std::int64_t) {
  return make_error("bad_request", "jira: unknown control verb '" + std::string(verb) + "'");
}

}  // namespace warroom::sim
