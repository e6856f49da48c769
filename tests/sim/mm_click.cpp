// Button clicks: what app/integration_action.go does between a user's click and the post update
// (NOTES §3.5): find the action, POST the action request to integration.url, then apply the
// integration's answer (exactly 200 → update and ephemeral text; anything else → an error for
// the clicking user and the post unchanged).
#include <algorithm>

#include <warroom/util/url.hpp>

#include "mm_api.hpp"
#include "mm_jira_http.hpp"

namespace warroom::sim::mm {

namespace {

const char* const action_integration_error = "api.post.do_action.action_integration.app_error";

// The first action with this id in the post's attachments (GetAction), or nullptr.
const json* find_action(const json& post, std::string_view action_id) {
  const auto props = post.find("props");
  if (props == post.end() || !props->is_object() || !props->contains("attachments")) return nullptr;
  for (const json& attachment : (*props)["attachments"]) {
    if (!attachment.is_object() || !attachment.contains("actions")) continue;
    for (const json& action : attachment["actions"])
      if (action.is_object() && string_at(action, "id") == action_id) return &action;
  }
  return nullptr;
}

// Go's json.Marshal escapes <, > and & inside strings; only strings can hold them in JSON.
std::string go_json(const nlohmann::ordered_json& value) {
  std::string out;
  for (const char c : value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)) {
    if (c == '<')
      out += "\\u003c";
    else if (c == '>')
      out += "\\u003e";
    else if (c == '&')
      out += "\\u0026";
    else
      out += c;
  }
  return out;
}

// "https://host:port/path?q" → origin and target; nullopt when not an absolute http(s) URL.
std::optional<std::pair<std::string, std::string>> split_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  const auto path_start = url.find_first_of("/?", scheme_end + 3);
  const auto parsed = util::parse_url(url.substr(0, path_start));
  if (!parsed) return std::nullopt;
  std::string target(path_start == std::string_view::npos ? "" : url.substr(path_start));
  if (target.empty() || target[0] == '?') target.insert(0, "/");
  return std::pair{parsed->origin(), std::move(target)};
}

// PostActionIntegrationRequest, fields in the struct's order; context omitted when empty.
std::string action_request_body(world& w, const json& post, const json& action, const user& clicker,
                                const channel& ch, const json& args, std::int64_t now_ms) {
  json context = action["integration"].value("context", json::object());
  if (args.contains("selected_option") && context.is_object())
    context["selected_option"] = args["selected_option"];
  nlohmann::ordered_json body;
  body["user_id"] = clicker.id;
  body["user_name"] = clicker.username;
  body["channel_id"] = ch.id;
  body["channel_name"] = ch.name;
  body["team_id"] = ch.team_id;
  const std::string* team_name = w.team_name_of(ch.team_id);
  body["team_domain"] = team_name ? *team_name : w.team_name;
  body["post_id"] = post["id"];
  // Signed by the server with a key integrations never get; only good for opening dialogs.
  body["trigger_id"] = base64_encode(w.new_id() + ":" + clicker.id + ":" + std::to_string(now_ms) +
                                     ":sim-signature");
  body["type"] = string_at(action, "type");
  body["data_source"] = string_at(action, "data_source");
  if (context.is_object() && !context.empty())
    body["context"] = nlohmann::ordered_json::parse(context.dump());
  return go_json(body);
}

json refuse(click& record, const app_problem& problem) {
  record.status = problem.status;
  record.error = problem.id;
  return {{"queued", false}, {"status", problem.status}, {"error", problem.id}};
}

// Slack "<url|text>" links become Markdown "[text](url)" (ParseSlackLinksToMarkdown).
std::string slack_links_to_markdown(std::string text) {
  std::size_t open = 0;
  while ((open = text.find('<', open)) != std::string::npos) {
    const auto close = text.find('>', open);
    if (close == std::string::npos) break;
    const std::string inner = text.substr(open + 1, close - open - 1);
    const auto bar = inner.find('|');
    if (bar == std::string::npos || inner.find('<') != std::string::npos) {
      ++open;
      continue;
    }
    const std::string md = "[" + inner.substr(bar + 1) + "](" + inner.substr(0, bar) + ")";
    text.replace(open, close - open + 1, md);
    open += md.size();
  }
  return text;
}

