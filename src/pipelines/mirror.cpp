// mirror: PagerDuty changes other than acknowledge/resolve flow into the war room — new
// assignees are invited, priority changes reach Jira, notes are quoted, a reopened or
// unacknowledged incident gets its buttons back (with fresh tokens: a new card generation); a
// reopened one gets its channel back first if it was archived.
#include <nlohmann/json.hpp>

#include <warroom/domain/messages.hpp>
#include <warroom/pipelines/archive.hpp>
#include <warroom/pipelines/command_answers.hpp>
#include <warroom/pipelines/jobs.hpp>
#include <warroom/pipelines/reminders.hpp>
#include <warroom/pipelines/responders.hpp>
#include <warroom/webhook/pagerduty_event.hpp>

namespace warroom::pipelines {
namespace asio = boost::asio;

namespace {

domain::actor agent_of(const webhook::pagerduty_event& event) {
  return domain::actor{"", event.agent ? event.agent->summary : ""};
}

asio::awaitable<step_result<bool>> invite_assignees(job_context& ctx, war_room& room,
                                                    const webhook::pd_incident& inc,
                                                    std::map<std::string, std::string>& steps,
                                                    const std::string& prefix) {
  war_room lookup = room;
  lookup.incident.escalation_policy_id.clear();  // only the new assignees, not the whole rota
  lookup.incident.assignee_ids.clear();
  std::vector<domain::actor> names;
  for (const auto& a : inc.assignees) {
    lookup.incident.assignee_ids.push_back(a.id);
    names.push_back(domain::actor{"", a.summary});
  }
  room.incident.assignee_ids = lookup.incident.assignee_ids;
  auto find_op = find_responders(ctx, lookup, {});
  auto people = co_await std::move(find_op);
  if (!people) co_return std::move(people).error();
  for (const auto& person : people->users) {
    const auto step = "member." + person.user_id;
    if (steps.contains(step) || room.channel_id.empty()) continue;
    auto op = ctx.send("mattermost",
                       api::add_channel_member(ctx.mattermost, room.channel_id, person.user_id));
    auto reply = co_await std::move(op);
    if (!reply) co_return std::move(reply).error();
    if (api::read_channel_member(*reply)) {
      steps[step] = "1";
      auto mark_op = ctx.save_step(room.incident.id, step, "1");
      if (auto marked = co_await std::move(mark_op); !marked) co_return marked;
    }
  }
  auto post_op = post_once(ctx, room, steps, prefix + "message", domain::reassigned_message(names));
  co_return co_await std::move(post_op);
}

asio::awaitable<step_result<bool>> change_priority(job_context& ctx, war_room& room,
                                                   const webhook::pd_incident& inc,
                                                   std::map<std::string, std::string>& steps,
                                                   const std::string& prefix) {
  const std::string priority = inc.priority ? inc.priority->summary : "";
  if (priority == room.incident.priority) co_return true;
  room.incident.priority = priority;
  const auto jira_priority = api::priority_for(
      ctx.settings_of(room).priority_map, priority.empty() ? std::nullopt : std::optional(priority),
      room.incident.urgency);
  if (!room.jira_key.empty() && jira_priority && !steps.contains(prefix + "jira")) {
    auto op = ctx.send("jira", api::jira_update_priority(ctx.jira, room.jira_key, *jira_priority));
    auto reply = co_await std::move(op);
    if (!reply) co_return std::move(reply).error();
    if (auto ok = api::jira_read_ok(*reply); !ok)
      co_return reply_failure(*reply, ok.error().message);
    auto mark_op = ctx.save_step(room.incident.id, prefix + "jira", "1");
    if (auto marked = co_await std::move(mark_op); !marked) co_return marked;
  }
  auto post_op =
      post_once(ctx, room, steps, prefix + "message", domain::priority_changed_message(priority));
  if (auto posted = co_await std::move(post_op); !posted) co_return posted;
  auto card_op = refresh_card(ctx, room);
  co_return co_await std::move(card_op);
}

asio::awaitable<step_result<bool>> back_to_triggered(job_context& ctx, war_room& room,
                                                     const webhook::pagerduty_event& event,
                                                     std::map<std::string, std::string>& steps,
                                                     const std::string& prefix) {
  const auto incident_event = event.kind == webhook::event_kind::reopened
                                  ? domain::incident_event::reopen
                                  : domain::incident_event::unacknowledge;
  const auto moved = domain::transition(domain::status_of(room.incident), incident_event);
  if (!moved.changed) co_return true;
  if (incident_event == domain::incident_event::reopen) {
    // The channel first: the reopened message and the buttons go into a live channel.
    auto undo_op = undo_archive(ctx, room);
    if (auto undone = co_await std::move(undo_op); !undone) co_return undone;
    if (!steps.contains(prefix + "jira")) {
      auto reopen_op = reopen_issue(ctx, room);
      if (auto reopened = co_await std::move(reopen_op); !reopened) co_return reopened;
      auto mark_op = ctx.save_step(room.incident.id, prefix + "jira", "1");
      if (auto marked = co_await std::move(mark_op); !marked) co_return marked;
    }
  }
  room.incident.status = std::string(domain::to_string(moved.status));
  if (incident_event == domain::incident_event::reopen) {
    room.incident.resolved_at_ms = 0;
    room.resolved_by.clear();
  }
  room.incident.acknowledged_at_ms = 0;
  room.acknowledged_by.clear();
  room.card_generation += 1;  // new buttons, so clicks on the old rendering stay distinct
  const auto text = incident_event == domain::incident_event::reopen
                        ? domain::reopened_message(agent_of(event))
                        : domain::unacknowledged_message();
  auto post_op = post_once(ctx, room, steps, prefix + "message", text);
  if (auto posted = co_await std::move(post_op); !posted) co_return posted;
  auto card_op = refresh_card(ctx, room);
  co_return co_await std::move(card_op);
}

}  // namespace

asio::awaitable<step_result<bool>> run_mirror(job_context& ctx, store::job job) {
  auto event = webhook::parse_pagerduty_event(job.payload);
  if (!event) co_return permanent_failure("mirror: unreadable payload");
  auto load_op = ctx.load_room_and_steps(job.incident_id);
  auto loaded = co_await std::move(load_op);
  if (!loaded) co_return std::move(loaded).error();
  if (!*loaded) co_return true;  // no war room (never opened here): nothing to mirror into
  war_room room = std::move((*loaded)->room);
  auto steps = std::move((*loaded)->steps);
  const std::string prefix = "job." + std::to_string(job.id) + ".";

  step_result<bool> outcome = true;
  switch (event->kind) {
    case webhook::event_kind::reassigned:
    case webhook::event_kind::escalated:
    case webhook::event_kind::delegated:
      if (event->incident) {
        auto op = invite_assignees(ctx, room, *event->incident, steps, prefix);
        outcome = co_await std::move(op);
      }
      break;
    case webhook::event_kind::priority_updated:
      if (event->incident) {
        auto op = change_priority(ctx, room, *event->incident, steps, prefix);
        outcome = co_await std::move(op);
      }
      break;
    case webhook::event_kind::annotated:
      // Our own notes come back as incident.annotated, and PagerDuty turns a resolution into a
      // "Resolution Note: ..." note: both carry the marker near the start.
      if (event->note &&
          event->note->content.substr(0, 64).find(note_marker) == std::string::npos &&
          !steps.contains(std::string(chat_note_step) + event->note->id)) {
        auto op = post_once(ctx, room, steps, prefix + "message",
                            domain::note_added_message(agent_of(*event), event->note->content));
        outcome = co_await std::move(op);
      }
      break;
    case webhook::event_kind::reopened:
    case webhook::event_kind::unacknowledged: {
      auto op = back_to_triggered(ctx, room, *event, steps, prefix);
      outcome = co_await std::move(op);
      break;
    }
    default:
      break;
  }
  if (!outcome) co_return outcome;
  auto save_op = ctx.save_room(room);
  co_return co_await std::move(save_op);
}

asio::awaitable<step_result<bool>> run_job(job_context& ctx, store::job job) {
  if (job.kind == "open") {
    auto op = run_open(ctx, std::move(job));
    co_return co_await std::move(op);
  }
  if (job.kind == "acknowledge" || job.kind == "resolve") {
    auto op = run_status_change(ctx, std::move(job));
    co_return co_await std::move(op);
  }
  if (job.kind == reminder_job_kind) {
    auto op = run_reminder(ctx, std::move(job));
    co_return co_await std::move(op);
  }
  if (job.kind == archive_job_kind) {
    auto op = run_archive(ctx, std::move(job));
    co_return co_await std::move(op);
  }
  if (job.kind == "mirror") {
    auto op = run_mirror(ctx, std::move(job));
    co_return co_await std::move(op);
  }
  if (job.kind == "command") {
    auto op = run_command(ctx, std::move(job));
    co_return co_await std::move(op);
  }
  if (job.kind == declare_answer_job_kind) {
    auto op = run_declare_answer(ctx, std::move(job));
    co_return co_await std::move(op);
  }
  co_return permanent_failure("unknown job kind " + job.kind);
}

}  // namespace warroom::pipelines
