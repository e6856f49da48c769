// slash_command: the request Mattermost sends when a user types a custom slash command (form
// fields token, team_id, channel_id, user_id, user_name, command, text, response_url, trigger_id)
// and the check of its token. Pure and thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <warroom/util/result.hpp>
#include <warroom/util/secret.hpp>
#include <warroom/webhook/intake.hpp>

namespace warroom::webhook {

/// One typed command, token left out (it has been checked and is not kept).
struct slash_request {
  std::string team_id;
  std::string channel_id;
  std::string channel_name;
  std::string user_id;
  std::string user_name;
  std::string command;  // "/incident"
  std::string text;     // everything after the trigger word
  std::string response_url;
  std::string trigger_id;  // unique per typed command: the dedupe key
};

/// True when `candidate` equals one of `tokens`. Every token is compared, over SHA-256 digests,
/// so the time taken tells neither which token matched nor any token's length. Empty never
/// matches.
bool command_token_matches(std::string_view candidate, std::span<const util::secret> tokens);

/// The decision on a slash-command body: 400 when it is not a strict form (the token cannot be
/// read), then 401 for a missing or wrong token (before any other field is looked at), then 400
/// without user_id, channel_id or trigger_id; else the request.
struct slash_decision {
  intake_outcome outcome = intake_outcome::malformed;
  intake_reply reply;  // the answer when `request` is empty
  std::optional<slash_request> request;
};
slash_decision decide_slash_command(std::string_view raw_body,
                                    std::span<const util::secret> tokens);

/// The JSON answer Mattermost shows only to the typing user.
std::string ephemeral_reply(std::string_view text);

}  // namespace warroom::webhook
