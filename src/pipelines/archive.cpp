#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <warroom/domain/archive.hpp>
#include <warroom/pipelines/archive.hpp>
#include <warroom/pipelines/jobs.hpp>
#include <warroom/store/jobs.hpp>
#include <warroom/telemetry/logging.hpp>

namespace warroom::pipelines {
namespace asio = boost::asio;

namespace {

/// Sends one Mattermost call; a reply `read` refuses fails the step. The status otherwise.
asio::awaitable<step_result<unsigned>> send_checked(job_context& ctx, api::http_call call,
                                                    result<void> (*read)(const api::http_reply&)) {
  auto op = ctx.send("mattermost", std::move(call));
  auto reply = co_await std::move(op);
  if (!reply) co_return std::move(reply).error();
  if (auto ok = read(*reply); !ok) co_return reply_failure(*reply, ok.error().message);
  co_return reply->status;
}

/// Restores the room's channel; a channel that is not archived counts as restored.
asio::awaitable<step_result<bool>> restore(job_context& ctx, const war_room& room) {
  auto op =
      send_checked(ctx, api::restore_channel(ctx.mattermost, room.channel_id), &api::read_restored);
  auto status = co_await std::move(op);
  if (!status) co_return std::move(status).error();
  if (*status == 200) {  // not a channel found unarchived already
    ctx.stats->add("warroom_channels_restored_total", {{"route", ctx.settings_of(room).route}});
    telemetry::log_event(spdlog::level::info, "war-room channel restored",
                         {{"incident", room.incident.id}});
  }
  co_return true;
}

}  // namespace

asio::awaitable<step_result<bool>> schedule_archive(job_context& ctx, const war_room& room) {
  const auto resolved_at = room.incident.resolved_at_ms;
  const auto due = domain::archive_due_ms(resolved_at, ctx.cfg->archive.after_resolved.count());
  if (!due) co_return true;
  const nlohmann::json payload = {{"incident_id", room.incident.id},
                                  {"resolved_at_ms", resolved_at}};
  std::vector<store::job_spec> jobs = {
      {std::string(archive_job_kind), room.incident.id + "/archive", payload.dump(), *due}};
  auto op = ctx.schedule_once(room.incident.id, domain::archive_steps_of(resolved_at).scheduled,
                              std::move(jobs));
  co_return co_await std::move(op);
}

asio::awaitable<step_result<bool>> run_archive(job_context& ctx, store::job job) {
  const auto payload = nlohmann::json::parse(job.payload, nullptr, false);
  if (!payload.is_object() || !payload.contains("resolved_at_ms"))
    co_return permanent_failure("archive: the payload is not an archive");
  const std::string incident_id = payload.value("incident_id", "");
  const std::int64_t resolved_at = payload.value("resolved_at_ms", std::int64_t{0});
  const auto steps_of = domain::archive_steps_of(resolved_at);
  auto load_op = ctx.load_room_and_steps(incident_id);
  auto loaded = co_await std::move(load_op);
  if (!loaded) co_return std::move(loaded).error();
  if (!*loaded) co_return true;
  const war_room room = (*loaded)->room;
  auto& steps = (*loaded)->steps;
  if (steps.contains(steps_of.done) ||
      !domain::archive_wanted(room.incident, !room.channel_id.empty(), resolved_at, steps))
    co_return true;  // reopened (cancelled), resolved again since, or done already
  auto post_op = post_once(ctx, room, steps, steps_of.message,
                           domain::archiving_message(room.incident, ctx.now_ms()));
  if (auto posted = co_await std::move(post_op); !posted) co_return posted;
  // Before the request: a reopen that reads this step restores the channel.
  auto start_op = ctx.save_step(incident_id, steps_of.started, "1");
  if (auto started = co_await std::move(start_op); !started) co_return started;
  auto archive_op =
      send_checked(ctx, api::archive_channel(ctx.mattermost, room.channel_id), &api::read_archived);
  if (auto archived = co_await std::move(archive_op); !archived)
    co_return std::move(archived).error();

  // A reopen that ran while the channel was being archived may have missed it: look again.
  auto again_op = ctx.load_room_and_steps(incident_id);
  auto again = co_await std::move(again_op);
  if (!again) co_return std::move(again).error();
  if (*again &&
      !domain::archive_wanted((*again)->room.incident, true, resolved_at, (*again)->steps)) {
    auto restore_op = restore(ctx, room);
    co_return co_await std::move(restore_op);
  }
  ctx.stats->add("warroom_channels_archived_total", {{"route", ctx.settings_of(room).route}});
  telemetry::log_event(spdlog::level::info, "war-room channel archived",
                       {{"incident", incident_id}});
  auto done_op = ctx.save_step(incident_id, steps_of.done, "1");
  co_return co_await std::move(done_op);
}

asio::awaitable<step_result<bool>> undo_archive(job_context& ctx, const war_room& before) {
  const auto cancel = domain::archive_cancel_step(before.incident);
  if (!cancel) co_return true;
  auto cancel_op = ctx.save_step(before.incident.id, *cancel, "1");
  if (auto cancelled = co_await std::move(cancel_op); !cancelled) co_return cancelled;
  // Read after the cancel is saved: an archive started before it is seen here, one started
  // after it sees the cancel and restores the channel itself.
  auto steps_op = ctx.load_steps(before.incident.id);
  auto steps = co_await std::move(steps_op);
  if (!steps) co_return std::move(steps).error();
  if (before.channel_id.empty() || !domain::channel_may_be_archived(before.incident, *steps))
    co_return true;
  auto restore_op = restore(ctx, before);
  co_return co_await std::move(restore_op);
}

}  // namespace warroom::pipelines
