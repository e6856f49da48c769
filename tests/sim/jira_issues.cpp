// Issues (create, read, edit), comments and remote links, with the field rules of NOTES §4.2,
// §4.4 and §4.5: unknown fields, labels with spaces and the wrong rich-text flavour are refused
// with Jira's own ErrorCollection.
#include <algorithm>
#include <cctype>

#include "jira_api.hpp"
#include "mm_jira_http.hpp"

namespace warroom::sim::jira {

namespace {

constexpr std::size_t summary_max_chars = 255;

net::response not_json() {
  return jira_error(400, {"Unexpected character: the request body is not valid JSON."});
}

// A {"id"} or {"name"} reference among `choices`.
const named* find_named(const std::vector<named>& choices, const json& ref) {
  const std::string id = string_at(ref, "id");
  const std::string name = string_at(ref, "name");
  const auto it = std::find_if(choices.begin(), choices.end(), [&](const named& n) {
    return (!id.empty() && n.id == id) || (!name.empty() && n.name == name);
  });
  return it == choices.end() ? nullptr : &*it;
}

std::optional<std::string> labels_problem(const json& labels) {
  if (!labels.is_array()) return "data was not an array";
  for (const json& label : labels) {
    if (!label.is_string()) return "data was not an array";
    const std::string text = label.get<std::string>();
    if (std::any_of(text.begin(), text.end(),
                    [](unsigned char ch) { return std::isspace(ch) != 0; }))
      return "The label '" + text + "' contains spaces which is invalid.";
  }
  return std::nullopt;
}

// Checks the `fields` of a create (`creating`) or an edit and applies the valid ones to `draft`;
// returns the field errors, empty when everything was accepted.
json apply_fields(const world& w, const json& fields, int version, bool creating, issue& draft) {
  json errors = json::object();
  const project* p = nullptr;
  for (const auto& [name, value] : fields.items()) {
    if (name == "project" && creating) {
      p = w.find_project(string_at(value, "key").empty() ? string_at(value, "id")
                                                         : string_at(value, "key"));
      if (p == nullptr) errors[name] = "Specify a valid project ID or key";
    } else if (name == "issuetype" && creating) {
      continue;  // needs the project: checked below
    } else if (name == "summary") {
      draft.summary = value.is_string() ? value.get<std::string>() : std::string{};
      if (draft.summary.empty())
        errors[name] = "You must specify a summary of the issue.";
      else if (rune_count(draft.summary) > summary_max_chars)
        errors[name] = "Summary must be less than 255 characters.";
    } else if (name == "description") {
      if (auto problem = rich_text_problem(value, version)) errors[name] = *problem;
      draft.description = value;
    } else if (name == "priority") {
      const named* found = find_named(w.priorities, value);
      if (!value.is_object() || (!value.contains("id") && !value.contains("name")))
        errors[name] = "Specify the Priority (id or name) in the string format";
      else if (found == nullptr)
        errors[name] = "The priority selected is invalid.";
      else
        draft.priority = *found;
    } else if (name == "labels") {
      if (auto problem = labels_problem(value))
        errors[name] = *problem;
      else
        draft.labels = value.get<std::vector<std::string>>();
    } else {
      errors[name] = cannot_be_set(name);
    }
  }
  if (!creating) return errors;
  if (!fields.contains("project")) errors["project"] = "project is required";
  if (p != nullptr) {
    draft.project_key = p->key;
    const named* type = find_named(p->issue_types, fields.value("issuetype", json()));
    if (!fields.contains("issuetype"))
      errors["issuetype"] = "Specify an issue type";
    else if (type == nullptr)
      errors["issuetype"] = "The issue type selected is invalid.";
    else
      draft.issue_type = *type;
  }
  if (!fields.contains("summary")) errors["summary"] = "You must specify a summary of the issue.";
  return errors;
}

json comment_json(const world& w, const call& c, const issue& i, const comment& cm) {
  const json author = {{"accountId", "sim-" + w.email},
                       {"emailAddress", w.email},
                       {"displayName", w.email},
                       {"active", true}};
  return {{"self", c.base + "/issue/" + i.id + "/comment/" + cm.id},
          {"id", cm.id},
          {"author", author},
          {"updateAuthor", author},
          {"body", rich_text_for(cm.body, c.version)},
          {"created", jira_time(cm.created_ms)},
          {"updated", jira_time(cm.created_ms)}};
}

json link_json(const call& c, const issue& i, const remote_link& l) {
  json out = l.link;
  out["id"] = l.id;
  out["self"] = c.base + "/issue/" + i.key + "/remotelink/" + std::to_string(l.id);
  return out;
}

}  // namespace

std::optional<std::string> rich_text_problem(const json& value, int version) {
  if (value.is_null()) return std::nullopt;
  if (version == 3 && !is_adf_doc(value))
    return "Operation value must be an Atlassian Document (see the Atlassian Document Format)";
  if (version == 2 && !value.is_string()) return "Operation value must be a string";
  return std::nullopt;
}

net::response create_issue(world& w, const call& c) {
  if (c.body.is_discarded()) return not_json();
  const json fields = c.body.is_object() ? c.body.value("fields", json::object()) : json::object();
  issue draft;
  json errors =
      apply_fields(w, fields.is_object() ? fields : json::object(), c.version, true, draft);
  if (!errors.empty()) return jira_error(400, json::array(), std::move(errors));
  project& p = *w.find_project(draft.project_key);
  draft.id = w.next_id();
  draft.key = p.key + "-" + std::to_string(++p.issues_created);
  draft.created_ms = draft.updated_ms = c.now_ms;
  w.issues.push_back(draft);
  return json_reply(
      201, {{"id", draft.id}, {"key", draft.key}, {"self", c.base + "/issue/" + draft.id}});
}

net::response get_issue(world& w, const call& c) {
  const issue* i = w.find_issue(c.params.at(0));
  if (i == nullptr) return issue_missing();
  return json_reply(200, {{"expand", "renderedFields,names,schema,operations,editmeta,changelog"},
                          {"id", i->id},
                          {"self", c.base + "/issue/" + i->id},
                          {"key", i->key},
                          {"fields", select_fields(issue_fields(w, *i, c.base, c.version),
                                                   query_param(c.req.query(), "fields"), "*all")}});
}

net::response edit_issue(world& w, const call& c) {
  if (c.body.is_discarded()) return not_json();
  issue* i = w.find_issue(c.params.at(0));
  if (i == nullptr) return issue_missing();
  json errors = json::object();
  issue draft = *i;
  if (c.body.is_object() && c.body.contains("fields") && c.body["fields"].is_object())
    errors = apply_fields(w, c.body["fields"], c.version, false, draft);
  // `update` operations are not simulated; each one is refused like an unknown field.
  if (c.body.is_object() && c.body.contains("update") && c.body["update"].is_object())
    for (const auto& [name, ops] : c.body["update"].items())
      errors[name] = cannot_be_set(name);
  if (!errors.empty()) return jira_error(400, json::array(), std::move(errors));
  *i = std::move(draft);
  i->updated_ms = c.now_ms;
  net::response r;
  r.status = 204;
  return r;
}

net::response add_comment(world& w, const call& c) {
  if (c.body.is_discarded()) return not_json();
  issue* i = w.find_issue(c.params.at(0));
  if (i == nullptr) return issue_missing();
  const json body = c.body.is_object() ? c.body.value("body", json()) : json();
  if (body.is_null() || body == "")
    return jira_error(400, json::array(), {{"comment", "Comment body can not be empty!"}});
  if (auto problem = rich_text_problem(body, c.version))
    return jira_error(400, json::array(), {{"comment", *problem}});
  i->comments.push_back({w.next_id(), body, c.now_ms});
  i->updated_ms = c.now_ms;
  return json_reply(201, comment_json(w, c, *i, i->comments.back()));
}

net::response list_comments(world& w, const call& c) {
  const issue* i = w.find_issue(c.params.at(0));
  if (i == nullptr) return issue_missing();
  json comments = json::array();
  for (const comment& cm : i->comments)
    comments.push_back(comment_json(w, c, *i, cm));
  const auto total = comments.size();
  return json_reply(
      200,
      {{"startAt", 0}, {"maxResults", total}, {"total", total}, {"comments", std::move(comments)}});
}

net::response upsert_remote_link(world& w, const call& c) {
  if (c.body.is_discarded()) return not_json();
  issue* i = w.find_issue(c.params.at(0));
  if (i == nullptr) return issue_missing();
  const json object = c.body.is_object() ? c.body.value("object", json()) : json();
  json errors = json::object();
  if (string_at(object, "url").empty()) errors["url"] = "'url' is required.";
  if (string_at(object, "title").empty()) errors["title"] = "'title' is required.";
  if (!errors.empty()) return jira_error(400, json::array(), std::move(errors));
  const std::string global_id = string_at(c.body, "globalId");
  auto existing = std::find_if(i->links.begin(), i->links.end(), [&](const remote_link& l) {
    return !global_id.empty() && string_at(l.link, "globalId") == global_id;
  });
  const bool created = existing == i->links.end();
  if (created) existing = i->links.insert(i->links.end(), {std::stoll(w.next_id()), {}});
  existing->link = c.body;  // an update replaces the whole link: omitted fields are nulled
  i->updated_ms = c.now_ms;
  return json_reply(created ? 201 : 200, {{"id", existing->id},
                                          {"self", c.base + "/issue/" + i->key + "/remotelink/" +
                                                       std::to_string(existing->id)}});
}

net::response list_remote_links(world& w, const call& c) {
  const issue* i = w.find_issue(c.params.at(0));
  if (i == nullptr) return issue_missing();
  const auto wanted = query_param(c.req.query(), "globalId");
  json out = json::array();
  for (const remote_link& l : i->links) {
    if (!wanted)
      out.push_back(link_json(c, *i, l));
    else if (string_at(l.link, "globalId") == *wanted)
      return json_reply(200, link_json(c, *i, l));
  }
  if (wanted) return jira_error(404, {"No remote link with global id '" + *wanted + "' found."});
  return json_reply(200, out);
}

}  // namespace warroom::sim::jira
