// declare_answer: `/incident new` answers the typing user with the war room's channel once it
// exists, through the command's `response_url` (an ephemeral message only they see).
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

/// Called by the open job once the room is built: sends an answer left pending, at most once.
boost::asio::awaitable<void> send_pending_declare_answer(
    job_context& ctx, const war_room& room, const std::map<std::string, std::string>& steps);

}  // namespace warroom::pipelines
