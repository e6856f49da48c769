#include <warroom/webhook/pagerduty_signature.hpp>

namespace warroom::webhook {
namespace {

constexpr std::string_view v1_prefix = "v1=";

std::string_view trim_spaces(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

// True when some v1 item of the header equals `expected`. Every item is compared, so timing does
// not tell which position matched.
bool any_v1_item_equals(std::string_view header, std::string_view expected) noexcept {
  bool matched = false;
  while (!header.empty()) {
    const auto comma = header.find(',');
    const auto item = trim_spaces(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    if (item.starts_with(v1_prefix)) {
      matched |= util::constant_time_equal(item.substr(v1_prefix.size()), expected);
    }
  }
  return matched;
}

}  // namespace

bool verify_pagerduty_signature(std::string_view raw_body, std::string_view signature_header,
                                std::span<const util::secret> secrets) {
  if (signature_header.empty()) return false;
  bool matched = false;
  for (const auto& secret : secrets) {
    // An empty key is public knowledge: anyone could sign with it.
    if (secret.empty()) continue;
    const auto expected = to_hex(hmac_sha256(secret.reveal(), raw_body));
    matched |=
        any_v1_item_equals(signature_header, std::string_view(expected.data(), expected.size()));
  }
  return matched;
}

std::string sign_pagerduty_body(std::string_view raw_body, const util::secret& secret) {
  return std::string(v1_prefix) + hmac_sha256_hex(secret.reveal(), raw_body);
}

}  // namespace warroom::webhook
