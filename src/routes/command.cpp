#include <memory>

#include <boost/asio/this_coro.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <warroom/domain/command_text.hpp>
#include <warroom/pipelines/store_bridge.hpp>
#include <warroom/pipelines/war_room.hpp>
#include <warroom/routes/command.hpp>
#include <warroom/store/incidents.hpp>
#include <warroom/telemetry/logging.hpp>
#include <warroom/webhook/hmac.hpp>
#include <warroom/webhook/incident_command.hpp>
#include <warroom/webhook/slash_command.hpp>

namespace warroom::routes {
namespace asio = boost::asio;
using webhook::command_verb;
using webhook::intake_outcome;

namespace {

/// What to answer, and the job to store first when the command acts.
struct command_plan {
  std::string text;
  std::optional<webhook::stored_event> job;
};

std::string incident_label(const pipelines::war_room& room) {
  return "INC #" + std::to_string(room.incident.number);
}

std::string who_of(const webhook::slash_request& req) {
  return domain::actor_text(domain::actor{req.user_name, ""});
}

webhook::stored_event job_for(const webhook::slash_request& req, std::string incident_id,
                              std::string kind, const nlohmann::json& payload) {
  webhook::stored_event e;
  e.source = "mattermost-command";
  e.delivery_id = req.trigger_id;
  e.incident_id = std::move(incident_id);
  e.job_kind = std::move(kind);
  e.payload = payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return e;
}

nlohmann::json command_payload(const webhook::incident_command& cmd,
                               const webhook::slash_request& req) {
  return {{"verb", webhook::to_string(cmd.verb)},
          {"text", cmd.text},
          {"users", cmd.users},
          {"service", cmd.service},
          {"user_id", req.user_id},
          {"user_name", req.user_name},
          {"channel_id", req.channel_id},
          {"response_url", req.response_url}};
}

/// ack and resolve are stored as the buttons' own jobs, with the click's payload shape.
command_plan plan_status_change(const webhook::incident_command& cmd,
                                const webhook::slash_request& req,
                                const pipelines::war_room& room) {
  const bool resolve = cmd.verb == command_verb::resolve;
  if (room.incident.status == "resolved")
    return {incident_label(room) + " is already resolved.", std::nullopt};
  if (!resolve && room.incident.status == "acknowledged")
    return {incident_label(room) + " is already acknowledged (" + room.acknowledged_by + ").",
            std::nullopt};
  const nlohmann::json payload = {{"action", resolve ? "resolve" : "acknowledge"},
                                  {"incident_id", room.incident.id},
                                  {"user_id", req.user_id},
                                  {"user_name", req.user_name},
                                  {"channel_id", req.channel_id},
                                  {"post_id", room.post_id},
                                  {"generation", room.card_generation},
                                  {"via", "command"}};
  return {std::string(resolve ? "Resolving " : "Acknowledging ") + incident_label(room) +
              " in PagerDuty as " + who_of(req) + "…",
          job_for(req, room.incident.id, resolve ? "resolve" : "acknowledge", payload)};
}

command_plan plan_in_room(const webhook::incident_command& cmd, const webhook::slash_request& req,
                          const pipelines::war_room& room, std::int64_t now_ms) {
  switch (cmd.verb) {
    case command_verb::status:
      return {domain::status_summary(room.incident, room.acknowledged_by, room.jira_key,
                                     room.jira_url, now_ms),
              std::nullopt};
    case command_verb::ack:
    case command_verb::resolve:
      return plan_status_change(cmd, req, room);
    default:
      break;
  }
  std::string text;
  if (cmd.verb == command_verb::note) text = "Adding your note to " + incident_label(room) + "…";
  if (cmd.verb == command_verb::add) text = "Inviting them to this war room…";
  if (cmd.verb == command_verb::page) text = "Asking PagerDuty to page @" + cmd.users.front() + "…";
  if (cmd.verb == command_verb::priority)
    text = "Setting the priority of " + incident_label(room) + " to " + cmd.text + "…";
  return {text, job_for(req, room.incident.id, "command", command_payload(cmd, req))};
}

command_plan plan_declare(const webhook::incident_command& cmd, const webhook::slash_request& req,
                          const config::config& cfg) {
  if (cmd.service.empty() && cfg.pagerduty.declare_service_id.empty())
    return {
        "Name the PagerDuty service: `/incident new --service <name or id> <title>` (no "
        "default service is configured).",
        std::nullopt};
  auto payload = command_payload(cmd, req);
  // One PagerDuty incident per typed command, even when a retried job posts it twice.
  payload["incident_key"] =
      "warroom-" + webhook::hmac_sha256_hex("warroom-incident-key", req.trigger_id).substr(0, 32);
  return {"Declaring a new incident in PagerDuty as " + who_of(req) +
              "; its war room opens in a moment (the on-call responders are invited).",
          job_for(req, "", "command", payload)};
}

command_plan plan(const webhook::incident_command& cmd, const webhook::slash_request& req,
                  const std::optional<pipelines::war_room>& room, const config::config& cfg,
                  std::int64_t now_ms) {
  if (cmd.verb == command_verb::help) return {webhook::command_help(room.has_value()), {}};
  if (cmd.verb == command_verb::declare) return plan_declare(cmd, req, cfg);
  if (!room)
    return {"This channel is not a war room: `/incident " + std::string(to_string(cmd.verb)) +
                "` works only in an incident's channel. `/incident new <title>` declares one.",
            std::nullopt};
  return plan_in_room(cmd, req, *room, now_ms);
}

net::response ephemeral(std::string_view text) {
  return net::json_response(200, webhook::ephemeral_reply(text));
}

asio::awaitable<intake_outcome> store_job(intake_context& ctx, webhook::stored_event event) {
  auto ex = co_await asio::this_coro::executor;
  store::delivery item{std::move(event.source),
                       std::move(event.delivery_id),
                       "",
                       std::move(event.incident_id),
                       std::move(event.job_kind),
                       std::move(event.payload),
                       ctx.now_ms()};
  auto op = pipelines::ingest(*ctx.store, ex, std::move(item));
  auto stored = co_await std::move(op);
  if (!stored) co_return intake_outcome::unavailable;
  if (stored->status == store::ingest_status::duplicate) co_return intake_outcome::duplicate;
  if (ctx.on_job_stored) ctx.on_job_stored();
  co_return intake_outcome::accepted;
}

asio::awaitable<net::response> slash_command(std::shared_ptr<intake_context> ctx,
                                             std::shared_ptr<const webhook_counters> counts,
                                             net::request req) {
  auto decision = webhook::decide_slash_command(req.body, ctx->cfg->mattermost.command_tokens);
  if (!decision.request) {
    counts->add(decision.outcome);
    if (decision.outcome == intake_outcome::unauthorized)
      telemetry::log_event(spdlog::level::warn, "slash command refused", {{"remote", req.remote}});
    co_return net::json_response(decision.reply.status, std::move(decision.reply.body));
  }
  const webhook::slash_request slash = std::move(*decision.request);
  auto parsed = webhook::parse_incident_command(slash.text);
  if (!parsed) co_return ephemeral(parsed.error().message);

  auto ex = co_await asio::this_coro::executor;
  const std::string channel = slash.channel_id;
  auto lookup = [channel](store::database& db) {
    return store::find_incident_by_channel(db, channel);
  };
  auto lookup_op =
      pipelines::on_store<std::optional<store::incident_record>>(*ctx->store, ex, lookup);
  auto record = co_await std::move(lookup_op);
  if (!record) co_return ephemeral("warroom cannot read its store right now; try again shortly.");
  std::optional<pipelines::war_room> room;
  if (*record) room = pipelines::decode_war_room(**record);

  auto decided = plan(*parsed, slash, room, *ctx->cfg, ctx->now_ms());
  if (!decided.job) co_return ephemeral(decided.text);
  auto store_op = store_job(*ctx, std::move(*decided.job));
  const auto outcome = co_await std::move(store_op);
  counts->add(outcome);
  telemetry::log_event(spdlog::level::info, "slash command",
                       {{"incident", room ? room->incident.id : ""},
                        {"verb", std::string(to_string(parsed->verb))},
                        {"outcome", std::string(webhook::to_string(outcome))}});
  if (outcome == intake_outcome::duplicate)
    co_return ephemeral("This command is already under way.");
  if (outcome == intake_outcome::unavailable)
    co_return ephemeral("warroom could not record the command; nothing changed. Try again.");
  co_return ephemeral(decided.text);
}

}  // namespace

void add_command_routes(net::router& routes, intake_context context) {
  auto ctx = std::make_shared<intake_context>(std::move(context));
  auto counts = std::make_shared<const webhook_counters>(*ctx->stats, "mattermost_command");
  routes.add("POST", "/webhooks/mattermost/command", [ctx, counts](net::request req) {
    return slash_command(ctx, counts, std::move(req));
  });
}

}  // namespace warroom::routes
