#include <array>
#include <charconv>
#include <cstdint>
#include <optional>
#include <stdexcept>

#include <warroom/webhook/action_token.hpp>
#include <warroom/webhook/hmac.hpp>

namespace warroom::webhook {
namespace {

constexpr std::string_view version = "v1";
constexpr std::string_view b64_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::uint32_t bits = 0;
  int bit_count = 0;
  for (const char c : bytes) {
    bits = (bits << 8) | static_cast<unsigned char>(c);
    bit_count += 8;
    while (bit_count >= 6) {
      bit_count -= 6;
      out.push_back(b64_alphabet[(bits >> bit_count) & 0x3f]);
    }
  }
  if (bit_count > 0) out.push_back(b64_alphabet[(bits << (6 - bit_count)) & 0x3f]);
  return out;
}

// Unpadded base64url; anything else, including a non-canonical encoding, is nullopt.
std::optional<std::string> base64url_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t bits = 0;
  int bit_count = 0;
  for (const char c : text) {
    const auto index = b64_alphabet.find(c);
    if (index == std::string_view::npos) return std::nullopt;
    bits = (bits << 6) | static_cast<std::uint32_t>(index);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      out.push_back(static_cast<char>((bits >> bit_count) & 0xff));
    }
  }
  // Leftover bits must be fewer than a byte and zero, so each byte string has one encoding.
  if (bit_count >= 6 || (bits & ((1u << bit_count) - 1)) != 0) return std::nullopt;
  return out;
}

std::string claims_payload(const action_claims& claims) {
  return claims.action + '\n' + claims.incident_id + '\n' + claims.channel_id + '\n' +
         std::to_string(claims.expires_at) + '\n' + std::to_string(claims.generation);
}

// The MAC covers version, key id and every claim, newline-joined.
std::string mac_of(std::string_view key_id, std::string_view payload, const util::secret& key) {
  std::string message;
  message.reserve(version.size() + key_id.size() + payload.size() + 2);
  message.append(version).append(1, '\n').append(key_id).append(1, '\n').append(payload);
  const auto digest = hmac_sha256(key.reveal(), message);
  return base64url_encode(
      std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

template <class Int>
bool parse_decimal(std::string_view text, Int& out) noexcept {
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size();
}

// Splits on `separator` into exactly N parts.
template <std::size_t N>
std::optional<std::array<std::string_view, N>> split_exact(std::string_view text, char separator) {
  std::array<std::string_view, N> parts;
  for (std::size_t i = 0; i + 1 < N; ++i) {
    const auto at = text.find(separator);
    if (at == std::string_view::npos) return std::nullopt;
    parts[i] = text.substr(0, at);
    text.remove_prefix(at + 1);
  }
  if (text.find(separator) != std::string_view::npos) return std::nullopt;
  parts[N - 1] = text;
  return parts;
}

std::optional<action_claims> decode_claims(std::string_view payload) {
  const auto fields = split_exact<5>(payload, '\n');
  if (!fields) return std::nullopt;
  action_claims claims{std::string((*fields)[0]), std::string((*fields)[1]),
                       std::string((*fields)[2])};
  if (!parse_decimal((*fields)[3], claims.expires_at) ||
      !parse_decimal((*fields)[4], claims.generation)) {
    return std::nullopt;
  }
  return claims;
}

const action_key* find_key(const action_keyring& keys, std::string_view key_id) noexcept {
  for (const auto& key : keys) {
    if (key.key_id == key_id) return &key;
  }
  return nullptr;
}

error token_error(const char* code, std::string_view message) {
  return make_error(code, "action token refused: " + std::string(message));
}

}  // namespace

bool valid_key_id(std::string_view key_id) noexcept {
  if (key_id.empty() || key_id.size() > 32) return false;
  for (const char c : key_id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string sign_action_token(const action_claims& claims, std::string_view key_id,
                              const util::secret& secret) {
  if (!valid_key_id(key_id)) throw std::invalid_argument("action token key id is not valid");
  if (secret.empty()) throw std::invalid_argument("action token secret is empty");
  const auto payload = claims_payload(claims);
  const auto mac = mac_of(key_id, payload, secret);
  std::string token(version);
  token.append(1, '.').append(key_id).append(1, '.').append(base64url_encode(payload));
  token.append(1, '.').append(mac);
  return token;
}

result<action_claims> verify_action_token(std::string_view token, const action_keyring& keys,
                                          std::string_view action, std::string_view incident_id,
                                          std::string_view channel_id, std::int64_t now_unix) {
  if (token.empty()) return token_error(token_errc::missing_token, "no token in the context");
  const auto parts =
      token.size() <= max_action_token_bytes ? split_exact<4>(token, '.') : std::nullopt;
  if (!parts || (*parts)[0] != version || !valid_key_id((*parts)[1])) {
    return token_error(token_errc::malformed_token, "not a v1 token");
  }
  const auto payload = base64url_decode((*parts)[2]);
  auto claims = payload ? decode_claims(*payload) : std::nullopt;
  if (!claims) return token_error(token_errc::malformed_token, "claims do not decode");

  const auto* key = find_key(keys, (*parts)[1]);
  // An empty secret would let anyone mint tokens, so it counts as no key.
  if (key == nullptr || key->secret.empty()) {
    return token_error(token_errc::unknown_key, "key id is not in the keyring");
  }
  if (!util::constant_time_equal(mac_of(key->key_id, *payload, key->secret), (*parts)[3])) {
    return token_error(token_errc::bad_signature, "signature does not match");
  }
  if (now_unix >= claims->expires_at) return token_error(token_errc::expired, "token expired");
  if (claims->action != action) {
    return token_error(token_errc::wrong_action, "token is for another action");
  }
  if (claims->incident_id != incident_id) {
    return token_error(token_errc::wrong_incident, "token is for another incident");
  }
  if (claims->channel_id != channel_id) {
    return token_error(token_errc::wrong_channel, "token is for another channel");
  }
  return std::move(*claims);
}

std::string click_dedupe_key(const action_claims& claims) {
  return "mattermost:" + claims.incident_id + ':' + claims.action + ':' +
         std::to_string(claims.generation);
}

}  // namespace warroom::webhook
