// The pipelines (DESIGN §4): open, acknowledge, resolve, and the mirror of other PagerDuty
// changes. Each run is resumable: every side effect is checkpointed (war room record, steps
// table) and every create first looks for what an earlier attempt made, so a retried or
// restarted job finishes the work without doubling it.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <warroom/api/jira_reply.hpp>
#include <warroom/pipelines/job_context.hpp>
#include <warroom/store/records.hpp>

namespace warroom::pipelines {

/// Runs one job to its end; an error says why it stopped (the dispatcher retries or buries it).
boost::asio::awaitable<step_result<bool>> run_job(job_context& ctx, store::job job);

boost::asio::awaitable<step_result<bool>> run_open(job_context& ctx, store::job job);
boost::asio::awaitable<step_result<bool>> run_status_change(job_context& ctx, store::job job);
boost::asio::awaitable<step_result<bool>> run_mirror(job_context& ctx, store::job job);
/// `/incident` note, add, page, priority and new (ack and resolve run as the buttons' jobs).
boost::asio::awaitable<step_result<bool>> run_command(job_context& ctx, store::job job);

/// The id of a post among the channel's newest 200 whose props[key] is `value`, if any: how a
/// retry finds what an earlier attempt posted before it could record it.
boost::asio::awaitable<step_result<std::optional<std::string>>> find_post_with(
    job_context& ctx, std::string channel_id, std::string key, std::string value);
/// Posts `text` as a root post of the room's channel unless step `step` already did (also
/// when an earlier attempt posted it and died before recording so).
boost::asio::awaitable<step_result<bool>> post_once(job_context& ctx, const war_room& room,
                                                    std::map<std::string, std::string>& steps,
                                                    std::string step, std::string text);
/// Puts the room's Jira issue back to work (To Do, else In Progress) if it is done: a reopened
/// incident reopens its issue. No issue, or not done: nothing.
boost::asio::awaitable<step_result<bool>> reopen_issue(job_context& ctx, const war_room& room);
/// Re-renders the card in place (whole message and props, fresh tokens).
boost::asio::awaitable<step_result<bool>> refresh_card(job_context& ctx, const war_room& room);

/// The prefix of every PagerDuty note we write, so the incident.annotated echo is recognised.
inline constexpr std::string_view note_marker = "[warroom]";
/// Step (prefix + PagerDuty note id) saved for a note typed with `/incident note`: the
/// incident.annotated echo of that note finds it and posts nothing.
inline constexpr std::string_view chat_note_step = "chat_note.";

}  // namespace warroom::pipelines
