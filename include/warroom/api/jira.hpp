// Jira REST request builders (Cloud v3 with ADF rich text, Server/Data Center v2 with plain
// strings). Pure functions: values in, http_call out; nothing here sends anything. The replies
// are read by the functions in jira_reply.hpp. All functions are thread-safe (no shared state).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <warroom/api/http_call.hpp>
#include <warroom/util/result.hpp>
#include <warroom/util/secret.hpp>
#include <warroom/util/url.hpp>

namespace warroom::api {

/// Which REST flavour to speak. v3 exists on Cloud only; Data Center has only v2.
enum class jira_api_version { v2 = 2, v3 = 3 };

/// Cloud: Basic base64(email:api token). Data Center: Bearer <personal access token>.
enum class jira_auth { basic, bearer };

/// Where and how to reach one Jira site. `base.path` may be non-empty (context path on Data
/// Center, e.g. "/jira"). The token only ever leaves through the Authorization header.
struct jira_endpoint {
  util::url base;
  jira_api_version api_version = jira_api_version::v3;
  jira_auth auth = jira_auth::basic;
  std::string email;  // basic only
  util::secret token;
};

/// What we put in a new issue. The description is `description_text` followed by a link
/// (`link_text` pointing at `link_url`); v3 sends it as an ADF document, v2 as wiki markup.
struct jira_issue_fields {
  std::string project_key;
  std::string issue_type;  // by name, e.g. "Incident"
  std::string summary;
  std::string description_text;
  std::string link_url;                 // empty: no link
  std::string link_text;                // empty: the URL itself
  std::optional<std::string> priority;  // priority name; nullopt leaves Jira's default
  std::vector<std::string> labels;
};

/// A remote link from an issue to the PagerDuty incident. Jira updates the link that has the
/// same `global_id` instead of adding a second one, which makes the call safe to repeat.
struct jira_remote_link {
  std::string global_id;  // jira_remote_link_global_id(incident id)
  std::string url;
  std::string title;
  std::string summary;
  bool resolved = false;
};

/// Jira refuses labels with whitespace (400 "contains spaces which is invalid"). We reject them
/// here instead of rewriting them: the label `pagerduty-<incident id>` is how a retried open
/// finds the issue it created, so a silently rewritten label would break that lookup.
result<void> jira_check_label(std::string_view label);

/// POST /rest/api/{2|3}/issue → 201 (read with jira_read_created_issue). Fails (no call) when
/// a label is invalid or a required field is empty.
result<http_call> jira_create_issue(const jira_endpoint& ep, const jira_issue_fields& fields);

/// Issues of `project_key` carrying `label`, oldest first (the one a first attempt created).
/// v3: GET /rest/api/3/search/jql; v2: GET /rest/api/2/search. Read with jira_read_search.
result<http_call> jira_search_issues_by_label(const jira_endpoint& ep, std::string_view project_key,
                                              std::string_view label);

/// GET /rest/api/{v}/issue/{key}?fields=status → 200 (read with jira_read_issue_category).
http_call jira_get_issue_status(const jira_endpoint& ep, std::string_view issue_key);

/// GET /rest/api/{v}/issue/{key}/transitions → 200 (read with jira_read_done_transition or
/// jira_read_reopen_transition).
http_call jira_list_transitions(const jira_endpoint& ep, std::string_view issue_key);

/// POST /rest/api/{v}/issue/{key}/transitions → 204. The optional comment travels in
/// `update.comment`; a workflow whose transition screen hides comments rejects it with 400,
/// so callers that must not fail on that post the comment with jira_add_comment instead.
http_call jira_perform_transition(const jira_endpoint& ep, std::string_view issue_key,
                                  std::string_view transition_id,
                                  std::optional<std::string_view> comment = std::nullopt);

/// POST /rest/api/{v}/issue/{key}/remotelink → 200 (updated) or 201 (created).
http_call jira_add_remote_link(const jira_endpoint& ep, std::string_view issue_key,
                               const jira_remote_link& link);

/// "pagerduty-incident=<id>": the stable globalId of the link to one PagerDuty incident.
std::string jira_remote_link_global_id(std::string_view pagerduty_incident_id);

/// POST /rest/api/{v}/issue/{key}/comment → 201 (v2 plain string, v3 ADF body).
http_call jira_add_comment(const jira_endpoint& ep, std::string_view issue_key,
                           std::string_view text);

/// PUT /rest/api/{v}/issue/{key} {"fields":{"priority":{"name":...}}} → 204.
http_call jira_update_priority(const jira_endpoint& ep, std::string_view issue_key,
                               std::string_view priority_name);

/// GET /rest/api/{2|3}{suffix}, for read-only lookups whose replies the caller reads itself
/// (doctor: myself, project, statuses, priorities). `suffix` starts with '/', already encoded.
http_call jira_get(const jira_endpoint& ep, std::string_view suffix);

/// The Jira priority name for an incident: the PagerDuty priority name (e.g. "P1") is looked
/// up first, then the urgency ("high"/"low"); keys match exactly. nullopt: send no priority.
std::optional<std::string> priority_for(const std::map<std::string, std::string>& priority_map,
                                        std::optional<std::string_view> pd_priority_name,
                                        std::string_view urgency);

}  // namespace warroom::api
