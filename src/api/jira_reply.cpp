#include <algorithm>
#include <array>
#include <cctype>

#include <warroom/api/jira_reply.hpp>
#include <warroom/api/vendor_error.hpp>

namespace warroom::api {
namespace {

using nlohmann::json;

constexpr std::string_view vendor = "jira";

void append(std::string& out, std::string_view part) {
  if (part.empty()) return;
  if (!out.empty()) out += "; ";
  out += part;
}

// ErrorCollection: {"errorMessages":[...],"errors":{"field":"message"}}; gateways and some
// Data Center resources answer {"message": "..."} instead.
std::string error_collection_text(const json& body) {
  std::string out;
  if (const json* messages = array_at(body, "errorMessages"))
    for (const json& m : *messages)
      if (m.is_string()) append(out, m.get<std::string>());
  if (const json* errors = object_at(body, "errors"))
    for (const auto& [field, message] : errors->items())
      if (message.is_string()) append(out, field + ": " + message.get<std::string>());
  if (out.empty()) append(out, string_at(body, "message").value_or(""));
  return out;
}

// Some proxies and debug servers echo the request headers into an error page; an echoed
// credential must not travel on into an error message (and from there into logs).
void mask_credentials(std::string& text) {
  const auto lower_equal = [](char pattern, char c) {
    return pattern == std::tolower(static_cast<unsigned char>(c));
  };
  for (std::string_view scheme : {"basic ", "bearer ", "token token="}) {
    auto at = text.begin();
    while ((at = std::search(at, text.end(), scheme.begin(), scheme.end(),
                             [&](char c, char p) { return lower_equal(p, c); })) != text.end()) {
      const auto start = at + static_cast<std::ptrdiff_t>(scheme.size());
      const auto end = std::find_if(
          start, text.end(), [](char c) { return c == ' ' || c == '"' || c == ';' || c == ','; });
      const auto offset = start - text.begin();
      text.replace(start, end, "<redacted>");
      at = text.begin() + offset;
    }
  }
}

// The parsed object of a 2xx reply, or the error to return.
result<json> success_object(const http_reply& reply) {
  if (!is_success(reply.status)) return jira_reply_error(reply);
  json body = parse_body(reply.body);
  if (!body.is_object()) return bad_reply(vendor, "body is not a JSON object");
  return body;
}

// The statusCategory key of a Status object ("new", "indeterminate", "done", ...).
std::string category_key(const json* status) {
  const json* category = status != nullptr ? object_at(*status, "statusCategory") : nullptr;
  return category != nullptr ? string_at(*category, "key").value_or("") : "";
}

}  // namespace

error jira_reply_error(const http_reply& reply) {
  error e = http_status_error(vendor, reply);
  if (const json body = parse_body(reply.body); body.is_object()) {
    const std::string text = vendor_text(error_collection_text(body));
    if (!text.empty())
      e.message = "jira answered HTTP " + std::to_string(reply.status) + ": " + text;
  }
  mask_credentials(e.message);
  return e;
}

result<jira_issue_ref> jira_read_created_issue(const http_reply& reply) {
  auto body = success_object(reply);
  if (!body) return std::move(body).error();
  jira_issue_ref ref{string_at(*body, "id").value_or(""), string_at(*body, "key").value_or(""),
                     string_at(*body, "self").value_or("")};
  if (ref.id.empty() || ref.key.empty())
    return bad_reply(vendor, "created issue without id or key");
  return ref;
}

result<std::vector<jira_found_issue>> jira_read_search(const http_reply& reply) {
  auto body = success_object(reply);
  if (!body) return std::move(body).error();
  const json* issues = array_at(*body, "issues");
  if (issues == nullptr) return bad_reply(vendor, "search result without an issues array");
  std::vector<jira_found_issue> found;
  for (const json& issue : *issues) {
    auto key = string_at(issue, "key");
    if (!key || key->empty()) continue;
    const json* fields = object_at(issue, "fields");
    found.push_back({std::move(*key),
                     category_key(fields != nullptr ? object_at(*fields, "status") : nullptr)});
  }
  return found;
}

result<jira_transition> jira_read_transition_into(const http_reply& reply,
                                                  std::span<const std::string_view> categories) {
  auto body = success_object(reply);
  if (!body) return std::move(body).error();
  const json* transitions = array_at(*body, "transitions");
  if (transitions == nullptr) return bad_reply(vendor, "reply without a transitions array");
  std::string seen;
  std::optional<jira_transition> best;
  std::size_t best_rank = categories.size();
  for (const json& t : *transitions) {
    const std::string category = category_key(object_at(t, "to"));
    jira_transition found{string_at(t, "id").value_or(""), string_at(t, "name").value_or("")};
    const auto rank = static_cast<std::size_t>(
        std::find(categories.begin(), categories.end(), category) - categories.begin());
    if (rank < best_rank && !found.id.empty()) {
      best_rank = rank;
      best = found;
    }
    append(seen, "'" + found.name + "' -> " + (category.empty() ? "?" : category));
  }
  if (best) return *std::move(best);
  std::string wanted;
  for (auto c : categories)
    append(wanted, "'" + std::string(c) + "'");
  if (seen.empty())
    seen = "none; is the issue already there, or does the bot lack 'Transition issues'?";
  return make_error("no_transition",
                    vendor_text("jira: no transition leads to a status in category " + wanted +
                                " (available: " + seen + ")"));
}

result<jira_transition> jira_read_done_transition(const http_reply& reply) {
  static constexpr std::array<std::string_view, 1> done{"done"};
  return jira_read_transition_into(reply, done);
}

result<jira_transition> jira_read_reopen_transition(const http_reply& reply) {
  // Back to work: "To Do" if the workflow has one, else any status in progress.
  static constexpr std::array<std::string_view, 2> open{"new", "indeterminate"};
  return jira_read_transition_into(reply, open);
}

result<std::string> jira_read_issue_category(const http_reply& reply) {
  auto body = success_object(reply);
  if (!body) return std::move(body).error();
  const json* fields = object_at(*body, "fields");
  std::string category = category_key(fields != nullptr ? object_at(*fields, "status") : nullptr);
  if (category.empty())
    return bad_reply(vendor, "issue reply without fields.status.statusCategory");
  return category;
}

result<void> jira_read_ok(const http_reply& reply) {
  if (is_success(reply.status)) return {};
  return jira_reply_error(reply);
}

}  // namespace warroom::api
