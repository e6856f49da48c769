#include <limits>

#include <warroom/webhook/json_input.hpp>

namespace warroom::webhook {

bool json_depth_within(std::string_view body, std::size_t max_depth) noexcept {
  std::size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : body) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '\0':
        return true;  // nlohmann's lexer reads a NUL outside a string as the end of the input
      case '[':
      case '{':
        if (++depth > max_depth) return false;
        break;
      case ']':
      case '}':
        // An unbalanced closer is the parser's problem; only depth matters here.
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return true;
}

result<nlohmann::json> parse_json_body(std::string_view body) {
  if (!json_depth_within(body, max_json_depth)) {
    return make_error(errc::malformed_json,
                      "JSON nests deeper than " + std::to_string(max_json_depth) + " levels");
  }
  auto value = nlohmann::json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return make_error(errc::malformed_json, "body is not valid JSON");
  return value;
}

namespace {

const nlohmann::json* field(const nlohmann::json& parent, std::string_view key) noexcept {
  if (!parent.is_object()) return nullptr;
  const auto it = parent.find(key);
  return it == parent.end() ? nullptr : &*it;
}

}  // namespace

const nlohmann::json* object_field(const nlohmann::json& parent, std::string_view key) noexcept {
  const auto* value = field(parent, key);
  return value != nullptr && value->is_object() ? value : nullptr;
}

const nlohmann::json* array_field(const nlohmann::json& parent, std::string_view key) noexcept {
  const auto* value = field(parent, key);
  return value != nullptr && value->is_array() ? value : nullptr;
}

std::optional<std::string> optional_string_field(const nlohmann::json& parent,
                                                 std::string_view key) {
  const auto* value = field(parent, key);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return value->get_ref<const std::string&>();
}

std::string string_field(const nlohmann::json& parent, std::string_view key) {
  return optional_string_field(parent, key).value_or(std::string{});
}

std::optional<std::int64_t> integer_field(const nlohmann::json& parent,
                                          std::string_view key) noexcept {
  const auto* value = field(parent, key);
  if (value == nullptr) return std::nullopt;
  if (value->is_number_integer() && !value->is_number_unsigned()) {
    return value->get<std::int64_t>();
  }
  if (value->is_number_unsigned()) {
    const auto u = value->get<std::uint64_t>();
    if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return static_cast<std::int64_t>(u);
    }
  }
  return std::nullopt;
}

}  // namespace warroom::webhook
