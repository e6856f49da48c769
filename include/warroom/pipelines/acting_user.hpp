// acting_user: who a Mattermost user is to PagerDuty, for a change made on their behalf (a
// button click or a chat command): `From:` their email when PagerDuty has a user with it, else
// the configured from_email, and the message then says on whose behalf.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include <warroom/domain/messages.hpp>
#include <warroom/pipelines/job_context.hpp>

namespace warroom::pipelines {

struct acting_user {
  domain::actor who;              // username from Mattermost when it answered
  std::string pagerduty_from;     // the From header to send
  std::string fallback_from;      // set (= from_email) when PagerDuty did not know them
  std::string pagerduty_user_id;  // empty when PagerDuty did not know them
  std::string email;              // their Mattermost email, when visible to the bot
};

/// Looks the user up in Mattermost (by id) and PagerDuty (by email). Transient upstream trouble
/// is an error (the job retries); an unknown user is not: they act through from_email.
boost::asio::awaitable<step_result<acting_user>> find_acting_user(job_context& ctx,
                                                                  std::string mattermost_user_id,
                                                                  domain::actor who);

/// 408, 429 and 5xx: worth a retry.
bool transient_reply(const api::http_reply& reply);

}  // namespace warroom::pipelines
