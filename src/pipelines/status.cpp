// acknowledge / resolve, from a button click (act in PagerDuty as the clicking user first) or
// from PagerDuty's own webhook (mirror only). The state machine decides whether anything changed:
// the webhook PagerDuty echoes for our own change finds the status already set and posts nothing.
#include <nlohmann/json.hpp>

#include <warroom/domain/messages.hpp>
#include <warroom/pipelines/acting_user.hpp>
#include <warroom/pipelines/archive.hpp>
#include <warroom/pipelines/jobs.hpp>
#include <warroom/webhook/pagerduty_event.hpp>

namespace warroom::pipelines {
namespace asio = boost::asio;

namespace {

/// Who asked for the change and how PagerDuty is told.
struct change_request {
  bool from_button = false;
  std::string user_id;         // Mattermost user (button)
  domain::actor who;           // for messages
  std::string pagerduty_from;  // From header (button)
  std::string fallback_from;   // set when PagerDuty had no user with the clicker's email
};

change_request request_of(const store::job& job) {
  change_request req;
  const auto click = nlohmann::json::parse(job.payload, nullptr, false);
  if (click.is_object() && click.contains("user_id")) {
    req.from_button = true;
    req.user_id = click.value("user_id", "");
    req.who = domain::actor{click.value("user_name", ""), ""};
    return req;
  }
  if (auto event = webhook::parse_pagerduty_event(job.payload); event && event->agent)
    req.who = domain::actor{"", event->agent->summary};
  else
    req.who = domain::actor{"", "PagerDuty"};
  return req;
}

/// The PagerDuty user to act as: the clicker's email when PagerDuty knows it, else from_email.
asio::awaitable<step_result<bool>> choose_from(job_context& ctx, change_request& req) {
  auto op = find_acting_user(ctx, req.user_id, req.who);
  auto acting = co_await std::move(op);
  if (!acting) co_return std::move(acting).error();
  req.who = std::move(acting->who);
  req.pagerduty_from = std::move(acting->pagerduty_from);
  req.fallback_from = std::move(acting->fallback_from);
  co_return true;
}

asio::awaitable<step_result<bool>> tell_pagerduty(job_context& ctx, const war_room& room,
                                                  const change_request& req, bool resolve) {
  const auto status =
      resolve ? api::pagerduty_status_change::resolved : api::pagerduty_status_change::acknowledged;
  std::optional<std::string_view> resolution;
  const std::string text =
      std::string(note_marker) + " Resolved from Mattermost by " + domain::actor_text(req.who);
  if (resolve) resolution = text;
  auto op =
      ctx.send("pagerduty", api::update_incident_status(ctx.pagerduty, room.incident.id, status,
                                                        req.pagerduty_from, resolution));
  auto reply = co_await std::move(op);
  if (!reply) co_return std::move(reply).error();
  auto updated = api::read_incident_status(*reply);
  if (!updated && !api::is_already_acknowledged(updated.error()) &&
      !api::is_already_resolved(updated.error()))
    co_return reply_failure(*reply, updated.error().message);
  co_return true;
}

asio::awaitable<step_result<bool>> resolved_in_pagerduty(job_context& ctx, const war_room& room) {
  auto op = ctx.send("pagerduty", api::get_incident(ctx.pagerduty, room.incident.id));
  auto reply = co_await std::move(op);
  if (!reply) co_return std::move(reply).error();
  auto incident = api::read_incident(*reply);
  if (!incident) co_return reply_failure(*reply, incident.error().message);
  co_return incident->status == "resolved";
}

// Moves the issue along the transition `pick` chooses. A workflow with no such transition from
// here leaves the issue as it is: that is Jira's call, and the war room goes on without it.
asio::awaitable<step_result<bool>> transition_issue(
    job_context& ctx, const war_room& room,
    result<api::jira_transition> (*pick)(const api::http_reply&)) {
  auto list_op = ctx.send("jira", api::jira_list_transitions(ctx.jira, room.jira_key));
  auto listed = co_await std::move(list_op);
  if (!listed) co_return std::move(listed).error();
  auto chosen = pick(*listed);
  if (!chosen) {
    if (listed->status < 300) co_return true;
    co_return reply_failure(*listed, chosen.error().message);
  }
  auto op = ctx.send(
      "jira", api::jira_perform_transition(ctx.jira, room.jira_key, chosen->id, std::nullopt));
  auto reply = co_await std::move(op);
  if (!reply) co_return std::move(reply).error();
  if (auto ok = api::jira_read_ok(*reply); !ok) co_return reply_failure(*reply, ok.error().message);
  co_return true;
}

/// MTTA / MTTR: observed once, when the change is saved (a rerun finds the status already set).
/// Labelled by route, never by incident.
void observe_reaction_time(job_context& ctx, const war_room& room, bool resolve) {
  const auto ms = resolve ? domain::time_to_resolve_ms(room.incident)
                          : domain::time_to_acknowledge_ms(room.incident);
  if (!ms || *ms < 0) return;
  ctx.stats->observe(
      resolve ? "warroom_time_to_resolve_seconds" : "warroom_time_to_acknowledge_seconds",
      {{"route", ctx.settings_of(room).route}}, static_cast<double>(*ms) / 1000.0);
}

}  // namespace

asio::awaitable<step_result<bool>> reopen_issue(job_context& ctx, const war_room& room) {
  if (room.jira_key.empty()) co_return true;
  // Only a closed issue goes back: one someone already reopened or moved on stays put.
  auto get_op = ctx.send("jira", api::jira_get_issue_status(ctx.jira, room.jira_key));
  auto got = co_await std::move(get_op);
  if (!got) co_return std::move(got).error();
  auto category = api::jira_read_issue_category(*got);
  if (!category) co_return reply_failure(*got, category.error().message);
  if (*category != "done") co_return true;
  auto op = transition_issue(ctx, room, &api::jira_read_reopen_transition);
  co_return co_await std::move(op);
}

asio::awaitable<step_result<std::optional<std::string>>> find_post_with(job_context& ctx,
                                                                        std::string channel_id,
                                                                        std::string key,
                                                                        std::string value) {
  auto list_op = ctx.send("mattermost", api::get_channel_posts(ctx.mattermost, channel_id, 200));
  auto listed = co_await std::move(list_op);
  if (!listed) co_return std::move(listed).error();
  auto posts = api::read_channel_posts(*listed);
  if (!posts) co_return reply_failure(*listed, posts.error().message);
  for (const auto& p : *posts)
    if (p.props.is_object() && p.props.value(key, "") == value) co_return p.id;
  co_return std::nullopt;
}

/// Posts `text` as a root post of the room's channel unless step `step` already did. The post
/// names the step in its props: a retry after a crash between the POST and the checkpoint finds
/// it in the channel instead of posting it twice.
asio::awaitable<step_result<bool>> post_once(job_context& ctx, const war_room& room,
                                             std::map<std::string, std::string>& steps,
                                             std::string step, std::string text) {
  if (room.channel_id.empty() || steps.contains(step)) co_return true;
  const std::string started = step + ".started";
  const std::string tag = room.incident.id + "/" + step;
  if (steps.contains(started)) {
    auto find_op = find_post_with(ctx, room.channel_id, "warroom_step", tag);
    auto found = co_await std::move(find_op);
    if (!found) co_return std::move(found).error();
    if (*found) {
      steps[step] = "1";
      auto mark_op = ctx.save_step(room.incident.id, step, "1");
      co_return co_await std::move(mark_op);
    }
  } else {
    steps[started] = "1";
    auto started_op = ctx.save_step(room.incident.id, started, "1");
    if (auto marked = co_await std::move(started_op); !marked) co_return marked;
  }
  auto op = ctx.send("mattermost", api::create_post(ctx.mattermost, room.channel_id, text,
                                                    nlohmann::json{{"warroom_step", tag}}));
  auto reply = co_await std::move(op);
  if (!reply) co_return std::move(reply).error();
  if (auto ok = api::read_post_id(*reply); !ok) co_return reply_failure(*reply, ok.error().message);
  steps[step] = "1";
  auto mark_op = ctx.save_step(room.incident.id, step, "1");
  co_return co_await std::move(mark_op);
}

/// Re-renders the card in place (whole message and props, fresh tokens).
asio::awaitable<step_result<bool>> refresh_card(job_context& ctx, const war_room& room) {
  if (room.post_id.empty()) co_return true;
  auto card = ctx.render(room);
  auto op = ctx.send("mattermost",
                     api::patch_post(ctx.mattermost, room.post_id, card.message, card.props));
  auto reply = co_await std::move(op);
  if (!reply) co_return std::move(reply).error();
  if (auto ok = api::read_post_id(*reply); !ok) co_return reply_failure(*reply, ok.error().message);
  co_return true;
}

asio::awaitable<step_result<bool>> run_status_change(job_context& ctx, store::job job) {
  bool resolve = job.kind == "resolve";
  auto req = request_of(job);
  auto load_op = ctx.load_room_and_steps(job.incident_id);
  auto loaded = co_await std::move(load_op);
  if (!loaded) co_return std::move(loaded).error();
  if (!*loaded) co_return true;  // never opened here (or its open job is dead): nothing to mirror
  war_room room = std::move((*loaded)->room);
  auto steps = std::move((*loaded)->steps);
  const std::string prefix = "job." + std::to_string(job.id) + ".";

  const auto event =
      resolve ? domain::incident_event::resolve : domain::incident_event::acknowledge;
  auto moved = domain::transition(domain::status_of(room.incident), event);
  if (req.from_button && !moved.changed && !steps.contains(prefix + "pagerduty")) {
    // A click on a stale card (say, Acknowledge after the incident was resolved): telling
    // PagerDuty would reopen the incident, so only the card is brought up to date.
    auto card_op = refresh_card(ctx, room);
    co_return co_await std::move(card_op);
  }
  if (req.from_button) {
    auto from_op = choose_from(ctx, req);
    if (auto chosen = co_await std::move(from_op); !chosen) co_return chosen;
    if (!resolve && !steps.contains(prefix + "pagerduty")) {
      // Our view may lag PagerDuty's (its resolve webhook still on the way): acknowledging a
      // resolved incident would reopen it, so a click late for that changes nothing. Asked
      // right before the change; PagerDuty offers no conditional update to close the gap.
      auto check_op = resolved_in_pagerduty(ctx, room);
      auto resolved = co_await std::move(check_op);
      if (!resolved) co_return std::move(resolved).error();
      if (*resolved) {
        // PagerDuty resolved it, and its webhook never reached us (we were down past its
        // retries): apply that resolve now, as PagerDuty's, exactly as the webhook would have
        // (Jira closed, reminders and buttons gone, archive scheduled).
        resolve = true;
        req.from_button = false;
        req.who = domain::actor{"", "PagerDuty"};
        req.fallback_from.clear();
        moved =
            domain::transition(domain::status_of(room.incident), domain::incident_event::resolve);
      }
    }
    if (req.from_button && !steps.contains(prefix + "pagerduty")) {
      auto tell_op = tell_pagerduty(ctx, room, req, resolve);
      if (auto told = co_await std::move(tell_op); !told) co_return told;
      auto mark_op = ctx.save_step(room.incident.id, prefix + "pagerduty", "1");
      if (auto marked = co_await std::move(mark_op); !marked) co_return marked;
    }
  }

  if (!moved.changed) {
    if (resolve) {
      // Resolved already: a rerun that died after saving the room schedules the archive it
      // missed; for a duplicate or an echo the step is there and nothing is scheduled.
      auto archive_op = schedule_archive(ctx, room);
      if (auto scheduled = co_await std::move(archive_op); !scheduled) co_return scheduled;
    }
    // A duplicate, or PagerDuty echoing our own change: nothing to say. A click still gets its
    // card back from the "in progress" state the click answer showed.
    if (!req.from_button) co_return true;
    auto card_op = refresh_card(ctx, room);
    co_return co_await std::move(card_op);
  }

  const auto now = ctx.now_ms();
  room.incident.status = std::string(domain::to_string(moved.status));
  const std::string who = domain::actor_text(req.who);
  if (resolve) {
    room.incident.resolved_at_ms = now;
    room.resolved_by = who;
    if (!room.jira_key.empty() && !steps.contains(prefix + "jira")) {
      auto close_op = transition_issue(ctx, room, &api::jira_read_done_transition);
      if (auto closed = co_await std::move(close_op); !closed) co_return closed;
      auto mark_op = ctx.save_step(room.incident.id, prefix + "jira", "1");
      if (auto marked = co_await std::move(mark_op); !marked) co_return marked;
    }
  } else {
    room.incident.acknowledged_at_ms = now;
    room.acknowledged_by = who;
  }
  const auto text = resolve ? domain::resolved_message(room.incident, req.who, req.fallback_from)
                            : domain::acknowledged_message(req.who, req.fallback_from);
  auto post_op = post_once(ctx, room, steps, prefix + "message", text);
  if (auto posted = co_await std::move(post_op); !posted) co_return posted;
  auto card_op = refresh_card(ctx, room);
  if (auto refreshed = co_await std::move(card_op); !refreshed) co_return refreshed;
  auto save_op = ctx.save_room(room);
  if (auto saved = co_await std::move(save_op); !saved) co_return saved;
  if (resolve) {
    auto archive_op = schedule_archive(ctx, room);
    if (auto scheduled = co_await std::move(archive_op); !scheduled) co_return scheduled;
  }
  observe_reaction_time(ctx, room, resolve);
  auto audit_op = ctx.audit(room.incident.id, who, resolve ? "resolve" : "acknowledge",
                            req.from_button ? "mattermost" : "pagerduty", "");
  co_await std::move(audit_op);  // the audit line is best effort: the change itself is done
  co_return true;
}

}  // namespace warroom::pipelines
