#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <warroom/pipelines/command_answers.hpp>
#include <warroom/pipelines/jobs.hpp>
#include <warroom/pipelines/store_bridge.hpp>
#include <warroom/runtime/dispatcher.hpp>
#include <warroom/store/jobs.hpp>
#include <warroom/telemetry/logging.hpp>

namespace warroom::runtime {
namespace asio = boost::asio;
using wall = std::chrono::system_clock;

dispatcher::dispatcher(asio::any_io_executor executor, pipelines::job_context& ctx,
                       dispatcher_options options)
    : executor_(executor),
      ctx_(ctx),
      options_(options),
      wakeup_(executor),
      drained_(executor),
      random_(std::random_device{}()) {}

void dispatcher::start() {
  asio::co_spawn(executor_, loop(), [](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      spdlog::critical("dispatcher loop failed: {}", ex.what());
    }
  });
}

void dispatcher::wake() {
  woken_ = true;
  wakeup_.cancel();
}

asio::awaitable<void> dispatcher::loop() {
  while (!stopping_) {
    woken_ = false;
    const int free_slots = options_.max_parallel - running_;
    std::vector<store::job> claimed;
    if (free_slots > 0) {
      const auto now = ctx_.now_ms();
      auto work = [now, free_slots](store::database& d) {
        return store::claim_ready_jobs(d, now, free_slots);
      };
      auto op = pipelines::on_store<std::vector<store::job>>(*ctx_.db, executor_, work);
      auto jobs = co_await std::move(op);
      if (jobs)
        claimed = std::move(*jobs);
      else
        telemetry::log_event(spdlog::level::warn, "claim failed",
                             {{"reason", jobs.error().message}});
    }
    for (auto& job : claimed) {
      ++running_;
      asio::co_spawn(executor_, run_one(std::move(job)), asio::detached);
    }
    if (stopping_) break;
    if (!claimed.empty() && running_ < options_.max_parallel) continue;  // maybe more are ready
    if (woken_) continue;
    wakeup_.expires_after(options_.poll);
    co_await wakeup_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

asio::awaitable<void> dispatcher::run_one(store::job job) {
  const auto started = std::chrono::steady_clock::now();
  telemetry::log_event(spdlog::level::info, "job started",
                       {{"job", std::to_string(job.id)},
                        {"kind", job.kind},
                        {"incident", job.incident_id},
                        {"attempt", std::to_string(job.attempts)}});
  pipelines::step_result<bool> outcome = pipelines::permanent_failure("not run");
  try {
    auto op = pipelines::run_job(ctx_, job);
    outcome = co_await std::move(op);
  } catch (const std::exception& e) {
    // A broken invariant inside a pipeline: bury the job rather than take the daemon down.
    outcome = pipelines::permanent_failure(std::string("internal error: ") + e.what());
  }
  ctx_.stats->observe(
      "warroom_job_duration_seconds", {{"kind", job.kind}},
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  auto record_op = record(job, outcome);
  const auto retry_in = co_await std::move(record_op);
  --running_;
  if (stopping_ && running_ == 0) drained_.cancel();
  wake();  // the incident's next job may be claimable now
  if (retry_in && !stopping_) {
    // Claim the retry when it is due rather than at the next poll.
    asio::steady_timer due(executor_, *retry_in + std::chrono::milliseconds(1));
    co_await due.async_wait(asio::as_tuple(asio::use_awaitable));
    if (!stopping_) wake();
  }
}

asio::awaitable<std::optional<std::chrono::milliseconds>> dispatcher::record(
    const store::job& job, const pipelines::step_result<bool>& outcome) {
  std::optional<std::chrono::milliseconds> retry_in;
  const auto now = ctx_.now_ms();
  const std::string id = std::to_string(job.id);
  std::function<result<void>(store::database&)> write;
  std::string verdict;
  std::string dead_reason;
  if (outcome) {
    verdict = "done";
    write = [jid = job.id, now](store::database& d) { return store::complete_job(d, jid, now); };
  } else {
    const auto& err = outcome.error();
    retry::retry_decision decision;
    if (err.outcome) {
      const retry::attempt_info attempt{
          job.attempts, wall::time_point(std::chrono::milliseconds(job.created_at_ms)),
          wall::time_point(std::chrono::milliseconds(now))};
      std::uniform_real_distribution<double> unit(0.0, 1.0);
      decision = retry::decide_retry(
          options_.retry, *err.outcome, attempt, [this, &unit] { return unit(random_); },
          err.reason);
    }
    if (err.outcome && decision.retry()) {
      verdict = "retry";
      retry_in = decision.delay;
      const auto next = now + decision.delay.count();
      write = [jid = job.id, reason = err.reason, next, now](store::database& d) {
        return store::retry_job(d, jid, reason, next, now);
      };
      telemetry::log_event(spdlog::level::warn, "job will retry",
                           {{"job", id},
                            {"kind", job.kind},
                            {"incident", job.incident_id},
                            {"delay_ms", std::to_string(decision.delay.count())},
                            {"reason", err.reason}});
    } else {
      verdict = "dead";
      const std::string reason =
          err.outcome && !decision.reason.empty() ? decision.reason : err.reason;
      dead_reason = reason;
      write = [jid = job.id, reason, now](store::database& d) {
        return store::bury_job(d, jid, reason, now);
      };
      telemetry::log_event(
          spdlog::level::err, "job failed for good",
          {{"job", id}, {"kind", job.kind}, {"incident", job.incident_id}, {"reason", reason}});
    }
  }
  ctx_.stats->add("warroom_jobs_finished_total", {{"kind", job.kind}, {"outcome", verdict}});
  auto work = [write](store::database& d) -> result<bool> {
    auto r = write(d);
    if (!r) return r.error();
    return true;
  };
  auto op = pipelines::on_store<bool>(*ctx_.db, executor_, work);
  auto written = co_await std::move(op);
  if (!written)
    telemetry::log_event(spdlog::level::warn, "job outcome not recorded",
                         {{"job", id}, {"reason", written.error().message}});
  else if (verdict == "done")
    telemetry::log_event(spdlog::level::info, "job done",
                         {{"job", id}, {"kind", job.kind}, {"incident", job.incident_id}});
  if (verdict == "dead") {
    auto answer_op = pipelines::answer_failed_command(ctx_, job, dead_reason);
    co_await std::move(answer_op);
  }
  co_return retry_in;
}

asio::awaitable<void> dispatcher::stop(std::chrono::milliseconds grace) {
  stopping_ = true;
  wakeup_.cancel();
  if (running_ == 0) co_return;
  drained_.expires_after(grace);
  co_await drained_.async_wait(asio::as_tuple(asio::use_awaitable));
}

}  // namespace warroom::runtime
