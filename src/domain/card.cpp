#include <array>
#include <cctype>

#include <warroom/domain/card.hpp>
#include <warroom/domain/text.hpp>

// Every string put into JSON is valid UTF-8 by construction (valid_utf8 or a helper that calls
// it): nlohmann::json throws on invalid UTF-8 when dumping, and nothing here may throw.

namespace warroom::domain {
namespace {

using json = nlohmann::json;

// PagerDuty titles run to ~1024 characters; the card keeps a readable prefix (the full title is
// one click away on title_link). Mattermost's own message limit is 16383 runes.
constexpr std::size_t title_max_runes = 200;
constexpr std::size_t message_title_max_runes = 300;
constexpr std::size_t short_text_max_runes = 200;
constexpr std::size_t message_max_runes = 16383;
constexpr std::string_view none = "\xE2\x80\x94";  // "—": an empty field value renders as nothing

std::string_view color_for(incident_status status) {
  static constexpr std::array<std::string_view, 3> colors = {"danger", "warning", "good"};
  return colors.at(static_cast<std::size_t>(status));  // indexed by incident_status
}

std::string capitalised(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

/// Our own markdown (actor names, activity): one line, bounded, no channel-wide mention.
std::string own_inline(std::string_view text) {
  return neutralise_broadcasts(cut_runes(single_line(text), short_text_max_runes));
}

/// Plain-text (non-markdown) rendering of the PagerDuty title for the attachment title/fallback.
std::string plain_title(const incident_snapshot& incident) {
  std::string out = "[#" + std::to_string(incident.number) + "]";
  const std::string title = cut_runes(single_line(incident.title), title_max_runes);
  if (!title.empty()) out += " " + neutralise_mentions(title);
  return out;
}

json field(std::string_view title, const std::string& value) {
  return {{"title", title}, {"value", value.empty() ? std::string(none) : value}, {"short", true}};
}

std::string status_value(const card_input& input, incident_status status) {
  std::string value(label(status));
  std::string_view by;
  if (status == incident_status::acknowledged) by = input.acknowledged_by;
  if (status == incident_status::resolved) by = input.resolved_by;
  if (!by.empty()) value += " by " + own_inline(by);
  return value;
}

json button(std::string_view id, std::string_view name, std::string_view style,
            const card_input& input, const std::string& token) {
  json context = {
      {"action", id}, {"incident_id", valid_utf8(input.incident.id)}, {"token", valid_utf8(token)}};
  return {{"id", id},
          {"type", "button"},
          {"name", name},
          {"style", style},
          {"integration",
           {{"url", valid_utf8(input.integration_url)}, {"context", std::move(context)}}}};
}

json buttons(const card_input& input, incident_status status) {
  json actions = json::array();
  if (!input.activity.empty()) return actions;
  if (status == incident_status::triggered)
    actions.push_back(
        button(acknowledge_action_id, "Acknowledge", "primary", input, input.ack_token));
  if (status != incident_status::resolved)
    actions.push_back(button(resolve_action_id, "Resolve", "good", input, input.resolve_token));
  return actions;
}

std::string attachment_text(const card_input& input) {
  std::string text;
  if (!input.incident.service_name.empty())
    text = "Service: " + untrusted_inline(input.incident.service_name, short_text_max_runes);
  if (!input.activity.empty()) {
    if (!text.empty()) text += "\n";
    text += "*" + own_inline(input.activity) + "*";
  }
  return text;
}

json attachment(const card_input& input, incident_status status) {
  const incident_snapshot& incident = input.incident;
  json out = {{"fallback", plain_title(incident) + " (" + std::string(label(status)) + ")"},
              {"color", color_for(status)},
              {"title", plain_title(incident)}};
  if (!incident.html_url.empty()) out["title_link"] = valid_utf8(incident.html_url);
  if (const std::string text = attachment_text(input); !text.empty()) out["text"] = text;
  out["fields"] = json::array(
      {field("Status", status_value(input, status)),
       field("Urgency", capitalised(untrusted_inline(incident.urgency, short_text_max_runes))),
       field("Priority", untrusted_inline(incident.priority, short_text_max_runes)),
       field("Jira", input.jira_key.empty() ? "" : markdown_link(input.jira_key, input.jira_url))});
  if (json actions = buttons(input, status); !actions.empty()) out["actions"] = std::move(actions);
  return out;
}

}  // namespace

card render_card(const card_input& input) {
  const incident_status status = status_of(input.incident);
  std::string message = "Incident #" + std::to_string(input.incident.number) + " \xC2\xB7 **" +
                        std::string(label(status)) + "**";
  if (const std::string title = untrusted_inline(input.incident.title, message_title_max_runes);
      !title.empty())
    message += " \xC2\xB7 " + title;
  json props = {{"attachments", json::array({attachment(input, status)})}};
  // How a retry recognises its own card among the channel's posts; in every rendering, because
  // a click's answer replaces the post's props with these.
  if (!input.incident.id.empty()) props["warroom_incident"] = valid_utf8(input.incident.id);
  return card{cut_runes(message, message_max_runes), std::move(props)};
}

json action_response(const card& body, std::string_view ephemeral_text) {
  json out = {{"update", post_fields(body)}, {"skip_slack_parsing", true}};
  if (!ephemeral_text.empty())
    out["ephemeral_text"] = neutralise_broadcasts(valid_utf8(ephemeral_text));
  return out;
}

json post_fields(const card& body) {
  return {{"message", body.message}, {"props", body.props}};
}

}  // namespace warroom::domain
