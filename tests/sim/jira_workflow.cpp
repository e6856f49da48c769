// Workflow transitions (NOTES §4.3): every transition is global and leads to one status whose
// category carries Jira's real id, key and name; a transition into the current status is not
// offered. Transition screens are empty, so only `update.comment` may travel with one.
#include <algorithm>
#include <variant>

#include "jira_api.hpp"
#include "mm_jira_http.hpp"

namespace warroom::sim::jira {

namespace {

json transition_json(const world& w, const transition& t, std::string_view base) {
  return {{"id", t.id},
          {"name", t.name},
          {"to", status_json(w.statuses.at(t.to), base)},
          {"hasScreen", false},
          {"isGlobal", true},
          {"isInitial", false},
          {"isAvailable", true},
          {"isConditional", false},
          {"isLooped", false}};
}

bool available(const transition& t, const issue& i) {
  return t.to != i.status;
}

// The comments of `update.comment` ([{"add":{"body":...}}]), or the field errors.
std::variant<std::vector<json>, json> update_comments(const json& update, int version) {
  std::vector<json> bodies;
  json errors = json::object();
  for (const auto& [name, ops] : update.items()) {
    if (name != "comment" || !ops.is_array()) {
      errors[name] = cannot_be_set(name);
      continue;
    }
    for (const json& op : ops) {
      const json add = op.is_object() ? op.value("add", json()) : json();
      const json body = add.is_object() ? add.value("body", json()) : json();
      if (auto problem = rich_text_problem(body, version); problem || body.is_null())
        errors["comment"] = problem.value_or("Comment body can not be empty!");
      else
        bodies.push_back(body);
    }
  }
  if (!errors.empty()) return errors;
  return bodies;
}

}  // namespace

net::response list_transitions(world& w, const call& c) {
  const issue* i = w.find_issue(c.params.at(0));
  if (i == nullptr) return issue_missing();
  const auto only = query_param(c.req.query(), "transitionId");
  json out = json::array();
  for (const transition& t : w.transitions)
    if (available(t, *i) && (!only || *only == t.id)) out.push_back(transition_json(w, t, c.base));
  return json_reply(200, {{"expand", "transitions"}, {"transitions", std::move(out)}});
}

net::response do_transition(world& w, const call& c) {
  if (c.body.is_discarded())
    return jira_error(400, {"Unexpected character: the request body is not valid JSON."});
  issue* i = w.find_issue(c.params.at(0));
  if (i == nullptr) return issue_missing();
  const json ref = c.body.is_object() ? c.body.value("transition", json()) : json();
  json id = ref.is_object() ? ref.value("id", json()) : json();
  if (id.is_null()) return jira_error(400, {"Missing 'transition' identifier"});
  if (id.is_number_integer()) id = std::to_string(id.get<long long>());
  const std::string text = id.is_string() ? id.get<std::string>() : std::string{};
  if (text.empty() ||
      !std::all_of(text.begin(), text.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
    return jira_error(400, {"'transition' identifier must be an integer"});
  const auto t = std::find_if(w.transitions.begin(), w.transitions.end(),
                              [&](const transition& x) { return x.id == text; });
  if (t == w.transitions.end() || !available(*t, *i))
    return jira_error(400, {"Transition id '" + text + "' is not valid for this issue."});

  json errors = json::object();
  if (c.body.contains("fields") && c.body["fields"].is_object())
    for (const auto& [name, value] : c.body["fields"].items())
      errors[name] = cannot_be_set(name);
  std::vector<json> comments;
  if (c.body.contains("update") && c.body["update"].is_object()) {
    auto parsed = update_comments(c.body["update"], c.version);
    if (auto* problems = std::get_if<json>(&parsed))
      errors.update(*problems);
    else
      comments = std::get<std::vector<json>>(parsed);
  }
  if (!errors.empty()) return jira_error(400, json::array(), std::move(errors));
  i->status = t->to;
  i->updated_ms = c.now_ms;
  for (json& body : comments)
    i->comments.push_back({w.next_id(), std::move(body), c.now_ms});
  net::response r;
  r.status = 204;
  return r;
}

}  // namespace warroom::sim::jira
