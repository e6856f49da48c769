// warroom-sim: the Jira fake's data (projects, priorities, the default workflow, issues with
// their comments and remote links) and what every Jira endpoint shares: error bodies, JSON shapes
// of statuses and issues, timestamps, rich text in both API versions. Owned by one jira_fake;
// single-threaded like the simulator that drives it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <warroom/net/message.hpp>

namespace warroom::sim::jira {

using nlohmann::json;

struct named {
  std::string id;
  std::string name;
};

/// A workflow status with its category (NOTES §4.3: new=2, indeterminate=4, done=3).
struct status {
  std::string id;
  std::string name;
  int category_id = 0;
  std::string category_key;
  std::string category_colour;
  std::string category_name;
};

/// A global transition into status `to` (an index into world::statuses).
struct transition {
  std::string id;
  std::string name;
  std::size_t to = 0;
};

struct project {
  std::string key;
  std::string id;
  std::vector<named> issue_types;
  int issues_created = 0;
};

struct comment {
  std::string id;
  json body;  // as posted: a string (v2) or an ADF document (v3)
  std::int64_t created_ms = 0;
};

struct remote_link {
  std::int64_t id = 0;
  json link;  // globalId, application, relationship, object, as last posted
};

struct issue {
  std::string id;
  std::string key;
  std::string project_key;
  named issue_type;
  std::optional<named> priority;
  std::string summary;
  json description;  // null, a string (v2) or an ADF document (v3), as last set
  std::vector<std::string> labels;
  std::size_t status = 0;
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
  std::vector<comment> comments;
  std::vector<remote_link> links;
};

struct world {
  world();  // the default workflow: To Do → In Progress → Done, transitions 11/21/31

  std::string email;
  std::string token;
  std::string pat;
  std::vector<project> projects;
  std::vector<named> priorities;
  std::int64_t index_lag_ms = 0;
  std::vector<status> statuses;
  std::vector<transition> transitions;
  std::vector<issue> issues;
  std::int64_t last_id = 10000;  // issue, comment and remote link ids

  std::string next_id() { return std::to_string(++last_id); }
  project* find_project(std::string_view key_or_id);
  const project* find_project(std::string_view key_or_id) const;
  /// By id or key (keys case-insensitively, as Jira does).
  issue* find_issue(std::string_view id_or_key);
};

/// Jira's ErrorCollection: {"errorMessages":[...],"errors":{...}}.
net::response jira_error(unsigned status, json messages, json errors = json::object());
/// 404 for an issue that does not exist or that the caller may not see.
net::response issue_missing();
/// The message for a field whose name is unknown or not on the screen.
std::string cannot_be_set(std::string_view field);

/// "2021-01-17T12:34:00.000+0000" (UTC).
std::string jira_time(std::int64_t unix_ms);
/// An ADF document: {"type":"doc","version":1,"content":[...]}.
bool is_adf_doc(const json& value);
/// Rich text as API version `version` shows it: v3 wraps plain strings in an ADF paragraph, v2
/// flattens ADF documents to their text.
json rich_text_for(const json& stored, int version);

/// Applies a `fields` parameter ("summary,status", "*all", "*navigable", "-description", "id")
/// to `all`; nullopt `param` means `default_param`. Unknown names are ignored, as Jira does.
json select_fields(const json& all, const std::optional<std::string>& param,
                   std::string_view default_param);

json status_json(const status& s, std::string_view base);
/// The issue's fields (all of them, for GET issue and `*all`/`*navigable` searches).
json issue_fields(const world& w, const issue& i, std::string_view base, int version);

}  // namespace warroom::sim::jira
