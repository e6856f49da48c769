// action_token: the opaque signed token carried in a Mattermost button's context (DESIGN §3).
// It binds action, incident, channel, expiry and card generation under HMAC-SHA256 with a key
// id for rotation. It signs our own fields, never JSON text, because Mattermost re-serialises
// the context. Pure and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <warroom/util/result.hpp>
#include <warroom/util/secret.hpp>

namespace warroom::webhook {

/// What a token grants. `generation` numbers the renderings of an incident's card, so the
/// buttons of a reopened incident are distinct from the old ones.
struct action_claims {
  std::string action;
  std::string incident_id;
  std::string channel_id;
  std::int64_t expires_at = 0;  // unix seconds; the token is refused from this second on
  std::uint32_t generation = 0;
  friend bool operator==(const action_claims&, const action_claims&) = default;
};

/// One signing key. Key ids match [A-Za-z0-9_-]{1,32}.
struct action_key {
  std::string key_id;
  util::secret secret;
};

/// The keys a token may be signed with; the first is the current signing key, the others are
/// kept while tokens signed with them may still be clicked.
using action_keyring = std::vector<action_key>;

/// Error codes of verify_action_token; the HTTP layer answers all of them with 403.
namespace token_errc {
inline constexpr const char* missing_token = "missing_token";
inline constexpr const char* malformed_token = "malformed_token";
inline constexpr const char* unknown_key = "unknown_key";
inline constexpr const char* bad_signature = "bad_signature";
inline constexpr const char* expired = "expired";
inline constexpr const char* wrong_action = "wrong_action";
inline constexpr const char* wrong_incident = "wrong_incident";
inline constexpr const char* wrong_channel = "wrong_channel";
}  // namespace token_errc

/// True for key ids of 1 to 32 characters from [A-Za-z0-9_-] (config validation uses it).
bool valid_key_id(std::string_view key_id) noexcept;

/// Tokens longer than this are refused unread. Ours are about 150 bytes (a button action, a
/// PagerDuty id, a Mattermost id); the bound keeps decoding hostile input cheap.
inline constexpr std::size_t max_action_token_bytes = 1024;

/// The token: "v1.<key id>.<base64url(claims)>.<base64url(hmac)>", where the HMAC covers the
/// newline-joined version, key id, action, incident, channel, expiry and generation. A claim
/// field containing a newline, or claims so long that the token exceeds
/// max_action_token_bytes, yield a token that never verifies. Throws std::invalid_argument
/// for an invalid key id or an empty secret (a configuration error caught at startup).
std::string sign_action_token(const action_claims& claims, std::string_view key_id,
                              const util::secret& secret);

/// Checks `token` against the ring, then that it is unexpired at `now_unix` and was minted for
/// this action, incident and channel. Returns its claims. Errors: token_errc (checked in the
/// order listed there, so a forged token is never reported as merely expired or misplaced).
result<action_claims> verify_action_token(std::string_view token, const action_keyring& keys,
                                          std::string_view action, std::string_view incident_id,
                                          std::string_view channel_id, std::int64_t now_unix);

/// Dedupe key of a click: "mattermost:<incident>:<action>:<generation>", so a double click on the
/// same rendering of a card acts once.
std::string click_dedupe_key(const action_claims& claims);

}  // namespace warroom::webhook
