#include <warroom/api/vendor_error.hpp>
#include <warroom/doctor/pagerduty_checks.hpp>

namespace warroom::doctor {

namespace {

constexpr std::string_view token_check = "pagerduty token";
constexpr std::string_view email_check = "pagerduty from_email";

check_line read_token(const reply& r) {
  const std::string name(token_check);
  if (!r) return no_reply(name, r.error(), "pagerduty.api_url");
  if (api::is_success(r->status))
    return pass(name, "accepted (GET /users answered " + std::to_string(r->status) + ")");
  const error err = api::pagerduty_error(*r);
  const std::string reason =
      "PagerDuty answered HTTP " + std::to_string(r->status) + ": " + err.message;
  if (r->status == 401)
    return fail(name, reason,
                "set pagerduty.token (or token_file) to a REST API key (Integrations > API "
                "Access Keys; a user key works too)");
  if (r->status == 403)
    return fail(name, reason, "use a REST API key that may read users (not a scoped-down key)");
  return fail(name, reason, "check pagerduty.api_url (https://api.pagerduty.com)");
}

}  // namespace

api::pagerduty_endpoint pagerduty_endpoint_of(const config::pagerduty_config& cfg) {
  return {cfg.api_url, cfg.token};
}

api::http_call pagerduty_user_lookup(const config::pagerduty_config& cfg) {
  return api::find_user_by_email(pagerduty_endpoint_of(cfg), cfg.from_email);
}

std::vector<check_line> read_pagerduty(const reply& users, const config::pagerduty_config& cfg) {
  std::vector<check_line> out{read_token(users)};
  const std::string name(email_check);
  if (!out.front().ok) {
    out.push_back(not_checked(name, token_check));
    return out;
  }
  const auto found = api::read_user_by_email(*users, cfg.from_email);
  if (!found)
    out.push_back(fail(name, "unreadable reply: " + found.error().message,
                       "check pagerduty.api_url points at the PagerDuty REST API"));
  else if (!*found)
    out.push_back(fail(name, "no PagerDuty user has the email " + cfg.from_email,
                       "set pagerduty.from_email to the email of a PagerDuty user (PagerDuty "
                       "refuses changes whose From header names no user)"));
  else
    out.push_back(pass(name, cfg.from_email + " is " + (*found)->name + " (" + (*found)->id + ")"));
  return out;
}

}  // namespace warroom::doctor
