// form: application/x-www-form-urlencoded bodies (the Mattermost slash-command request). Pure
// and thread-safe. Strict on purpose: a body that could be read two ways is refused.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include <warroom/util/result.hpp>

namespace warroom::webhook {

using form_fields = std::map<std::string, std::string, std::less<>>;

/// Decodes `a=1&b=x+y%21`: `+` is a space, `%XX` a byte. Refused (bad_request): more than
/// `max_fields` pairs, a pair without `=`, an empty name, a bad or truncated `%` escape, a decoded
/// NUL, and a name given twice (so a smuggled second `token` or `text` can never be the one read).
/// An empty body is an empty form.
result<form_fields> parse_form(std::string_view body, std::size_t max_fields = 64);

/// Encodes fields the way Go's url.Values.Encode does (sorted names, `+` for space, %XX for every
/// byte outside [A-Za-z0-9-_.~]); the simulator uses it to type a slash command.
std::string encode_form(const form_fields& fields);

}  // namespace warroom::webhook
