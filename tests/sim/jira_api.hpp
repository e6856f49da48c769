// warroom-sim: the Jira fake's endpoint handlers, one function per REST operation, shared by
// /rest/api/2 and /rest/api/3 (the version only changes rich text: strings on v2, ADF on v3).
// Each answers as Jira does, with its ErrorCollection bodies. Called by jira_fake after
// authentication; single-threaded.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <warroom/net/message.hpp>

#include "jira_model.hpp"

namespace warroom::sim::jira {

/// One authenticated request: API version, the "{}" captures of its route, the base of `self`
/// links ("http://<Host>/rest/api/<version>") and the parsed JSON body (discarded when absent
/// or not JSON).
struct call {
  const net::request& req;
  int version = 3;
  std::string base;
  std::vector<std::string> params;
  json body;
  std::int64_t now_ms = 0;
};

// Issues, comments, remote links (jira_issues.cpp).
net::response create_issue(world& w, const call& c);
net::response get_issue(world& w, const call& c);
net::response edit_issue(world& w, const call& c);
net::response add_comment(world& w, const call& c);
net::response list_comments(world& w, const call& c);
net::response upsert_remote_link(world& w, const call& c);
net::response list_remote_links(world& w, const call& c);

// Workflow (jira_workflow.cpp).
net::response list_transitions(world& w, const call& c);
net::response do_transition(world& w, const call& c);

// Search (jira_search.cpp): v3 /search/jql (token pages) and v2 /search (startAt pages).
net::response search_jql(world& w, const call& c);
net::response search_v2(world& w, const call& c);

// Projects, statuses, priorities: read-only lookups (jira_projects.cpp).
net::response get_project(world& w, const call& c);
net::response project_statuses(world& w, const call& c);
net::response list_priorities(world& w, const call& c);

/// The rich-text rule of the API version: nullopt when `value` is acceptable (null, or a string
/// on v2, or an ADF document on v3), else Jira's message.
std::optional<std::string> rich_text_problem(const json& value, int version);

}  // namespace warroom::sim::jira
