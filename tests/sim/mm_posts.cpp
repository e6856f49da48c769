// Posts: create, read, patch, list; and the props rules of Post.IsValid for message
// attachments and their actions (NOTES §3.4, model/{integration_action,slack_attachment}.go).
#include <algorithm>
#include <array>

#include "mm_api.hpp"
#include "mm_jira_http.hpp"

namespace warroom::sim::mm {

namespace {

constexpr std::size_t post_message_max_runes = 16383;  // PostMessageMaxRunesV2

bool is_http_url(std::string_view url) {
  for (std::string_view scheme : {"http://", "https://"})
    if (url.substr(0, scheme.size()) == scheme && url.size() > scheme.size()) return true;
  return false;
}

bool is_hex_colour(std::string_view s) {
  return s.size() == 7 && s[0] == '#' && std::all_of(s.begin() + 1, s.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c)) != 0;
         });
}

// PostAction.IsValid.
std::optional<std::string> action_problem(const json& action) {
  if (!action.is_object()) return "action is not an object";
  const std::string type = string_at(action, "type");
  if (type != "button" && type != "select") return "action type must be button or select";
  const auto name = action.find("name");
  if (name == action.end() || !name->is_string() || name->get<std::string>().empty())
    return "action must have a name";
  static constexpr std::array<std::string_view, 6> styles = {"default", "primary", "success",
                                                             "good",    "warning", "danger"};
  const std::string style = string_at(action, "style");
  if (!style.empty() && std::find(styles.begin(), styles.end(), style) == styles.end() &&
      !is_hex_colour(style))
    return "invalid action style";
  if (const auto integration = action.find("integration"); integration != action.end()) {
    if (!integration->is_object()) return "integration is not an object";
    const std::string url = string_at(*integration, "url");
    if (!is_http_url(url) && url.rfind("/plugins/", 0) != 0)
      return "action must have an http(s) or /plugins/ integration URL";
  }
  return std::nullopt;
}

json post_list(const world& w, std::string_view channel_id) {
  json out = {{"order", json::array()},
              {"posts", json::object()},
              {"next_post_id", ""},
              {"prev_post_id", ""},
              {"has_next", false}};
  for (auto it = w.posts.rbegin(); it != w.posts.rend(); ++it) {  // newest first
    if (string_at(*it, "channel_id") != channel_id) continue;
    out["order"].push_back((*it)["id"]);
    out["posts"][(*it)["id"].get<std::string>()] = client_post(*it);
  }
  return out;
}

// The attachments and actions of props, or nullopt.
std::optional<std::string> props_problem(const json& props) {
  const auto attachments = props.find("attachments");
  if (attachments == props.end() || attachments->is_null()) return std::nullopt;
  if (!attachments->is_array()) return "attachments is not an array";
  for (const json& attachment : *attachments) {
    if (!attachment.is_object()) return "attachment is not an object";
    const auto actions = attachment.find("actions");
    if (actions == attachment.end() || actions->is_null()) continue;
    if (!actions->is_array()) return "actions is not an array";
    for (const json& action : *actions)
      if (auto problem = action_problem(action)) return problem;
  }
  return std::nullopt;
}

}  // namespace

std::optional<app_problem> post_fields_problem(const json& message, const json* props) {
  if (!message.is_null() &&
      (!message.is_string() || rune_count(message.get<std::string>()) > post_message_max_runes))
    return app_problem{400, "model.post.is_valid.msg.app_error", "Invalid Message."};
  if (props != nullptr && !props->is_null()) {
    if (!props->is_object())
      return app_problem{400, "api.context.invalid_body_param.app_error",
                         "Invalid or missing post in request body."};
    if (props_problem(*props))
      return app_problem{400, "model.post.is_valid.props.app_error", "Invalid props."};
  }
  return std::nullopt;
}

