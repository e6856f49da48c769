#include <nlohmann/json.hpp>
#include <openssl/sha.h>

#include <warroom/webhook/form.hpp>
#include <warroom/webhook/slash_command.hpp>

namespace warroom::webhook {
namespace {

using digest = std::array<unsigned char, SHA256_DIGEST_LENGTH>;

digest sha256(std::string_view data) noexcept {
  digest out{};
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data());
  return out;
}

std::string_view as_view(const digest& d) noexcept {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}

slash_decision refuse(intake_outcome outcome, unsigned status, std::string_view word,
                      std::string_view message) {
  return slash_decision{outcome, intake_reply{status, error_body(word, message)}, std::nullopt};
}

std::string take(form_fields& fields, std::string_view name) {
  const auto it = fields.find(name);
  return it == fields.end() ? std::string{} : std::move(it->second);
}

}  // namespace

bool command_token_matches(std::string_view candidate, std::span<const util::secret> tokens) {
  if (candidate.empty()) return false;
  const digest seen = sha256(candidate);
  bool matched = false;
  for (const auto& token : tokens) {
    if (token.empty()) continue;
    const digest wanted = sha256(token.reveal());
    matched |= util::constant_time_equal(as_view(seen), as_view(wanted));
  }
  return matched;
}

slash_decision decide_slash_command(std::string_view raw_body,
                                    std::span<const util::secret> tokens) {
  auto form = parse_form(raw_body);
  if (!form) return refuse(intake_outcome::malformed, 400, "bad_request", form.error().message);
  if (!command_token_matches(take(*form, "token"), tokens))
    return refuse(intake_outcome::unauthorized, 401, "unauthorized",
                  "missing or unknown slash-command token");
  slash_request req;
  req.team_id = take(*form, "team_id");
  req.channel_id = take(*form, "channel_id");
  req.channel_name = take(*form, "channel_name");
  req.user_id = take(*form, "user_id");
  req.user_name = take(*form, "user_name");
  req.command = take(*form, "command");
  req.text = take(*form, "text");
  req.response_url = take(*form, "response_url");
  req.trigger_id = take(*form, "trigger_id");
  if (req.user_id.empty() || req.channel_id.empty() || req.trigger_id.empty())
    return refuse(intake_outcome::malformed, 400, "bad_request",
                  "slash command without user_id, channel_id or trigger_id");
  return slash_decision{intake_outcome::accepted, {}, std::move(req)};
}

std::string ephemeral_reply(std::string_view text) {
  return nlohmann::json{{"response_type", "ephemeral"}, {"text", text}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace warroom::webhook
