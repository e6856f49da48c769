// archive (DESIGN §8 `archive.after_resolved`): `after_resolved` after a resolve, one last root
// message, then the channel is archived; a reopen cancels a pending archive and restores the
// channel before its other effects. Each resolve schedules its own job in the store, in a lane
// of its own (`<incident>/archive`) so a job due tomorrow never holds up the incident's other
// jobs. That lane runs beside the incident's, so the archive job and a reopen agree through
// checkpoints only (domain/archive.hpp): neither rewrites the war room record of the other.
#pragma once

#include <string_view>

#include <boost/asio/awaitable.hpp>

#include <warroom/pipelines/job_context.hpp>
#include <warroom/store/records.hpp>

namespace warroom::pipelines {

inline constexpr std::string_view archive_job_kind = "archive";

/// Schedules the archive of the room's current resolve, once per resolve (nothing when
/// `archive.after_resolved` is "0s"). Called after the resolved room is saved, and again by
/// every later resolve job that finds it resolved, so a crash in between loses nothing.
boost::asio::awaitable<step_result<bool>> schedule_archive(job_context& ctx, const war_room& room);

/// One due archive: the last message (once), then the channel archived, unless the incident was
/// reopened meanwhile.
boost::asio::awaitable<step_result<bool>> run_archive(job_context& ctx, store::job job);

/// A reopen of `before` (the room as stored, still resolved): cancels the pending archive of
/// its resolve and, when that archive was started, restores the channel.
boost::asio::awaitable<step_result<bool>> undo_archive(job_context& ctx, const war_room& before);

}  // namespace warroom::pipelines
