// `warroomd doctor`: the verdict of one check as a printable line, and the pieces every vendor's
// checks share (a reply that may be a transport error, the public_url health check). Pure
// functions, thread-safe; nothing here does I/O.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <warroom/api/http_call.hpp>
#include <warroom/config/load.hpp>
#include <warroom/util/result.hpp>
#include <warroom/util/url.hpp>

namespace warroom::doctor {

/// What one call brought back: the upstream's reply (any status), or the client's error when
/// no reply came (connect_failed, tls_failed, timeout...). Client errors never hold a secret.
using reply = result<api::http_reply>;

/// One check's verdict. `detail` says what was found; for a failure it is the reason, and `fix`
/// what the operator should change. Neither ever holds a secret.
struct check_line {
  std::string name;  // "pagerduty token", "jira project"
  bool ok = false;
  std::string detail;
  std::string fix;
  friend bool operator==(const check_line&, const check_line&) = default;
};

check_line pass(std::string name, std::string detail);
check_line fail(std::string name, std::string reason, std::string fix);
/// A check that could not run because an earlier one failed (`after`: that check's name).
check_line not_checked(std::string name, std::string_view after);

/// "ok <name>: <detail>" or "FAIL <name>: <reason>; fix: <fix>", one line (control characters
/// become spaces).
std::string format_line(const check_line& line);
bool all_ok(std::span<const check_line> lines);
/// "a, b, c", or "none" for an empty list.
std::string comma_list(const std::vector<std::string>& words);

/// One "FAIL config: <key path>: <message>" line per problem of a config that does not load.
std::vector<check_line> config_failures(const std::vector<config::problem>& problems);

/// The FAIL line for a call that got no reply at all: the client's reason, and a fix pointing at
/// `url_key` (the config key of the service URL) and the network.
check_line no_reply(std::string name, const error& err, std::string_view url_key);

/// GET {public_url}/healthz, no credentials.
api::http_call healthz_call(const util::url& public_url);
/// ok on 200 (with the version the daemon reports, if any); anything else fails with the fix
/// "start warroomd, or check the proxy".
check_line read_healthz(const reply& r, const util::url& public_url);

}  // namespace warroom::doctor
