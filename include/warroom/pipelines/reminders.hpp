// reminders (DESIGN §8): while a war room stays unacknowledged, one channel message mentioning
// the current on-call, `unacknowledged_after` after it opened, then every `repeat_every`, at most
// `max` times. Each reminder is a job scheduled in the store when the room opens (so they survive
// restarts and are scheduled once), in a lane of their own so a reminder not yet due never holds
// up the incident's other jobs; when due, a reminder moves into the incident's lane, so it runs
// after any acknowledge or resolve already stored and never beside one. An acknowledge or resolve
// from either side cancels them: a due reminder finds the room no longer triggered and posts
// nothing.
#pragma once

#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include <warroom/config/config.hpp>
#include <warroom/pipelines/job_context.hpp>
#include <warroom/store/jobs.hpp>

namespace warroom::pipelines {

inline constexpr std::string_view reminder_job_kind = "remind";

/// The reminder jobs of a war room opened at `opened_at_ms` (none when reminders are off).
std::vector<store::job_spec> reminder_jobs(const config::reminders_config& cfg,
                                           const std::string& incident_id,
                                           std::int64_t opened_at_ms);

/// Schedules the room's reminders once (a rerun of the open job schedules nothing more).
boost::asio::awaitable<step_result<bool>> schedule_reminders(job_context& ctx,
                                                             const war_room& room);

/// One due reminder: posts it unless the room was acknowledged or resolved meanwhile.
boost::asio::awaitable<step_result<bool>> run_reminder(job_context& ctx, store::job job);

}  // namespace warroom::pipelines
