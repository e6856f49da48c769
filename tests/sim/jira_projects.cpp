// warroom-sim: the read-only Jira lookups of projects, issue types, statuses and priorities
// (what `warroomd doctor` reads before any issue exists).
#include "jira_api.hpp"
#include "mm_jira_http.hpp"

namespace warroom::sim::jira {

namespace {

// Jira's own words for an unknown project key (or one the caller may not browse).
net::response project_missing(std::string_view key) {
  return jira_error(404, {"No project could be found with key '" + std::string(key) + "'."});
}

json issue_type_json(const named& type, std::string_view base) {
  return {{"self", std::string(base) + "/issuetype/" + type.id},
          {"id", type.id},
          {"name", type.name},
          {"subtask", false}};
}

}  // namespace

net::response get_project(world& w, const call& c) {
  const project* p = w.find_project(c.params.at(0));
  if (p == nullptr) return project_missing(c.params.at(0));
  json types = json::array();
  for (const named& t : p->issue_types)
    types.push_back(issue_type_json(t, c.base));
  return json_reply(200, {{"self", c.base + "/project/" + p->id},
                          {"id", p->id},
                          {"key", p->key},
                          {"name", p->key},
                          {"projectTypeKey", "software"},
                          {"simplified", false},
                          {"style", "classic"},
                          {"issueTypes", std::move(types)}});
}

net::response project_statuses(world& w, const call& c) {
  const project* p = w.find_project(c.params.at(0));
  if (p == nullptr) return project_missing(c.params.at(0));
  // One workflow for every issue type (the fake's default workflow).
  json statuses = json::array();
  for (const status& s : w.statuses)
    statuses.push_back(status_json(s, c.base));
  json out = json::array();
  for (const named& t : p->issue_types) {
    json entry = issue_type_json(t, c.base);
    entry["statuses"] = statuses;
    out.push_back(std::move(entry));
  }
  return json_reply(200, out);
}

net::response list_priorities(world& w, const call& c) {
  json out = json::array();
  for (const named& p : w.priorities)
    out.push_back({{"self", c.base + "/priority/" + p.id},
                   {"id", p.id},
                   {"name", p.name},
                   {"description", p.name},
                   {"statusColor", "#cccccc"},
                   {"iconUrl", ""}});
  return json_reply(200, out);
}

}  // namespace warroom::sim::jira
