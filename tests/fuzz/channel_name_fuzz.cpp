// Channel names and titles from arbitrary placeholders. Properties: every slug (and every slug
// with a suffix) is a name Mattermost accepts; the display name is one line of valid UTF-8 within
// 64 runes; the Jira summary is one line within 255 UTF-16 units.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <tuple>

#include <warroom/api/mattermost.hpp>
#include <warroom/domain/channel_name.hpp>
#include <warroom/domain/text.hpp>

#include "fuzz_support.hpp"

using namespace warroom;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 5) return 0;
  int number = 0;
  std::memcpy(&number, data, sizeof number);
  const int suffix = data[4] % 120 - 10;
  auto rest = fuzz::as_text(data + 5, size - 5);
  // Lines: pattern, title, service, urgency, id.
  domain::naming_fields fields;
  fields.number = number;
  std::string_view pattern;
  std::tie(pattern, rest) = fuzz::split_line(rest);
  for (std::string* field : {&fields.title, &fields.service, &fields.urgency, &fields.id}) {
    const auto [line, more] = fuzz::split_line(rest);
    *field = std::string(line);
    rest = more;
  }

  const auto slug = domain::channel_slug(pattern, fields);
  WARROOM_FUZZ_REQUIRE(api::valid_channel_name(slug));
  const auto suffixed = domain::with_suffix(slug, suffix);
  WARROOM_FUZZ_REQUIRE(api::valid_channel_name(suffixed));

  const auto display = domain::display_name(number, fields.title);
  WARROOM_FUZZ_REQUIRE(domain::valid_utf8(display) == display);
  WARROOM_FUZZ_REQUIRE(domain::rune_count(display) <= domain::channel_display_name_max_runes);
  WARROOM_FUZZ_REQUIRE(!display.empty() && fuzz::one_line(display));

  const auto summary = domain::jira_summary(number, fields.title);
  WARROOM_FUZZ_REQUIRE(domain::valid_utf8(summary) == summary);
  WARROOM_FUZZ_REQUIRE(fuzz::utf16_units(summary) <= domain::jira_summary_max_chars &&
                       fuzz::one_line(summary));
  return 0;
}
