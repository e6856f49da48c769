#include <algorithm>
#include <array>
#include <utility>

#include <warroom/webhook/incident_command.hpp>

namespace warroom::webhook {
namespace {

constexpr std::size_t max_note_bytes = 25000;  // PagerDuty's limit on a note's content
constexpr std::size_t max_title_bytes = 1024;
constexpr std::size_t max_users = 20;

constexpr std::array<std::pair<std::string_view, command_verb>, 11> verbs = {{
    {"help", command_verb::help},
    {"status", command_verb::status},
    {"ack", command_verb::ack},
    {"acknowledge", command_verb::ack},
    {"resolve", command_verb::resolve},
    {"note", command_verb::note},
    {"add", command_verb::add},
    {"page", command_verb::page},
    {"priority", command_verb::priority},
    {"new", command_verb::declare},
    {"declare", command_verb::declare},
}};

bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_space(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_space(s.back()))
    s.remove_suffix(1);
  return s;
}

/// The first word of `s` and the trimmed rest.
std::pair<std::string_view, std::string_view> split_word(std::string_view s) noexcept {
  s = trim(s);
  std::size_t end = 0;
  while (end < s.size() && !is_space(s[end]))
    ++end;
  return {s.substr(0, end), trim(s.substr(end))};
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  });
  return out;
}

error usage(std::string sentence) {
  return make_error("usage", std::move(sentence));
}

/// "@Alice" → "alice"; empty when Mattermost could not have such a username.
std::string username_of(std::string_view word) {
  if (word.starts_with('@')) word.remove_prefix(1);
  if (word.empty() || word.size() > 64) return {};
  std::string name = lower(word);
  const bool valid = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
  });
  return valid ? name : std::string{};
}

result<incident_command> parse_users(incident_command cmd, std::string_view rest) {
  while (!rest.empty()) {
    auto [word, tail] = split_word(rest);
    rest = tail;
    auto name = username_of(word);
    if (name.empty()) return usage("`" + std::string(word.substr(0, 64)) + "` is not a username");
    if (std::find(cmd.users.begin(), cmd.users.end(), name) == cmd.users.end())
      cmd.users.push_back(std::move(name));
  }
  if (cmd.users.empty()) return usage("name at least one person: `/incident add @alice @bob`");
  if (cmd.users.size() > max_users) return usage("at most 20 people at a time");
  if (cmd.verb == command_verb::page && cmd.users.size() != 1)
    return usage("page one person at a time: `/incident page @alice`");
  return cmd;
}

result<incident_command> parse_declare(incident_command cmd, std::string_view rest) {
  auto [flag, tail] = split_word(rest);
  if (flag == "--service") {
    auto [service, title] = split_word(tail);
    if (service.empty()) return usage("`--service` needs a service name or id");
    cmd.service = std::string(service);
    rest = title;
  } else if (flag.starts_with("--")) {
    return usage("unknown option `" + std::string(flag.substr(0, 32)) + "`; only `--service`");
  }
  if (rest.empty()) return usage("give the incident a title: `/incident new <title>`");
  if (rest.size() > max_title_bytes) return usage("the title is too long");
  cmd.text = std::string(rest);
  return cmd;
}

}  // namespace

std::string_view to_string(command_verb verb) noexcept {
  for (const auto& [word, v] : verbs)
    if (v == verb) return word;
  return "help";
}

bool needs_war_room(command_verb verb) noexcept {
  return verb != command_verb::help && verb != command_verb::declare;
}

result<incident_command> parse_incident_command(std::string_view text) {
  auto [word, rest] = split_word(text);
  incident_command cmd;
  if (word.empty()) return cmd;
  const std::string verb = lower(word);
  const auto found = std::find_if(verbs.begin(), verbs.end(),
                                  [&](const auto& entry) { return entry.first == verb; });
  if (found == verbs.end())
    return usage("unknown subcommand `" + std::string(word.substr(0, 32)) +
                 "`; try `/incident help`");
  cmd.verb = found->second;
  switch (cmd.verb) {
    case command_verb::help:
    case command_verb::status:
    case command_verb::ack:
    case command_verb::resolve:
      if (!rest.empty()) return usage("`" + verb + "` takes no arguments");
      return cmd;
    case command_verb::note:
      if (rest.empty()) return usage("write the note: `/incident note <text>`");
      if (rest.size() > max_note_bytes) return usage("the note is too long");
      cmd.text = std::string(rest);
      return cmd;
    case command_verb::add:
    case command_verb::page:
      return parse_users(std::move(cmd), rest);
    case command_verb::priority:
      if (rest.empty() || !split_word(rest).second.empty())
        return usage("name one priority: `/incident priority P1`");
      cmd.text = std::string(rest);
      return cmd;
    case command_verb::declare:
      return parse_declare(std::move(cmd), rest);
  }
  return cmd;
}

std::string command_help(bool in_war_room) {
  std::string out = in_war_room ? "**/incident** in this war room:\n"
                                : "**/incident** (this channel is not a war room):\n";
  out +=
      "- `/incident status`: status, who acknowledged, Jira issue, age\n"
      "- `/incident ack`, `/incident resolve`: what the card's buttons do, as you\n"
      "- `/incident note <text>`: a PagerDuty note as you, shown here\n"
      "- `/incident add @user [@user ...]`: invite people to this channel\n"
      "- `/incident page @user`: ask PagerDuty to page someone for this incident\n"
      "- `/incident priority <name>`: set the PagerDuty priority (and Jira's)\n"
      "- `/incident new [--service <name or id>] <title>`: declare a new incident (any channel)\n";
  if (!in_war_room) out += "Every command but `new` works inside a war-room channel only.\n";
  return out;
}

}  // namespace warroom::webhook
