// JQL search over the issues the index has caught up with: an issue becomes findable
// index_lag_ms after its creation (Jira's index is eventually consistent). The JQL understood is
// the subset the daemon needs — "field = value" clauses on project and labels joined by AND, and
// ORDER BY created/updated/key — anything else is a 400 with a JQL error.
#include <algorithm>
#include <cctype>
#include <variant>

#include "jira_api.hpp"
#include "mm_jira_http.hpp"

namespace warroom::sim::jira {

namespace {

struct query {
  std::vector<std::string> projects;  // keys or ids
  std::vector<std::string> labels;
  std::string order_field = "created";
  bool ascending = false;
};

struct token {
  std::string text;
  bool quoted = false;
  std::size_t at = 0;  // 1-based character position
};

std::vector<token> tokenize(std::string_view jql) {
  std::vector<token> out;
  for (std::size_t i = 0; i < jql.size();) {
    const char c = jql[i];
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      ++i;
    } else if (c == '"' || c == '\'') {
      token t{"", true, i + 1};
      for (++i; i < jql.size() && jql[i] != c; ++i)
        t.text += jql[i] == '\\' && i + 1 < jql.size() ? jql[++i] : jql[i];
      ++i;
      out.push_back(std::move(t));
    } else if (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' ||
               c == '.') {
      token t{"", false, i + 1};
      while (i < jql.size() && (std::isalnum(static_cast<unsigned char>(jql[i])) != 0 ||
                                jql[i] == '_' || jql[i] == '-' || jql[i] == '.'))
        t.text += jql[i++];
      out.push_back(std::move(t));
    } else {
      std::size_t n =
          (c == '!' || c == '<' || c == '>') && i + 1 < jql.size() && jql[i + 1] == '=' ? 2 : 1;
      out.push_back({std::string(jql.substr(i, n)), false, i + 1});
      i += n;
    }
  }
  return out;
}

std::string jql_error(std::string_view expected, const std::vector<token>& tokens, std::size_t at) {
  if (at >= tokens.size())
    return "Error in the JQL Query: Expecting " + std::string(expected) +
           " but reached the end of the query.";
  return "Error in the JQL Query: Expecting " + std::string(expected) + " but got '" +
         tokens[at].text + "'. (line 1, character " + std::to_string(tokens[at].at) + ")";
}

bool keyword(const std::vector<token>& t, std::size_t at, std::string_view word) {
  return at < t.size() && !t[at].quoted && iequals(t[at].text, word);
}

// Parses the supported subset; the error is the errorMessages entry.
std::variant<query, std::string> parse(std::string_view jql) {
  const auto t = tokenize(jql);
  query q;
  std::size_t at = 0;
  while (at < t.size() && !keyword(t, at, "order")) {
    if (at > 0 && !keyword(t, at++, "and")) return jql_error("'AND'", t, at - 1);
    if (at >= t.size() || t[at].quoted) return jql_error("a field name", t, at);
    const std::string field = t[at++].text;
    if (!iequals(field, "project") && !iequals(field, "labels"))
      return "Field '" + field + "' does not exist or you do not have permission to view it.";
    if (at >= t.size() || t[at].text != "=" || t[at].quoted) return jql_error("'='", t, at);
    if (++at >= t.size() || (!t[at].quoted && t[at].text.size() == 1 &&
                             std::ispunct(static_cast<unsigned char>(t[at].text[0])) != 0))
      return jql_error("a value", t, at);
    (iequals(field, "project") ? q.projects : q.labels).push_back(t[at++].text);
  }
  if (at < t.size()) {
    if (!keyword(t, ++at, "by")) return jql_error("'BY'", t, at);
    if (++at >= t.size() ||
        !(keyword(t, at, "created") || keyword(t, at, "updated") || keyword(t, at, "key")))
      return jql_error("created, updated or key", t, at);
    std::string field = t[at++].text;
    std::transform(field.begin(), field.end(), field.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    q.order_field = field;
    q.ascending = keyword(t, at, "asc") || !keyword(t, at, "desc");
    if (keyword(t, at, "asc") || keyword(t, at, "desc")) ++at;
    if (at < t.size()) return jql_error("the end of the query", t, at);
  }
  return q;
}

// The matching, already indexed issues in the requested order, or the 400 answer.
std::variant<std::vector<const issue*>, net::response> run(const world& w, const call& c,
                                                           bool require_bounded) {
  const std::string jql = query_param(c.req.query(), "jql").value_or("");
  auto parsed = parse(jql);
  if (auto* message = std::get_if<std::string>(&parsed)) return jira_error(400, {*message});
  const query& q = std::get<query>(parsed);
  if (require_bounded && q.projects.empty() && q.labels.empty())
    return jira_error(400, {"Unbounded JQL queries are not allowed here. Please add a search "
                            "restriction to your query."});
  for (const auto& p : q.projects)
    if (w.find_project(p) == nullptr)
      return jira_error(400, {"The value '" + p + "' does not exist for the field 'project'."});
  std::vector<const issue*> found;
  for (const issue& i : w.issues) {
    const bool indexed = c.now_ms - i.created_ms >= w.index_lag_ms;
    const bool in_projects = std::all_of(q.projects.begin(), q.projects.end(), [&](const auto& p) {
      return w.find_project(p)->key == i.project_key;
    });
    const bool labelled = std::all_of(q.labels.begin(), q.labels.end(), [&](const auto& l) {
      return std::find(i.labels.begin(), i.labels.end(), l) != i.labels.end();
    });
    if (indexed && in_projects && labelled) found.push_back(&i);
  }
  std::stable_sort(found.begin(), found.end(), [&](const issue* a, const issue* b) {
    const auto rank = [&](const issue* i) {
      return q.order_field == "updated" ? i->updated_ms
             : q.order_field == "key"   ? std::stoll(i->id)  // same order within one project
                                        : i->created_ms;
    };
    return q.ascending ? rank(a) < rank(b) : rank(a) > rank(b);
  });
  return found;
}

json issue_hit(const world& w, const call& c, const issue& i, std::string_view default_fields) {
  const auto param = query_param(c.req.query(), "fields");
  if (param.value_or(std::string(default_fields)) == "id") return {{"id", i.id}};
  return {{"expand", ""},
          {"id", i.id},
          {"self", c.base + "/issue/" + i.id},
          {"key", i.key},
          {"fields", select_fields(issue_fields(w, i, c.base, c.version), param, default_fields)}};
}

std::optional<std::size_t> count_param(const call& c, const char* name, std::size_t fallback) {
  const auto text = query_param(c.req.query(), name);
  if (!text) return fallback;
  if (text->empty() ||
      !std::all_of(text->begin(), text->end(), [](char ch) { return ch >= '0' && ch <= '9'; }) ||
      text->size() > 9)
    return std::nullopt;
  return static_cast<std::size_t>(std::stoul(*text));
}

// One page of a search: the issues found and where the page starts, or the 400 answer.
struct page {
  json issues = json::array();
  std::size_t start = 0;
  std::size_t max = 0;
  std::size_t total = 0;
};

std::variant<page, net::response> search_page(const world& w, const call& c, int version) {
  auto result = run(w, c, version == 3);
  if (auto* answer = std::get_if<net::response>(&result)) return std::move(*answer);
  const auto& found = std::get<std::vector<const issue*>>(result);
  // v3 pages with an opaque token (here: the offset), v2 with startAt.
  const auto start = count_param(c, version == 3 ? "nextPageToken" : "startAt", 0);
  const auto max = count_param(c, "maxResults", 50);
  if (!start || !max) return jira_error(400, {"Invalid page position or maxResults."});
  page p{json::array(), *start, *max, found.size()};
  // v3 returns only ids unless fields are asked for; v2 returns the navigable fields.
  for (std::size_t k = p.start; k < found.size() && k < p.start + p.max; ++k)
    p.issues.push_back(issue_hit(w, c, *found[k], version == 3 ? "id" : "*navigable"));
  return p;
}

}  // namespace

net::response search_jql(world& w, const call& c) {
  auto result = search_page(w, c, 3);
  if (auto* answer = std::get_if<net::response>(&result)) return std::move(*answer);
  page& p = std::get<page>(result);
  const bool last = p.start + p.max >= p.total;
  json out = {{"issues", std::move(p.issues)}, {"isLast", last}};
  if (!last) out["nextPageToken"] = std::to_string(p.start + p.max);
  return json_reply(200, out);
}

net::response search_v2(world& w, const call& c) {
  auto result = search_page(w, c, 2);
  if (auto* answer = std::get_if<net::response>(&result)) return std::move(*answer);
  page& p = std::get<page>(result);
  return json_reply(200, {{"expand", "schema,names"},
                          {"startAt", p.start},
                          {"maxResults", p.max},
                          {"total", p.total},
                          {"issues", std::move(p.issues)}});
}

}  // namespace warroom::sim::jira