void normalize_actions(world& w, json& post) {
  json& props = post["props"];
  if (!props.is_object() || !props.contains("attachments") || !props["attachments"].is_array())
    return;
  for (json& attachment : props["attachments"]) {
    if (!attachment.contains("actions") || !attachment["actions"].is_array()) continue;
    for (json& action : attachment["actions"]) {
      const std::string id = string_at(action, "id");
      if (id.empty()) {
        action["id"] = w.new_id();  // GenerateActionIds
        continue;
      }
      // The click route is /posts/{post_id}/actions/{action_id:[A-Za-z0-9]+}: the server stores
      // such a button, but clicking it answers 404 and never reaches the integration.
      const json entry = {{"post_id", post["id"]}, {"action_id", id}};
      if (!is_routable_action_id(id) &&
          std::find(w.unclickable_actions.begin(), w.unclickable_actions.end(), entry) ==
              w.unclickable_actions.end())
        w.unclickable_actions.push_back(entry);
    }
  }
}

net::response create_post(world& w, const call& c) {
  if (!c.body.is_object()) return invalid_body_param(w, "post");
  const std::string channel_id = string_at(c.body, "channel_id");
  const channel* ch = w.find_channel(channel_id);
  if (ch == nullptr) return permission_denied(w);  // create_post is checked on the channel
  if (ch->delete_at != 0)
    return w.app_error(400, "api.post.create_post.can_not_post_to_deleted.error",
                       "Can not post to deleted channel.");
  const json message = c.body.value("message", json(""));
  const auto props = c.body.find("props");
  if (auto problem = post_fields_problem(message, props == c.body.end() ? nullptr : &*props))
    return w.app_error(*problem);
  const std::string root_id = string_at(c.body, "root_id");
  if (!root_id.empty()) {
    const json* root = w.find_post(root_id);
    if (root == nullptr || string_at(*root, "channel_id") != channel_id)
      return w.app_error(400, "api.post.create_post.root_id.app_error",
                         "Invalid RootId parameter.");
  }
  json post = {{"id", w.new_id()},
               {"create_at", c.now_ms},
               {"update_at", c.now_ms},
               {"edit_at", 0},
               {"delete_at", 0},
               {"is_pinned", false},
               {"user_id", w.bot_user_id},
               {"channel_id", channel_id},
               {"root_id", root_id},
               {"original_id", ""},
               {"message", message},
               {"type", ""},
               {"props", json::object()},
               {"hashtags", ""},
               {"pending_post_id", string_at(c.body, "pending_post_id")},
               {"reply_count", 0},
               {"metadata", json::object()}};
  if (props != c.body.end() && props->is_object()) post["props"] = *props;
  if (const auto files = c.body.find("file_ids"); files != c.body.end() && files->is_array())
    post["file_ids"] = *files;
  normalize_actions(w, post);
  w.posts.push_back(post);
  return json_reply(201, client_post(post));
}

net::response get_post(world& w, const call& c) {
  if (!is_valid_id(c.params.at(0))) return invalid_url_param(w, "post_id");
  const json* post = w.find_post(c.params.at(0));
  if (post == nullptr) return w.app_error(404, "app.post.get.app_error", "Unable to get the post.");
  return json_reply(200, client_post(*post));
}

net::response patch_post(world& w, const call& c) {
  if (!is_valid_id(c.params.at(0))) return invalid_url_param(w, "post_id");
  if (!c.body.is_object()) return invalid_body_param(w, "post");
  json* post = w.find_post(c.params.at(0));
  if (post == nullptr) return permission_denied(w);  // edit_post cannot be checked: 403
  const channel* ch = w.find_channel(string_at(*post, "channel_id"));
  if (ch != nullptr && ch->delete_at != 0)
    return w.app_error(400, "api.post.update_post.can_not_update_post_in_deleted.error",
                       "Can not update post in deleted channel.");
  const auto props = c.body.find("props");
  if (auto problem = post_fields_problem(c.body.value("message", json()),
                                         props == c.body.end() ? nullptr : &*props))
    return w.app_error(*problem);
  for (const char* key : {"message", "props", "is_pinned", "file_ids", "has_reactions"})
    if (const auto it = c.body.find(key); it != c.body.end() && !it->is_null()) (*post)[key] = *it;
  (*post)["edit_at"] = (*post)["update_at"] = c.now_ms;
  normalize_actions(w, *post);
  return json_reply(200, client_post(*post));
}

net::response list_posts(world& w, const call& c) {
  if (!is_valid_id(c.params.at(0))) return invalid_url_param(w, "channel_id");
  if (w.find_channel(c.params.at(0)) == nullptr) return permission_denied(w);
  return json_reply(200, post_list(w, c.params.at(0)));
}

}  // namespace warroom::sim::mm
