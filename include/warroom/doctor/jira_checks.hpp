// `warroomd doctor`, Jira: the credentials work, the project and issue type exist, every
// priority_map value is a priority, and the issue type's workflow has a status in the `done`
// category. Four independent read-only GETs (myself, project, project statuses, priorities).
// Pure, thread-safe.
//
// A status in the done category is what can be read without an issue; whether a transition
// leads there is only listed per issue (GET issue/{key}/transitions), so a workflow whose done
// status is unreachable still shows at the first resolve.
#pragma once

#include <vector>

#include <warroom/api/jira.hpp>
#include <warroom/config/config.hpp>
#include <warroom/doctor/report.hpp>

namespace warroom::doctor {

api::jira_endpoint jira_endpoint_of(const config::jira_config& cfg);

api::http_call jira_myself(const config::jira_config& cfg);
api::http_call jira_project(const config::jira_config& cfg);
api::http_call jira_project_statuses(const config::jira_config& cfg);
api::http_call jira_priorities(const config::jira_config& cfg);

struct jira_replies {
  reply myself = error{"not_sent", "not sent"};
  reply project = error{"not_sent", "not sent"};
  reply statuses = error{"not_sent", "not sent"};
  reply priorities = error{"not_sent", "not sent"};
};

/// Lines in order: credentials, project, issue type, priority_map, done status.
std::vector<check_line> read_jira(const jira_replies& replies, const config::jira_config& cfg);

}  // namespace warroom::doctor
