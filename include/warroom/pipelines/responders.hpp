// Who to invite into a war room: the PagerDuty on-call of the incident's escalation policy at the
// configured levels plus its assignees, mapped to Mattermost users by email, plus the configured
// usernames. People who cannot be mapped are named, not failed on.
#pragma once

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

/// Looks the responders up. Transient upstream trouble is an error (the job retries); a
/// permanent refusal (unknown policy, hidden emails) leaves those people unmatched instead.
boost::asio::awaitable<step_result<responder_set>> find_responders(job_context& ctx, war_room room,
                                                                   std::vector<int> levels);

}  // namespace warroom::pipelines
