// The slash-command endpoint: POST /webhooks/mattermost/command (DESIGN §8). It answers
// Mattermost at once with ephemeral text; anything that acts is stored as a durable job first
// (deduped on the command's trigger_id), like a button click.
#pragma once

#include <warroom/net/server.hpp>
#include <warroom/routes/intake.hpp>

namespace warroom::routes {

void add_command_routes(net::router& routes, intake_context context);

}  // namespace warroom::routes
