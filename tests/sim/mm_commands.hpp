// warroom-sim: custom slash commands, as app/command.go runs them. A user "types" a command
// through the control API; the fake sends the integration Mattermost's exact request (form
// fields, `Authorization: Token <token>`) and records the answer, as the typing user would see it.
#pragma once

#include "mm_model.hpp"

namespace warroom::sim::mm {

/// Control verb "command" {"user_id", "channel_id", "text", "url", "token"[, "trigger",
/// "trigger_id"]}
/// (`trigger` defaults to "incident"; `trigger_id` to a fresh one — give the same twice to model
/// a repeated delivery). Refused like Mattermost when the user cannot post in the channel.
result<json> start_command(world& w, const json& args, std::int64_t now_ms);
/// Records the integration's answer; an ephemeral CommandResponse becomes an ephemeral post.
/// POST {site}/hooks/commands/{hook_id}: a command's response_url, good for 5 answers within 30
/// minutes of the command (Mattermost's command webhook). An ephemeral answer becomes an
/// ephemeral post to the typist; every answer is kept in the command's "hook_answers".
net::response answer_command_hook(world& w, std::string_view hook_id, std::string_view body,
                                  std::int64_t now_ms);
void finish_command(world& w, const outbound& sent, const api::http_reply& reply,
                    std::int64_t now_ms);

}  // namespace warroom::sim::mm
