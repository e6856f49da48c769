// The markdown and mention helpers over arbitrary text. Properties: after untrusted_inline no
// @-mention and no <! survive (a '@' that starts a word is never directly followed by a username
// character), the result is one line of valid UTF-8; cuts stay within their limits; after
// markdown_link no channel-wide mention survives; escaping only ever adds backslashes.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <warroom/domain/text.hpp>

#include "fuzz_support.hpp"

using namespace warroom;

namespace {

bool alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

bool has_mention(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '<' && i + 1 < text.size() && text[i + 1] == '!') return true;
    if (text[i] != '@' || i + 1 >= text.size()) continue;
    if (i > 0 && alnum(text[i - 1])) continue;
    const char next = text[i + 1];
    if (alnum(next) || next == '_') return true;
  }
  return false;
}

bool has_broadcast(std::string_view text) {
  std::string lower(text);
  for (auto& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view word : {"@channel", "@here", "@all", "@everyone"}) {
    for (auto at = lower.find(word); at != std::string::npos; at = lower.find(word, at + 1)) {
      const auto end = at + word.size();
      const char next = end < lower.size() ? lower[end] : ' ';
      if (!alnum(next) && next != '_' && next != '-') return true;
    }
  }
  return false;
}

std::string without_backslashes(std::string_view text) {
  std::string out;
  for (char c : text)
    if (c != '\\') out += c;
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t max_runes = data[0];
  const auto text = fuzz::as_text(data + 1, size - 1);

  const auto inline_text = domain::untrusted_inline(text, max_runes);
  WARROOM_FUZZ_REQUIRE(!has_mention(inline_text));
  WARROOM_FUZZ_REQUIRE(domain::valid_utf8(inline_text) == inline_text);
  WARROOM_FUZZ_REQUIRE(inline_text.find('\n') == std::string::npos);

  WARROOM_FUZZ_REQUIRE(!has_mention(domain::neutralise_mentions(text)));
  WARROOM_FUZZ_REQUIRE(!has_broadcast(domain::neutralise_broadcasts(text)));
  WARROOM_FUZZ_REQUIRE(without_backslashes(domain::escape_markdown(text)) ==
                       without_backslashes(text));

  const auto [label, url] = fuzz::split_line(text);
  // The label is the rendered part; a URL is percent-encoded but may spell "@all" harmlessly.
  WARROOM_FUZZ_REQUIRE(!has_broadcast(domain::markdown_link(label, {})));
  WARROOM_FUZZ_REQUIRE(domain::markdown_link(label, url).find('\n') == std::string::npos);
  const auto cut = domain::cut_runes(text, max_runes);
  WARROOM_FUZZ_REQUIRE(domain::rune_count(cut) <= max_runes);
  WARROOM_FUZZ_REQUIRE(fuzz::utf16_units(domain::cut_utf16(text, max_runes)) <= max_runes);
  WARROOM_FUZZ_REQUIRE(domain::cut_bytes(text, max_runes).size() <= max_runes);
  return 0;
}
