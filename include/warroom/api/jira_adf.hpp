// Atlassian Document Format (ADF) for the rich-text fields of Jira REST v3 (issue description,
// comment body). Jira v3 rejects a plain string there ("Operation value must be an Atlassian
// Document"), and v2 rejects a document ("Operation value must be a string"). Pure, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace warroom::api {

/// {"type":"doc","version":1,"content":[paragraph...]}: one paragraph per non-empty line of
/// `text`; when `link_url` is set, a text node `link_text` (the URL itself when empty) with a
/// link mark is appended to the last paragraph. Text nodes are never empty (ADF forbids it).
nlohmann::json jira_adf_document(std::string_view text, std::string_view link_text = {},
                                 std::string_view link_url = {});

/// The same content as Jira wiki markup for v2: the text, then "[link text|url]".
std::string jira_wiki_text(std::string_view text, std::string_view link_text = {},
                           std::string_view link_url = {});

}  // namespace warroom::api
