// incident_command: the text after `/incident`, parsed into one subcommand. Pure and thread-safe.
// Parsing never consults the store: whether the channel is a war room is decided by the caller.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <warroom/util/result.hpp>

namespace warroom::webhook {

enum class command_verb { help, status, ack, resolve, note, add, page, priority, declare };

struct incident_command {
  command_verb verb = command_verb::help;
  std::string text;                // note text, priority name, title of `new`
  std::vector<std::string> users;  // usernames without '@' (add, page)
  std::string service;             // `new --service <name or id>`; "" = the configured default
};

/// The word typed for a verb ("new" for declare).
std::string_view to_string(command_verb verb) noexcept;
/// Every verb but help, declare acts on the channel's incident.
bool needs_war_room(command_verb verb) noexcept;

/// Parses `help`, `status`, `ack`, `resolve`, `note <text>`, `add @u [@u ...]`, `page @u`,
/// `priority <name>`, `new [--service <name or id>] <title>`; empty text is help. Verbs are
/// case-insensitive, and `acknowledge`/`declare` are accepted as aliases. Errors (code
/// `usage`) carry a sentence fit to show the user: unknown subcommand, missing or extra
/// arguments, a username that Mattermost could not have.
result<incident_command> parse_incident_command(std::string_view text);

/// The help text listing every subcommand; `in_war_room` picks which part is stressed.
std::string command_help(bool in_war_room);

}  // namespace warroom::webhook
