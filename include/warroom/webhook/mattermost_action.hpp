// mattermost_action: the body Mattermost POSTs when a user clicks a message button (NOTES §3.5).
// Pure and thread-safe. The body is unsigned: the context token (action_token.hpp) is what
// authenticates a click, so parsing only checks shape.
#pragma once

#include <string>
#include <string_view>

#include <warroom/util/result.hpp>

namespace warroom::webhook {

/// The button's `integration.context` as we posted it (Mattermost re-serialises it).
struct action_context {
  std::string action;
  std::string incident_id;
  std::string token;
};

/// One click, as Mattermost describes it. Missing fields read as empty strings.
struct action_request {
  std::string user_id;
  std::string user_name;
  std::string channel_id;
  std::string channel_name;
  std::string team_id;
  std::string team_domain;  // the team *name*
  std::string post_id;
  std::string trigger_id;
  std::string type;  // "button" or "select"
  std::string data_source;
  action_context context;
};

/// Parses a callback body. Errors: malformed_json (not JSON), bad_request (JSON that is not an
/// object, or a `context` that is present but not an object).
result<action_request> parse_action_request(std::string_view body);

}  // namespace warroom::webhook
