#include "mm_commands.hpp"

#include <algorithm>

#include <warroom/util/url.hpp>
#include <warroom/webhook/form.hpp>

#include "mm_api.hpp"
#include "mm_jira_http.hpp"

namespace warroom::sim::mm {
namespace {

bool has_strings(const json& args, std::initializer_list<const char*> keys) {
  for (const char* key : keys)
    if (!args.value(key, json()).is_string()) return false;
  return true;
}

}  // namespace

result<json> start_command(world& w, const json& args, std::int64_t now_ms) {
  if (!args.is_object() || !has_strings(args, {"user_id", "channel_id", "text", "url", "token"}))
    return make_error("bad_request",
                      "command needs string user_id, channel_id, text, url and token");
  const user* typist = w.find_user(args["user_id"].get<std::string>());
  const channel* ch = w.find_channel(args["channel_id"].get<std::string>());
  if (typist == nullptr || ch == nullptr)
    return make_error("not_found", "command: no such user or channel");
  const std::string url = args["url"].get<std::string>();
  const auto path_start =
      url.find('/', url.find("://") == std::string::npos ? 0 : url.find("://") + 3);
  const auto origin = util::parse_url(url.substr(0, path_start));
  if (!origin || path_start == std::string::npos)
    return make_error("bad_request", "command: url must be an absolute http(s) URL with a path");

  json record = {{"user_id", typist->id}, {"channel_id", ch->id},    {"text", args["text"]},
                 {"status", 0},           {"integration_status", 0}, {"response", nullptr}};
  // create_post permission: members of the channel only (ExecuteCommand checks it first).
  if (!typist->on_team || !w.is_member(ch->id, typist->id)) {
    record["status"] = 403;
    record["error"] = "api.command.execute_command.no_permission.app_error";
    w.commands.push_back(record);
    return json{{"queued", false}, {"status", 403}, {"error", record["error"]}};
  }
  const std::string trigger_id =
      args.value("trigger_id", base64_encode(w.new_id() + ":" + typist->id + ":" +
                                             std::to_string(now_ms) + ":sim-signature"));
  const std::string trigger = args.value("trigger", std::string("incident"));
  const std::string hook_id = w.new_id();
  // doCommandRequest: url.Values, so Encode() sorts the names.
  const webhook::form_fields form = {{"token", args["token"].get<std::string>()},
                                     {"team_id", ch->team_id},
                                     {"team_domain", w.team_name},
                                     {"channel_id", ch->id},
                                     {"channel_name", ch->name},
                                     {"user_id", typist->id},
                                     {"user_name", typist->username},
                                     {"command", "/" + trigger},
                                     {"text", args["text"].get<std::string>()},
                                     {"trigger_id", trigger_id},
                                     {"response_url", w.site_url + "/hooks/commands/" + hook_id}};
  record["trigger_id"] = trigger_id;
  record["hook_id"] = hook_id;
  record["hook_answers"] = json::array();
  record["create_at"] = now_ms;
  const std::size_t index = w.commands.size();
  w.commands.push_back(record);

  outbound out;
  out.purpose = "command";
  out.correlation = {{"command", index}};
  out.call.method = api::http_method::post;
  out.call.origin = origin->origin();
  out.call.target = url.substr(path_start);
  out.call.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                      {"Accept", "application/json"},
                      {"Authorization", "Token " + args["token"].get<std::string>()}};
  out.call.body = webhook::encode_form(form);
  w.outbox.push_back(std::move(out));
  return json{{"queued", true}, {"command", index}, {"trigger_id", trigger_id}};
}

net::response answer_command_hook(world& w, std::string_view hook_id, std::string_view body,
                                  std::int64_t now_ms) {
  constexpr std::int64_t lifetime_ms = 30 * 60 * 1000;
  constexpr std::size_t max_uses = 5;
  auto it = std::find_if(w.commands.begin(), w.commands.end(),
                         [&](const json& c) { return c.value("hook_id", "") == hook_id; });
  if (it == w.commands.end())
    return w.app_error(404, "app.command_webhook.get.missing.app_error",
                       "Unable to find the webhook.");
  json& record = *it;
  if (record["hook_answers"].size() >= max_uses ||
      now_ms - record.value("create_at", std::int64_t{0}) > lifetime_ms)
    return w.app_error(400, "app.command_webhook.try_use.invalid.app_error", "Invalid webhook.");
  const json answer = parse_json(body);
  if (!answer.is_object() || !answer.value("text", json()).is_string())
    return w.app_error(400, "api.command.webhook.invalid_body.app_error",
                       "Unable to parse the command response.");
  record["hook_answers"].push_back(answer);
  if (string_at(answer, "response_type") != "in_channel")
    w.ephemeral_posts.push_back({{"user_id", record["user_id"]},
                                 {"channel_id", record["channel_id"]},
                                 {"root_id", ""},
                                 {"message", answer["text"]},
                                 {"create_at", now_ms}});
  net::response ok;
  ok.body = "ok";
  ok.set_header("Content-Type", "text/plain");
  return ok;
}

void finish_command(world& w, const outbound& sent, const api::http_reply& reply,
                    std::int64_t now_ms) {
  const auto index = sent.correlation.value("command", json());
  if (!index.is_number_unsigned() || index.get<std::size_t>() >= w.commands.size()) return;
  json& record = w.commands[index.get<std::size_t>()];
  record["integration_status"] = reply.status;
  const json answer = reply.body.empty() ? json::object() : parse_json(reply.body);
  if (reply.status != 200 || !answer.is_object()) {
    record["status"] = 500;  // "Command with a trigger of ... failed"
    record["error"] = "api.command.execute_command.failed.app_error";
    return;
  }
  record["status"] = 200;
  record["response"] = answer;
  const std::string text = string_at(answer, "text");
  if (text.empty()) return;
  const bool in_channel = string_at(answer, "response_type") == "in_channel";
  if (in_channel) return;  // warroom never answers in channel; nothing to model
  w.ephemeral_posts.push_back({{"user_id", record["user_id"]},
                               {"channel_id", record["channel_id"]},
                               {"root_id", ""},
                               {"message", text},
                               {"create_at", now_ms}});
}

}  // namespace warroom::sim::mm
