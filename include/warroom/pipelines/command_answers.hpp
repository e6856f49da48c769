// command_answers: what a slash command's typist learns after the immediate answer, through the
// command's `response_url` (ephemeral messages only they see): the war room of `/incident new`
// once it exists, and a command job that failed for good.
//
// The incident is created by the command job, but its war room is built later by the open job of
// PagerDuty's incident.triggered webhook. Both answers run in the incident's own lane, so they
// never race: the answer job, scheduled once after the create, either finds the room already
// built and answers, or leaves the answer pending in the store, and the open job sends it when it
// has built the room. Courtesy only: a failed answer never fails or retries a war room.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include <warroom/pipelines/job_context.hpp>
#include <warroom/pipelines/war_room.hpp>

namespace warroom::pipelines {

inline constexpr std::string_view declare_answer_job_kind = "declare_answer";

/// The ephemeral text naming the war room of a declared incident.
std::string declare_answer_text(const war_room& room);

/// Schedules, once per declared incident, the job that answers the typing user.
boost::asio::awaitable<step_result<bool>> schedule_declare_answer(job_context& ctx,
                                                                  std::string incident_id,
                                                                  std::string response_url);

/// The answer job: answers now when the room is built, else leaves the answer to the open job.
boost::asio::awaitable<step_result<bool>> run_declare_answer(job_context& ctx, store::job job);

/// Tells the typist of a command job that failed for good why (jobs of other kinds: nothing).
/// Best effort and not retried: the admin API and the logs keep the job and its reason.
boost::asio::awaitable<void> answer_failed_command(job_context& ctx, const store::job& job,
                                                   std::string reason);

/// Called by the open job once the room is built: sends an answer left pending, at most once.
boost::asio::awaitable<void> send_pending_declare_answer(
    job_context& ctx, const war_room& room, const std::map<std::string, std::string>& steps);

}  // namespace warroom::pipelines
