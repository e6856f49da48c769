#include <nlohmann/json.hpp>

#include <warroom/pipelines/jobs.hpp>
#include <warroom/pipelines/reminders.hpp>
#include <warroom/pipelines/responders.hpp>

namespace warroom::pipelines {
namespace asio = boost::asio;

asio::awaitable<step_result<bool>> post_once(job_context& ctx, const war_room& room,
                                             std::map<std::string, std::string>& steps,
                                             std::string step, std::string text);

namespace {

std::string reminder_text(const war_room& room, const responder_set& people, std::int64_t now_ms) {
  std::string text = "Reminder: INC " + std::to_string(room.incident.number) +
                     " is still unacknowledged after " +
                     domain::format_duration(now_ms - room.incident.created_at_ms) + ".";
  std::string mentions;
  for (const auto& person : people.users)
    mentions += " " + person.display;
  if (!mentions.empty()) text += mentions + ": please acknowledge or hand over.";
  return text;
}

}  // namespace

std::vector<store::job_spec> reminder_jobs(const config::reminders_config& cfg,
                                           const std::string& incident_id,
                                           std::int64_t opened_at_ms) {
  std::vector<store::job_spec> jobs;
  if (cfg.unacknowledged_after.count() <= 0) return jobs;
  for (int n = 1; n <= cfg.max; ++n) {
    const auto due = opened_at_ms + cfg.unacknowledged_after.count() +
                     static_cast<std::int64_t>(n - 1) * cfg.repeat_every.count();
    const nlohmann::json payload = {{"incident_id", incident_id}, {"n", n}};
    jobs.push_back(
        {std::string(reminder_job_kind), incident_id + "/reminders", payload.dump(), due});
  }
  return jobs;
}

asio::awaitable<step_result<bool>> schedule_reminders(job_context& ctx, const war_room& room) {
  auto jobs = reminder_jobs(ctx.cfg->reminders, room.incident.id, room.incident.created_at_ms);
  if (jobs.empty()) co_return true;
  auto op = ctx.schedule_once(room.incident.id, "reminders.scheduled", std::move(jobs));
  co_return co_await std::move(op);
}

asio::awaitable<step_result<bool>> run_reminder(job_context& ctx, store::job job) {
  const auto payload = nlohmann::json::parse(job.payload, nullptr, false);
  if (!payload.is_object() || !payload.contains("n"))
    co_return permanent_failure("remind: the payload is not a reminder");
  const std::string incident_id = payload.value("incident_id", "");
  const int n = payload.value("n", 0);
  if (job.incident_id != incident_id) {
    // Due, in the reminders' own lane: move into the incident's lane, behind any acknowledge or
    // resolve already stored, so the reminder never runs beside one and posts after it.
    std::vector<store::job_spec> now = {
        {std::string(reminder_job_kind), incident_id, job.payload, ctx.now_ms()}};
    auto handoff_op =
        ctx.schedule_once(incident_id, "reminder." + std::to_string(n) + ".due", std::move(now));
    co_return co_await std::move(handoff_op);
  }
  auto load_op = ctx.load_room_and_steps(incident_id);
  auto loaded = co_await std::move(load_op);
  if (!loaded) co_return std::move(loaded).error();
  if (!*loaded) co_return true;
  const war_room& room = (*loaded)->room;
  auto& steps = (*loaded)->steps;
  const std::string step = "reminder." + std::to_string(n);
  // Acknowledged or resolved meanwhile (from either side): the reminder is cancelled.
  if (room.incident.status != "triggered" || steps.contains(step)) co_return true;
  auto people_op = find_responders(ctx, room, ctx.cfg->pagerduty.responder_levels);
  auto people = co_await std::move(people_op);
  if (!people) co_return std::move(people).error();
  auto post_op = post_once(ctx, room, steps, step, reminder_text(room, *people, ctx.now_ms()));
  co_return co_await std::move(post_op);
}

}  // namespace warroom::pipelines
