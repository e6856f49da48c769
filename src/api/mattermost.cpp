#include <algorithm>

#include <nlohmann/json.hpp>

#include <warroom/api/mattermost.hpp>
#include <warroom/api/vendor_error.hpp>

namespace warroom::api {
namespace {

using nlohmann::json;

constexpr std::string_view vendor = "Mattermost";
// AppError id of a request that matched no route: the base URL is wrong, not the object absent.
constexpr std::string_view no_route_id = "api.context.404.app_error";

http_call make_call(const mattermost_endpoint& ep, http_method method, std::string path,
                    std::optional<std::string> body = std::nullopt) {
  std::vector<header> headers = {{"Authorization", "Bearer " + std::string(ep.token.reveal())},
                                 {"Accept", "application/json"}};
  if (body) headers.push_back({"Content-Type", "application/json"});
  return {method, ep.base.origin(), ep.base.path + "/api/v4" + path, std::move(headers),
          std::move(body).value_or("")};
}

std::string segment(std::string_view id) {
  return util::percent_encode(id);
}

// The JSON of a 2xx reply, or the error the reply stands for.
result<json> success_body(const http_reply& reply) {
  if (!is_success(reply.status)) return mattermost_error(reply);
  json body = parse_body(reply.body);
  if (body.is_discarded()) return bad_reply(vendor, "body is not JSON");
  return body;
}

result<mattermost_user> parse_user(const json& user) {
  auto id = string_at(user, "id");
  auto username = string_at(user, "username");
  if (!id || !username) return bad_reply(vendor, "user lacks id or username");
  return mattermost_user{std::move(*id), std::move(*username),
                         string_at(user, "email").value_or(""),
                         integer_at(user, "delete_at").value_or(0)};
}

result<mattermost_channel> parse_channel(const json& channel) {
  auto id = string_at(channel, "id");
  auto name = string_at(channel, "name");
  if (!id || !name) return bad_reply(vendor, "channel lacks id or name");
  return mattermost_channel{std::move(*id),
                            string_at(channel, "team_id").value_or(""),
                            std::move(*name),
                            string_at(channel, "display_name").value_or(""),
                            string_at(channel, "type").value_or(""),
                            integer_at(channel, "delete_at").value_or(0)};
}

// A lookup whose 404 means "no such object" rather than a failure.
bool absent(const http_reply& reply) {
  return reply.status == 404 && mattermost_error(reply).code != no_route_id;
}

// A 400 AppError `id`: the server refusing a change already made.
bool is_refusal(const http_reply& reply, std::string_view id) {
  return reply.status == 400 && mattermost_error(reply).code == id;
}

json post_body(std::string_view message, const json& props) {
  json body = {{"message", std::string(message)}};
  if (!props.is_null()) body["props"] = props;
  return body;
}

bool lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool hex_digit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

}  // namespace

http_call mattermost_get(const mattermost_endpoint& ep, std::string path) {
  return make_call(ep, http_method::get, std::move(path));
}

error mattermost_error(const http_reply& reply) {
  const json body = parse_body(reply.body);
  const auto id = string_at(body, "id");
  if (!id || id->empty()) return http_status_error(vendor, reply);
  std::string message = vendor_text(string_at(body, "message").value_or(""));
  if (message.empty())
    message = std::string(vendor) + " answered HTTP " + std::to_string(reply.status);
  return make_error(vendor_text(*id), std::move(message));
}

http_call create_channel(const mattermost_endpoint& ep, std::string_view team_id,
                         std::string_view name, std::string_view display_name, channel_type type,
                         std::string_view purpose, std::string_view header) {
  const json body = {{"team_id", std::string(team_id)},
                     {"name", std::string(name)},
                     {"display_name", std::string(display_name)},
                     {"type", std::string(1, static_cast<char>(type))},
                     {"purpose", std::string(purpose)},
                     {"header", std::string(header)}};
  return make_call(ep, http_method::post, "/channels", to_body(body));
}

result<mattermost_channel> read_channel(const http_reply& reply) {
  auto body = success_body(reply);
  if (!body) return body.error();
  return parse_channel(*body);
}

bool is_channel_exists(const error& err) {
  return err.code == "store.sql_channel.save_channel.exists.app_error" ||
         err.code == "store.sql_channel.save_channel.previously.app_error";
}

http_call get_channel_by_name(const mattermost_endpoint& ep, std::string_view team_id,
                              std::string_view name, bool include_deleted) {
  std::string path = "/teams/" + segment(team_id) + "/channels/name/" + segment(name);
  if (include_deleted) path += "?include_deleted=true";
  return make_call(ep, http_method::get, std::move(path));
}

result<std::optional<mattermost_channel>> read_channel_if_found(const http_reply& reply) {
  if (absent(reply)) return std::optional<mattermost_channel>{};
  auto channel = read_channel(reply);
  if (!channel) return channel.error();
  return std::optional(std::move(*channel));
}

http_call restore_channel(const mattermost_endpoint& ep, std::string_view channel_id) {
  return make_call(ep, http_method::post, "/channels/" + segment(channel_id) + "/restore");
}

result<void> read_restored(const http_reply& reply) {
  if (is_refusal(reply, "api.channel.restore_channel.restored.app_error")) return {};
  auto channel = read_channel(reply);
  if (!channel) return channel.error();
  return {};
}

http_call archive_channel(const mattermost_endpoint& ep, std::string_view channel_id) {
  return make_call(ep, http_method::delete_, "/channels/" + segment(channel_id));
}

result<void> read_archived(const http_reply& reply) {
  if (is_refusal(reply, "api.channel.delete_channel.deleted.app_error")) return {};
  auto body = success_body(reply);
  if (!body) return body.error();
  if (string_at(*body, "status") != std::optional<std::string>("OK"))
    return bad_reply(vendor, "archive answer lacks status OK");
  return {};
}

http_call add_channel_member(const mattermost_endpoint& ep, std::string_view channel_id,
                             std::string_view user_id) {
  return make_call(ep, http_method::post, "/channels/" + segment(channel_id) + "/members",
                   to_body(json{{"user_id", std::string(user_id)}}));
}

result<void> read_channel_member(const http_reply& reply) {
  auto body = success_body(reply);
  if (!body) return body.error();
  if (!string_at(*body, "channel_id") || !string_at(*body, "user_id"))
    return bad_reply(vendor, "channel member lacks channel_id or user_id");
  return {};
}

http_call get_user_by_email(const mattermost_endpoint& ep, std::string_view email) {
  return make_call(ep, http_method::get, "/users/email/" + encode_path_segment(email));
}

http_call get_user(const mattermost_endpoint& ep, std::string_view user_id) {
  return make_call(ep, http_method::get, "/users/" + segment(user_id));
}

result<mattermost_user> read_mattermost_user(const http_reply& reply) {
  auto body = success_body(reply);
  if (!body) return body.error();
  return parse_user(*body);
}

result<std::optional<mattermost_user>> read_user_if_found(const http_reply& reply) {
  if (absent(reply)) return std::optional<mattermost_user>{};
  auto user = read_mattermost_user(reply);
  if (!user) return user.error();
  return std::optional(std::move(*user));
}

http_call get_users_by_usernames(const mattermost_endpoint& ep,
                                 std::span<const std::string> usernames) {
  return make_call(ep, http_method::post, "/users/usernames",
                   to_body(json(std::vector<std::string>(usernames.begin(), usernames.end()))));
}

result<std::vector<mattermost_user>> read_mattermost_users(const http_reply& reply) {
  auto body = success_body(reply);
  if (!body) return body.error();
  if (!body->is_array()) return bad_reply(vendor, "user list is not an array");
  std::vector<mattermost_user> users;
  for (const json& entry : *body) {
    auto user = parse_user(entry);
    if (!user) return user.error();
    users.push_back(std::move(*user));
  }
  return users;
}

result<http_call> command_response(const mattermost_endpoint& ep, std::string_view response_url,
                                   std::string_view text) {
  auto url = util::parse_url(response_url);
  const std::string hooks = ep.base.path + "/hooks/commands/";
  if (!url || url->origin() != ep.base.origin() || !url->path.starts_with(hooks) ||
      url->path.size() == hooks.size() || url->path.find('/', hooks.size()) != std::string::npos)
    return make_error("bad_response_url",
                      "response_url is not a command hook of the configured "
                      "Mattermost server");
  const json body = {{"response_type", "ephemeral"}, {"text", std::string(text)}};
  return http_call{http_method::post,
                   url->origin(),
                   url->path,
                   {{"Accept", "application/json"}, {"Content-Type", "application/json"}},
                   to_body(body)};
}

http_call create_post(const mattermost_endpoint& ep, std::string_view channel_id,
                      std::string_view message, const nlohmann::json& props,
                      std::optional<std::string_view> root_id) {
  json body = post_body(message, props);
  body["channel_id"] = std::string(channel_id);
  if (root_id) body["root_id"] = std::string(*root_id);
  return make_call(ep, http_method::post, "/posts", to_body(body));
}

http_call patch_post(const mattermost_endpoint& ep, std::string_view post_id,
                     std::string_view message, const nlohmann::json& props) {
  return make_call(ep, http_method::put, "/posts/" + segment(post_id) + "/patch",
                   to_body(post_body(message, props)));
}

http_call get_channel_posts(const mattermost_endpoint& ep, std::string_view channel_id,
                            int per_page) {
  return make_call(
      ep, http_method::get,
      "/channels/" + segment(channel_id) + "/posts?page=0&per_page=" + std::to_string(per_page));
}

result<std::vector<mattermost_post>> read_channel_posts(const http_reply& reply) {
  auto body = success_body(reply);
  if (!body) return body.error();
  const auto posts = body->find("posts");
  if (posts == body->end() || !posts->is_object())
    return bad_reply(vendor, "post list lacks posts");
  std::vector<mattermost_post> out;
  for (const auto& [id, post] : posts->items()) {
    if (!post.is_object()) continue;
    mattermost_post p;
    p.id = id;
    if (auto props = post.find("props"); props != post.end() && props->is_object())
      p.props = *props;
    out.push_back(std::move(p));
  }
  return out;
}

result<std::string> read_post_id(const http_reply& reply) {
  auto body = success_body(reply);
  if (!body) return body.error();
  auto id = string_at(*body, "id");
  if (!id) return bad_reply(vendor, "post lacks id");
  return std::move(*id);
}

bool valid_action_id(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return lower_alnum(c) || (c >= 'A' && c <= 'Z');
  });
}

bool valid_channel_name(std::string_view name) {
  if (name.size() < 2 || name.size() > 64 || name.size() == 26) return false;
  if (!lower_alnum(name.front()) || !lower_alnum(name.back())) return false;
  const bool charset = std::all_of(name.begin(), name.end(),
                                   [](char c) { return lower_alnum(c) || c == '-' || c == '_'; });
  if (!charset) return false;
  if (name.size() == 40 && std::all_of(name.begin(), name.end(), hex_digit)) return false;
  const bool direct_message = name.size() == 54 && name.substr(26, 2) == "__";
  return !direct_message;
}

}  // namespace warroom::api
