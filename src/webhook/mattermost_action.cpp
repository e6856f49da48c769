#include <utility>

#include <warroom/webhook/json_input.hpp>
#include <warroom/webhook/mattermost_action.hpp>

namespace warroom::webhook {
namespace {

constexpr std::pair<std::string action_request::*, std::string_view> request_fields[] = {
    {&action_request::user_id, "user_id"},
    {&action_request::user_name, "user_name"},
    {&action_request::channel_id, "channel_id"},
    {&action_request::channel_name, "channel_name"},
    {&action_request::team_id, "team_id"},
    {&action_request::team_domain, "team_domain"},
    {&action_request::post_id, "post_id"},
    {&action_request::trigger_id, "trigger_id"},
    {&action_request::type, "type"},
    {&action_request::data_source, "data_source"},
};

}  // namespace

result<action_request> parse_action_request(std::string_view body) {
  auto parsed = parse_json_body(body);
  if (!parsed) return std::move(parsed).error();
  const nlohmann::json& root = *parsed;
  if (!root.is_object())
    return make_error(errc::bad_request, "action request is not a JSON object");

  action_request out;
  for (const auto& [member, key] : request_fields)
    out.*member = string_field(root, key);

  const auto context = root.find("context");
  if (context == root.end() || context->is_null()) return out;
  if (!context->is_object()) {
    return make_error(errc::bad_request, "action request \"context\" is not an object");
  }
  out.context.action = string_field(*context, "action");
  out.context.incident_id = string_field(*context, "incident_id");
  out.context.token = string_field(*context, "token");
  return out;
}

}  // namespace warroom::webhook
