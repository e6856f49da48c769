#include <string>
#include <vector>

#include <warroom/api/jira_adf.hpp>

namespace warroom::api {
namespace {

using nlohmann::json;

// Lines without their '\r', blank ones dropped: ADF text nodes must not be empty.
std::vector<std::string_view> non_empty_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    while (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    if (!line.empty()) lines.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

json paragraph() {
  return json{{"type", "paragraph"}, {"content", json::array()}};
}

json text_node(std::string_view text) {
  return json{{"type", "text"}, {"text", text}};
}

// Wiki markup treats these as link syntax; escaping keeps odd link texts readable.
std::string escape_wiki_link_text(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '[' || c == ']' || c == '|') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

json jira_adf_document(std::string_view text, std::string_view link_text,
                       std::string_view link_url) {
  json content = json::array();
  for (std::string_view line : non_empty_lines(text)) {
    json p = paragraph();
    p["content"].push_back(text_node(line));
    content.push_back(std::move(p));
  }
  if (!link_url.empty()) {
    if (content.empty()) content.push_back(paragraph());
    json link = text_node(link_text.empty() ? link_url : link_text);
    link["marks"] = json::array({{{"type", "link"}, {"attrs", {{"href", link_url}}}}});
    content.back()["content"].push_back(std::move(link));
  }
  return json{{"type", "doc"}, {"version", 1}, {"content", std::move(content)}};
}

std::string jira_wiki_text(std::string_view text, std::string_view link_text,
                           std::string_view link_url) {
  std::string out(text);
  if (link_url.empty()) return out;
  if (link_text.empty()) return out + std::string(link_url);
  return out + "[" + escape_wiki_link_text(link_text) + "|" + std::string(link_url) + "]";
}

}  // namespace warroom::api
