#include <nlohmann/json.hpp>

#include <warroom/api/mattermost.hpp>
#include <warroom/api/vendor_error.hpp>
#include <warroom/pipelines/command_answers.hpp>
#include <warroom/store/jobs.hpp>
#include <warroom/telemetry/logging.hpp>

namespace warroom::pipelines {
namespace asio = boost::asio;

namespace {

// Steps of the incident: the answer's response_url while it waits for the room, and its end.
constexpr std::string_view pending_step = "declare.answer.pending";
constexpr std::string_view answered_step = "declare.answer.done";

/// Sends `text` to the typist; false (and a log line) when it could not be delivered.
// By value: a coroutine keeps its parameters, and the callers pass temporaries.
asio::awaitable<bool> send_answer(job_context& ctx, std::string incident, std::string response_url,
                                  std::string text) {
  auto call = api::command_response(ctx.mattermost, response_url, text);
  if (!call) {
    telemetry::log_event(spdlog::level::warn, "command answer not sent",
                         {{"incident", incident}, {"reason", call.error().message}});
    co_return false;
  }
  auto send_op = ctx.send("mattermost", std::move(*call));
  auto reply = co_await std::move(send_op);
  const bool sent = reply && api::is_success(reply->status);
  if (!sent)
    telemetry::log_event(
        spdlog::level::warn, "command answer refused",
        {{"incident", incident},
         {"status", reply ? std::to_string(reply->status) : reply.error().reason}});
  co_return sent;
}

/// Sends the answer and records that it was sent. Any answer ends it: a hook Mattermost no
/// longer takes (expired after 30 minutes, or used 5 times) will not take it later either.
asio::awaitable<void> answer(job_context& ctx, const war_room& room, std::string response_url) {
  auto send_op = send_answer(ctx, room.incident.id, response_url, declare_answer_text(room));
  co_await std::move(send_op);
  auto mark_op = ctx.save_step(room.incident.id, std::string(answered_step), "1");
  co_await std::move(mark_op);  // best effort: at worst the user reads the link twice
}

}  // namespace

std::string declare_answer_text(const war_room& room) {
  std::string text = "Incident #" + std::to_string(room.incident.number) + " is open";
  if (!room.channel_name.empty()) text += ": its war room is ~" + room.channel_name;
  if (!room.incident.html_url.empty()) text += " ([PagerDuty](" + room.incident.html_url + "))";
  return text + ".";
}

asio::awaitable<step_result<bool>> schedule_declare_answer(job_context& ctx,
                                                           std::string incident_id,
                                                           std::string response_url) {
  if (response_url.empty()) co_return true;
  const nlohmann::json payload = {{"incident_id", incident_id}, {"response_url", response_url}};
  // The incident's own lane: ordered with its open job, whichever was stored first.
  std::vector<store::job_spec> jobs = {
      {std::string(declare_answer_job_kind), incident_id, payload.dump(), ctx.now_ms()}};
  auto op = ctx.schedule_once(incident_id, "declare.answer.scheduled", std::move(jobs));
  co_return co_await std::move(op);
}

asio::awaitable<step_result<bool>> run_declare_answer(job_context& ctx, store::job job) {
  const auto payload = nlohmann::json::parse(job.payload, nullptr, false);
  if (!payload.is_object()) co_return permanent_failure("declare answer: unreadable payload");
  const std::string incident_id = payload.value("incident_id", "");
  const std::string response_url = payload.value("response_url", "");
  auto load_op = ctx.load_room_and_steps(incident_id);
  auto loaded = co_await std::move(load_op);
  if (!loaded) co_return std::move(loaded).error();
  const bool built = *loaded && (*loaded)->steps.contains("open.complete");
  if (!built) {
    auto keep_op = ctx.save_step(incident_id, std::string(pending_step), response_url);
    co_return co_await std::move(keep_op);
  }
  if ((*loaded)->steps.contains(std::string(answered_step))) co_return true;
  auto answer_op = answer(ctx, (*loaded)->room, response_url);
  co_await std::move(answer_op);
  co_return true;
}

asio::awaitable<void> answer_failed_command(job_context& ctx, const store::job& job,
                                            std::string reason) {
  if (job.kind != "command") co_return;
  const auto payload = nlohmann::json::parse(job.payload, nullptr, false);
  if (!payload.is_object()) co_return;
  const std::string response_url = payload.value("response_url", "");
  if (response_url.empty()) co_return;
  const std::string text = "`/incident " + payload.value("verb", std::string("command")) +
                           "` did not go through: " + reason.substr(0, 300) +
                           ". Nothing more will be tried; run it again once that is fixed.";
  auto send_op = send_answer(ctx, job.incident_id, response_url, text);
  co_await std::move(send_op);
}

asio::awaitable<void> send_pending_declare_answer(job_context& ctx, const war_room& room,
                                                  const std::map<std::string, std::string>& steps) {
  const auto pending = steps.find(std::string(pending_step));
  if (pending == steps.end() || steps.contains(std::string(answered_step))) co_return;
  auto answer_op = answer(ctx, room, pending->second);
  co_await std::move(answer_op);
}

}  // namespace warroom::pipelines
