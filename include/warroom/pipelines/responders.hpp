// Who to invite into a war room: the PagerDuty on-call of the incident's escalation policy at the
// configured levels plus its assignees, mapped to Mattermost users by email, plus the configured
// usernames. People who cannot be mapped are named, not failed on. Every lookup that does not
// depend on another is sent at once (the pool's per-host limit queues the excess), and the job
// context's user directory answers repeated lookups without a request.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include <warroom/pipelines/job_context.hpp>

namespace warroom::pipelines {

struct responder {
  std::string user_id;  // Mattermost user id
  std::string display;  // "@alice", for messages
};

struct responder_set {
  std::vector<responder> users;        // distinct Mattermost users to invite
  std::vector<std::string> unmatched;  // names of people without a usable Mattermost account
};

/// A PagerDuty user to invite; `email` is empty until PagerDuty has told it.
struct pagerduty_person {
  std::string id;
  std::string name;
  std::string email;
};

/// One person's Mattermost account, or (without one) the name to report.
struct account_lookup {
  std::optional<responder> account;
  std::string unmatched;
};

/// The on-call users of the room's policy at `levels`, then its assignees, each once.
boost::asio::awaitable<step_result<std::vector<pagerduty_person>>> pagerduty_responders(
    job_context& ctx, war_room room, std::vector<int> levels);

/// The person's Mattermost account by email (asking PagerDuty for the email first when unknown).
boost::asio::awaitable<step_result<account_lookup>> account_by_email(job_context& ctx,
                                                                     pagerduty_person person);

/// The accounts of `usernames`, in their order, with one request for those not in the directory.
boost::asio::awaitable<step_result<std::vector<account_lookup>>> accounts_by_username(
    job_context& ctx, std::vector<std::string> usernames);

/// Transient upstream trouble is an error (the job retries); a permanent refusal (unknown policy,
/// hidden emails) leaves those people unmatched instead. Every lookup runs at once.
boost::asio::awaitable<step_result<responder_set>> find_responders(job_context& ctx, war_room room,
                                                                   std::vector<int> levels);

}  // namespace warroom::pipelines
