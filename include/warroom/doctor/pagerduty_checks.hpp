// `warroomd doctor`, PagerDuty: the token works and `from_email` is a PagerDuty user. One
// read-only call (GET /users?query=<from_email>) answers both. Pure, thread-safe.
#pragma once

#include <vector>

#include <warroom/api/pagerduty.hpp>
#include <warroom/config/config.hpp>
#include <warroom/doctor/report.hpp>

namespace warroom::doctor {

api::pagerduty_endpoint pagerduty_endpoint_of(const config::pagerduty_config& cfg);

/// GET /users?query=<from_email>.
api::http_call pagerduty_user_lookup(const config::pagerduty_config& cfg);

/// Two lines, in order: "pagerduty token", "pagerduty from_email".
std::vector<check_line> read_pagerduty(const reply& users, const config::pagerduty_config& cfg);

}  // namespace warroom::doctor
