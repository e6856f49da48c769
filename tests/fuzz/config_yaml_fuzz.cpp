// The config loader over arbitrary YAML text, with a fake environment: every ${VAR} is set and
// every *_file secret reads as a marker value. Property: no problem line ever contains a secret
// read from a file (problems name keys, never values).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include <warroom/config/load.hpp>

#include "fuzz_support.hpp"

using namespace warroom;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static constexpr const char* secret_marker = "fuzz-file-SECRET-marker";
  static const config::environment env{
      [](const std::string&) -> std::optional<std::string> { return "env-value"; },
      [](const std::string&) -> std::optional<std::string> { return secret_marker; }};
  const auto yaml = fuzz::as_text(data, size);
  const auto loaded = config::parse_config(yaml, env);
  if (!loaded) {
    WARROOM_FUZZ_REQUIRE(!loaded.error().empty());
    // libFuzzer learns the marker from this very comparison and may type it into a key name,
    // which a problem rightly quotes: only a marker the YAML does not contain is a leak.
    const auto text = config::describe(loaded.error());
    if (yaml.find(secret_marker) == std::string_view::npos)
      WARROOM_FUZZ_REQUIRE(text.find(secret_marker) == std::string::npos);
  }
  return 0;
}
