#include <memory>

#include <boost/asio/this_coro.hpp>
#include <spdlog/spdlog.h>

#include <warroom/domain/card.hpp>
#include <warroom/domain/messages.hpp>
#include <warroom/pipelines/job_context.hpp>
#include <warroom/pipelines/store_bridge.hpp>
#include <warroom/pipelines/war_room.hpp>
#include <warroom/routes/intake.hpp>
#include <warroom/store/incidents.hpp>
#include <warroom/telemetry/logging.hpp>
#include <warroom/webhook/hmac.hpp>
#include <warroom/webhook/intake.hpp>

namespace warroom::routes {
namespace asio = boost::asio;
using webhook::intake_outcome;

namespace {

struct shared_context {
  intake_context ctx;
  webhook::action_keyring keys;
  webhook_counters pagerduty_count;
  webhook_counters mattermost_count;
};

store::delivery delivery_of(webhook::stored_event e, std::int64_t now_ms) {
  return store::delivery{std::move(e.source),
                         std::move(e.delivery_id),
                         std::move(e.event_id),
                         std::move(e.incident_id),
                         std::move(e.job_kind),
                         std::move(e.payload),
                         now_ms};
}

/// Stores the event; returns accepted, duplicate or unavailable.
asio::awaitable<intake_outcome> store_event(shared_context& s, webhook::stored_event event) {
  const bool has_job = !event.job_kind.empty();
  auto ex = co_await asio::this_coro::executor;
  auto item = delivery_of(std::move(event), s.ctx.now_ms());
  auto stored = co_await pipelines::ingest(*s.ctx.store, ex, std::move(item));
  if (!stored) {
    telemetry::log_event(spdlog::level::warn, "webhook not stored",
                         {{"reason", stored.error().message}});
    co_return intake_outcome::unavailable;
  }
  if (stored->status == store::ingest_status::duplicate) co_return intake_outcome::duplicate;
  if (has_job && s.ctx.on_job_stored) s.ctx.on_job_stored();
  co_return intake_outcome::accepted;
}

asio::awaitable<net::response> pagerduty_webhook(std::shared_ptr<shared_context> s,
                                                 net::request req) {
  // The body is moved into the stored event; the headers' views stay valid.
  auto decision = webhook::decide_pagerduty(
      std::move(req.body), req.header_value("x-pagerduty-signature"),
      req.header_value("x-webhook-id"), s->ctx.cfg->pagerduty.webhook_secrets);
  if (!decision.store) {
    s->pagerduty_count.add(decision.outcome);
    if (decision.outcome == intake_outcome::unauthorized)
      telemetry::log_event(spdlog::level::warn, "pagerduty webhook refused",
                           {{"remote", req.remote}});
    co_return net::json_response(decision.reply.status, std::move(decision.reply.body));
  }
  // The debug line's fields are copied only when it is written: this is the hot path.
  const bool traced = spdlog::should_log(spdlog::level::debug);
  std::string incident, kind;
  if (traced) {
    incident = decision.store->incident_id;
    kind = decision.store->job_kind;
  }
  const auto outcome = co_await store_event(*s, std::move(*decision.store));
  s->pagerduty_count.add(outcome);
  if (traced)
    telemetry::log_event(spdlog::level::debug, "pagerduty webhook",
                         {{"incident", incident},
                          {"job", kind},
                          {"outcome", std::string(webhook::to_string(outcome))}});
  auto reply = webhook::pagerduty_reply(outcome);
  co_return net::json_response(reply.status, std::move(reply.body));
}

std::string activity_text(std::string_view action, const std::string& user_name) {
  const std::string who = domain::actor_text(domain::actor{user_name, ""});
  return std::string(action == "resolve" ? "Resolving" : "Acknowledging") + " as " + who + "…";
}

asio::awaitable<net::response> mattermost_click(std::shared_ptr<shared_context> s,
                                                net::request req) {
  const auto now = s->ctx.now_ms();
  auto decided = webhook::decide_click(req.body, s->keys, now / 1000);
  auto& decision = decided.decision;
  if (!decision.store) {
    s->mattermost_count.add(decision.outcome);
    if (decision.outcome == intake_outcome::forbidden)
      telemetry::log_event(spdlog::level::warn, "button click refused", {{"remote", req.remote}});
    co_return net::json_response(decision.reply.status, std::move(decision.reply.body));
  }
  const std::string incident_id = decision.store->incident_id;
  const std::string action = decided.claims->action;
  const auto outcome = co_await store_event(*s, std::move(*decision.store));
  s->mattermost_count.add(outcome);
  if (outcome == intake_outcome::unavailable) {
    auto reply = webhook::pagerduty_reply(outcome);
    co_return net::json_response(reply.status, std::move(reply.body));
  }

  const std::string& user = decided.click->user_name;
  const std::string ephemeral =
      outcome == intake_outcome::duplicate
          ? "This " + action + " is already under way."
          : std::string(action == "resolve" ? "Resolving" : "Acknowledging") +
                " the incident in PagerDuty as " + domain::actor_text(domain::actor{user, ""}) +
                "…";
  auto ex = co_await asio::this_coro::executor;
  auto lookup = [incident_id](store::database& db) { return store::get_incident(db, incident_id); };
  auto record = co_await pipelines::on_store<std::optional<store::incident_record>>(*s->ctx.store,
                                                                                    ex, lookup);
  nlohmann::json body;
  if (record && *record) {
    auto input =
        pipelines::card_input_of(pipelines::decode_war_room(**record),
                                 s->ctx.cfg->server.public_url.origin() +
                                     s->ctx.cfg->server.public_url.path + "/webhooks/mattermost");
    input.activity = activity_text(action, user);
    body = domain::action_response(domain::render_card(input), ephemeral);
  } else {
    body = {{"ephemeral_text", ephemeral}};
  }
  co_return net::json_response(200,
                               body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

webhook_counters::webhook_counters(telemetry::metrics& stats, std::string_view source) {
  for (std::size_t i = 0; i < by_outcome_.size(); ++i)
    by_outcome_[i] = stats.bind_counter(
        "warroom_webhooks_total",
        {{"source", std::string(source)},
         {"outcome", std::string(webhook::to_string(static_cast<intake_outcome>(i)))}});
}

void webhook_counters::add(intake_outcome outcome) const {
  const auto i = static_cast<std::size_t>(outcome);
  if (i < by_outcome_.size()) by_outcome_[i].add();
}

void add_intake_routes(net::router& routes, intake_context context) {
  context.stats->describe("warroom_webhooks_total",
                          "Inbound webhooks and clicks by source and outcome", "counter");
  auto s = std::make_shared<shared_context>(
      shared_context{context, pipelines::action_keyring_of(context.cfg->mattermost),
                     webhook_counters(*context.stats, "pagerduty"),
                     webhook_counters(*context.stats, "mattermost")});
  // Both run on whichever loop serves the connection: they read only the configuration and keys
  // (fixed after start), count with atomics and reach the store through its thread-safe queue.
  routes.add(
      "POST", "/webhooks/pagerduty",
      [s](net::request req) { return pagerduty_webhook(s, std::move(req)); },
      net::runs_on::any_loop);
  routes.add(
      "POST", "/webhooks/mattermost",
      [s](net::request req) { return mattermost_click(s, std::move(req)); },
      net::runs_on::any_loop);
}

}  // namespace warroom::routes
