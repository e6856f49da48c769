// Readers for Jira REST replies: http_reply in, result out. They never throw (bodies are
// parsed without exceptions) and their errors carry Jira's own words (ErrorCollection
// `errorMessages` and `errors{field: message}`), never a credential. Pure, thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <warroom/api/http_call.hpp>
#include <warroom/util/result.hpp>

namespace warroom::api {

/// POST /issue → 201 {"id","key","self"}.
struct jira_issue_ref {
  std::string id;
  std::string key;
  std::string self;
};

/// One search hit. `status_category` is the status category key ("new", "indeterminate",
/// "done", "undefined") or empty when the reply did not include the status.
struct jira_found_issue {
  std::string key;
  std::string status_category;
};

/// The transition chosen to close an issue.
struct jira_transition {
  std::string id;
  std::string name;
};

/// The error for a non-2xx reply, shaped like the PagerDuty and Mattermost ones
/// (vendor_error.hpp): code "http_<status>", message "jira answered HTTP <status>: <Jira's
/// text>" (errorMessages and errors{field: message} joined with "; ", or the bounded body).
/// A 2xx reply of the wrong shape gives code "bad_reply"; retrying is the caller's call
/// (retry::retry_policy), not encoded here.
error jira_reply_error(const http_reply& reply);

/// Create issue: 2xx with non-empty id and key, else an error.
result<jira_issue_ref> jira_read_created_issue(const http_reply& reply);

/// Search (v2 /search or v3 /search/jql): the issues in reply order (possibly none).
result<std::vector<jira_found_issue>> jira_read_search(const http_reply& reply);

/// List transitions: the first whose target status category key is the earliest of
/// `categories` (names are per workflow, so they are never matched). None: error
/// `no_transition` naming what exists.
result<jira_transition> jira_read_transition_into(const http_reply& reply,
                                                  std::span<const std::string_view> categories);
/// Into category "done": how a resolve closes the issue.
result<jira_transition> jira_read_done_transition(const http_reply& reply);
/// Into "new", else "indeterminate": how a reopen puts a closed issue back to work.
result<jira_transition> jira_read_reopen_transition(const http_reply& reply);

/// Get issue (?fields=status): the status category key, e.g. "done".
result<std::string> jira_read_issue_category(const http_reply& reply);

/// Transition (204), remote link (200/201), comment (201), priority update (204): any 2xx.
result<void> jira_read_ok(const http_reply& reply);

}  // namespace warroom::api
