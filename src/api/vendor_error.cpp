#include <algorithm>
#include <cstdint>

#include <warroom/api/vendor_error.hpp>
#include <warroom/util/url.hpp>

namespace warroom::api {
namespace {

const nlohmann::json* member(const nlohmann::json& parent, std::string_view key) {
  if (!parent.is_object()) return nullptr;
  const auto it = parent.find(key);
  return it == parent.end() ? nullptr : &*it;
}

// Drops a UTF-8 sequence that a cut left incomplete at the end of `text`.
void drop_partial_rune(std::string& text) {
  std::size_t lead = text.size();
  while (lead > 0 && (static_cast<unsigned char>(text[lead - 1]) & 0xC0) == 0x80)
    --lead;
  if (lead == 0) return;
  const auto byte = static_cast<unsigned char>(text[lead - 1]);
  const std::size_t need = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
  if (text.size() - (lead - 1) < need) text.erase(lead - 1);
}

}  // namespace

bool is_success(unsigned status) {
  return status >= 200 && status < 300;
}

bool is_transient_status(unsigned status) {
  return status == 408 || status == 429 || (status >= 500 && status < 600);
}

nlohmann::json parse_body(std::string_view body) {
  return nlohmann::json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
}

std::string to_body(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string vendor_text(std::string_view text) {
  std::string out;
  out.reserve(std::min(text.size(), max_vendor_text));
  for (const char c : text.substr(0, max_vendor_text)) {
    const auto byte = static_cast<unsigned char>(c);
    // Bytes >= 0x80 are kept so UTF-8 text survives; only ASCII controls can forge log lines.
    out += (byte < 0x20 || byte == 0x7f) ? ' ' : c;
  }
  if (text.size() > max_vendor_text) drop_partial_rune(out);
  const auto first = out.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  out.erase(out.find_last_not_of(' ') + 1);
  out.erase(0, first);
  return out;
}

error bad_reply(std::string_view vendor, std::string_view what) {
  std::string message(vendor);
  message += " reply: ";
  message += what;
  return make_error(std::string(bad_reply_code), std::move(message));
}

error http_status_error(std::string_view vendor, const http_reply& reply) {
  const std::string status = std::to_string(reply.status);
  std::string message(vendor);
  message += " answered HTTP " + status;
  if (const std::string text = vendor_text(reply.body); !text.empty()) message += ": " + text;
  return make_error("http_" + status, vendor_text(message));
}

std::string encode_path_segment(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  for (std::size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', start)) {
    out += util::percent_encode(text.substr(start, at - start));
    out += '@';
    start = at + 1;
  }
  out += util::percent_encode(text.substr(start));
  return out;
}

const nlohmann::json* object_at(const nlohmann::json& parent, std::string_view key) {
  const auto* value = member(parent, key);
  return value != nullptr && value->is_object() ? value : nullptr;
}

const nlohmann::json* array_at(const nlohmann::json& parent, std::string_view key) {
  const auto* value = member(parent, key);
  return value != nullptr && value->is_array() ? value : nullptr;
}

std::optional<std::string> string_at(const nlohmann::json& parent, std::string_view key) {
  const auto* value = member(parent, key);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return value->get<std::string>();
}

std::optional<std::int64_t> integer_at(const nlohmann::json& parent, std::string_view key) {
  const auto* value = member(parent, key);
  if (value == nullptr || !value->is_number_integer()) return std::nullopt;
  // Unsigned values above INT64_MAX would wrap to negatives.
  if (value->is_number_unsigned() &&
      value->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
    return std::nullopt;
  return value->get<std::int64_t>();
}

std::optional<bool> bool_at(const nlohmann::json& parent, std::string_view key) {
  const auto* value = member(parent, key);
  if (value == nullptr || !value->is_boolean()) return std::nullopt;
  return value->get<bool>();
}

}  // namespace warroom::api