// UpdatePost with the integration's `update`: message replaced (blank when absent), props
// replaced unless absent/null, retained keys and is_pinned/has_reactions kept.
std::optional<app_problem> apply_update(world& w, json& post, const json& update,
                                        std::int64_t now_ms) {
  const json message = update.value("message", json(""));
  const auto props = update.find("props");
  const bool replace_props = props != update.end() && !props->is_null();
  if (auto problem = post_fields_problem(message, replace_props ? &*props : nullptr))
    return problem;
  const channel* ch = w.find_channel(string_at(post, "channel_id"));
  if (ch != nullptr && ch->delete_at != 0)
    return app_problem{400, "api.post.update_post.can_not_update_post_in_deleted.error",
                       "Can not update post in deleted channel."};
  if (replace_props) {
    json next = *props;
    for (const char* key : {"from_webhook", "override_username", "override_icon_url"})
      if (post["props"].contains(key)) next[key] = post["props"][key];
    post["props"] = std::move(next);
  }
  if (post["message"] != message) post["edit_at"] = now_ms;
  post["message"] = message;
  if (update.contains("file_ids") && update["file_ids"].is_array())
    post["file_ids"] = update["file_ids"];
  else
    post.erase("file_ids");
  post["update_at"] = now_ms;
  normalize_actions(w, post);
  return std::nullopt;
}

}  // namespace

result<json> start_click(world& w, const json& args, std::int64_t now_ms) {
  if (!args.is_object() || !args.value("post_id", json()).is_string() ||
      !args.value("action_id", json()).is_string() || !args.value("user_id", json()).is_string())
    return make_error("bad_request", "click needs string post_id, action_id and user_id");
  const json* post = w.find_post(args["post_id"].get<std::string>());
  const user* clicker = w.find_user(args["user_id"].get<std::string>());
  if (post == nullptr || clicker == nullptr)
    return make_error("not_found", "click: no such post or user");
  const channel* ch = w.find_channel(string_at(*post, "channel_id"));
  if (ch == nullptr) return make_error("not_found", "click: the post's channel is gone");

  const std::size_t index = w.clicks.size();
  click& record = w.clicks.emplace_back();
  record.post_id = args["post_id"].get<std::string>();
  record.action_id = args["action_id"].get<std::string>();
  record.user_id = clicker->id;
  // read_channel: team members may read public channels, only members private ones.
  if (!clicker->on_team || (ch->type == "P" && !w.is_member(ch->id, clicker->id)))
    return refuse(record, {403, "api.context.permissions.app_error", ""});
  if (!is_routable_action_id(record.action_id))  // the route itself does not match
    return refuse(record, {404, "api.context.404.app_error", ""});
  const json* action = find_action(*post, record.action_id);
  if (action == nullptr || !action->contains("integration"))
    return refuse(record, {404, "api.post.do_action.action_id.app_error", ""});
  const auto target = split_url(string_at((*action)["integration"], "url"));
  if (!target)  // a /plugins/ URL: served by a plugin inside Mattermost, not simulated here
    return refuse(record, {501, "sim.plugin_integration_unsupported", ""});

  outbound out;
  out.purpose = "action";
  out.correlation = {{"click", index}};
  out.call.method = api::http_method::post;
  out.call.origin = target->first;
  out.call.target = target->second;
  out.call.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
  out.call.body = action_request_body(w, *post, *action, *clicker, *ch, args, now_ms);
  w.outbox.push_back(std::move(out));
  return json{{"queued", true}, {"click", index}};
}

void finish_click(world& w, const outbound& sent, const api::http_reply& reply,
                  std::int64_t now_ms) {
  const auto index = sent.correlation.value("click", json());
  if (!index.is_number_unsigned() || index.get<std::size_t>() >= w.clicks.size()) return;
  click& record = w.clicks[index.get<std::size_t>()];
  record.integration_status = reply.status;
  const json answer = reply.body.empty() ? json::object() : parse_json(reply.body);
  json* post = w.find_post(record.post_id);
  if (reply.status != 200 || !answer.is_object() || post == nullptr) {
    record.status = 400;  // the clicking user sees the error; the post stays as it was
    record.error = action_integration_error;
    return;
  }
  if (const auto update = answer.find("update"); update != answer.end() && update->is_object()) {
    if (auto problem = apply_update(w, *post, *update, now_ms)) {
      record.status = problem->status;
      record.error = problem->id;
      return;
    }
  }
  record.status = 200;
  const std::string ephemeral = string_at(answer, "ephemeral_text");
  if (ephemeral.empty()) return;
  record.ephemeral_text = answer.value("skip_slack_parsing", json(false)) == true
                              ? ephemeral
                              : slack_links_to_markdown(ephemeral);
  w.ephemeral_posts.push_back({{"user_id", record.user_id},
                               {"channel_id", (*post)["channel_id"]},
                               {"root_id", string_at(*post, "root_id")},
                               {"message", record.ephemeral_text},
                               {"create_at", now_ms}});
}

}  // namespace warroom::sim::mm
