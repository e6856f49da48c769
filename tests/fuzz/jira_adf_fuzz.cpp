// The Jira ADF builder (and its v2 wiki twin) over arbitrary text, link text and URL. Properties:
// the document always has the doc/content shape, never an empty text node (Jira rejects those),
// and serialises without throwing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include <warroom/api/jira_adf.hpp>

#include "fuzz_support.hpp"

using namespace warroom;

namespace {

void require_no_empty_text(const nlohmann::json& node) {
  if (node.is_object()) {
    if (node.value("type", "") == "text") {
      WARROOM_FUZZ_REQUIRE(node.contains("text") && node["text"].is_string() &&
                           !node["text"].get_ref<const std::string&>().empty());
    }
    if (auto it = node.find("content"); it != node.end()) require_no_empty_text(*it);
  } else if (node.is_array()) {
    for (const auto& child : node)
      require_no_empty_text(child);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto input = fuzz::as_text(data, size);
  // First line: the link URL; second: the link text; the rest (newlines kept): the text.
  const auto [url, rest] = fuzz::split_line(input);
  const auto [link_text, text] = fuzz::split_line(rest);

  const auto doc = api::jira_adf_document(text, link_text, url);
  WARROOM_FUZZ_REQUIRE(doc.is_object() && doc.value("type", "") == "doc");
  WARROOM_FUZZ_REQUIRE(doc.contains("content") && doc["content"].is_array());
  require_no_empty_text(doc);
  (void)doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  (void)api::jira_wiki_text(text, link_text, url);
  return 0;
}
