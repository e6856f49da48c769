// commands: the `/incident` subcommands that act (note, add, page, priority, new); ack and resolve
// are the buttons' own jobs. Each runs as the typing user (acting_user) and says in the war room
// what it did. Every side effect is a checkpointed step, so a retried job does not repeat it.
#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include <warroom/domain/command_text.hpp>
#include <warroom/pipelines/acting_user.hpp>
#include <warroom/pipelines/command_answers.hpp>
#include <warroom/pipelines/jobs.hpp>

namespace warroom::pipelines {
namespace asio = boost::asio;

namespace {

using nlohmann::json;

struct command_job {
  std::string verb;
  std::string text;
  std::vector<std::string> users;
  std::string service;
  std::string user_id;
  std::string user_name;
  std::string incident_key;
  std::string response_url;
};

std::optional<command_job> command_of(const store::job& job) {
  const auto j = json::parse(job.payload, nullptr, false);
  if (!j.is_object() || !j.contains("verb")) return std::nullopt;
  command_job c;
  c.verb = j.value("verb", "");
  c.text = j.value("text", "");
  c.users = j.value("users", std::vector<std::string>{});
  c.service = j.value("service", "");
  c.user_id = j.value("user_id", "");
  c.user_name = j.value("user_name", "");
  c.incident_key = j.value("incident_key", "");
  c.response_url = j.value("response_url", "");
  return c;
}

bool iequal(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](unsigned char x, unsigned char y) {
    return std::tolower(x) == std::tolower(y);
  });
}

/// PagerDuty object ids: a 'P' and six or more upper-case letters or digits.
bool looks_like_pagerduty_id(std::string_view s) {
  return s.size() >= 7 && s.size() <= 20 && s.front() == 'P' &&
         std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

struct job_state {
  job_context& ctx;
  war_room room;
  std::map<std::string, std::string> steps;
  std::string prefix;
  command_job cmd;
  acting_user actor;

  /// Checkpoints `step` of this job, so a retry skips what it guards.
  asio::awaitable<step_result<bool>> mark(std::string step) {
    steps[prefix + step] = "1";
    auto op = ctx.save_step(room.incident.id, prefix + step, "1");
    co_return co_await std::move(op);
  }
  bool done(const std::string& step) const { return steps.contains(prefix + step); }
  /// Sends `call` unless `step` is checkpointed; a 2xx answer checkpoints it.
  asio::awaitable<step_result<bool>> send_once(std::string step, std::string service,
                                               api::http_call call) {
    if (done(step)) co_return true;
    auto op = ctx.send(service, std::move(call));
    auto reply = co_await std::move(op);
    if (!reply) co_return std::move(reply).error();
    const auto ok = service == "jira" ? api::jira_read_ok(*reply) : api::read_pagerduty_ok(*reply);
    if (!ok) co_return reply_failure(*reply, ok.error().message);
    auto mark_op = mark(std::move(step));
    co_return co_await std::move(mark_op);
  }
  asio::awaitable<step_result<bool>> say(std::string text) {
    auto op = post_once(ctx, room, steps, prefix + "message", std::move(text));
    co_return co_await std::move(op);
  }
};

asio::awaitable<step_result<bool>> add_note(job_state& s) {
  if (!s.done("pagerduty")) {
    auto op = s.ctx.send("pagerduty", api::add_incident_note(s.ctx.pagerduty, s.room.incident.id,
                                                             s.actor.pagerduty_from, s.cmd.text));
    auto reply = co_await std::move(op);
    if (!reply) co_return std::move(reply).error();
    auto note = api::read_incident_note(*reply);
    if (!note) co_return reply_failure(*reply, note.error().message);
    // The incident.annotated echo of this note finds this step and posts nothing.
    auto echo_op = s.ctx.save_step(s.room.incident.id, std::string(chat_note_step) + *note, "1");
    if (auto saved = co_await std::move(echo_op); !saved) co_return saved;
    auto mark_op = s.mark("pagerduty");
    if (auto marked = co_await std::move(mark_op); !marked) co_return marked;
  }
  auto op = s.say(domain::command_note_message(s.actor.who, s.cmd.text, s.actor.fallback_from));
  co_return co_await std::move(op);
}

asio::awaitable<step_result<bool>> add_members(job_state& s) {
  auto op = s.ctx.send("mattermost", api::get_users_by_usernames(s.ctx.mattermost, s.cmd.users));
  auto reply = co_await std::move(op);
  if (!reply) co_return std::move(reply).error();
  auto users = api::read_mattermost_users(*reply);
  if (!users) co_return reply_failure(*reply, users.error().message);
  std::vector<std::string> added;
  std::vector<std::string> missing;
  for (const auto& name : s.cmd.users) {
    const auto it = std::find_if(users->begin(), users->end(),
                                 [&](const auto& u) { return u.username == name; });
    if (it == users->end() || it->delete_at != 0) {
      missing.push_back(name);
      continue;
    }
    if (!s.done("member." + it->id)) {
      auto add_op = s.ctx.send(
          "mattermost", api::add_channel_member(s.ctx.mattermost, s.room.channel_id, it->id));
      auto added_reply = co_await std::move(add_op);
      if (!added_reply) co_return std::move(added_reply).error();
      if (auto ok = api::read_channel_member(*added_reply); !ok) {
        if (transient_reply(*added_reply))
          co_return reply_failure(*added_reply, ok.error().message);
        missing.push_back(name);  // not on the team, say: named, not retried
        continue;
      }
      auto mark_op = s.mark("member." + it->id);
      if (auto marked = co_await std::move(mark_op); !marked) co_return marked;
    }
    added.push_back(name);
  }
  auto say_op = s.say(domain::members_added_message(s.actor.who, added, missing));
  co_return co_await std::move(say_op);
}

/// The PagerDuty user of a Mattermost username, through their email.
asio::awaitable<step_result<std::optional<api::pagerduty_user>>> pagerduty_user_named(
    job_context& ctx, std::string username) {
  using found = std::optional<api::pagerduty_user>;
  const std::vector<std::string> names = {username};
  auto op = ctx.send("mattermost", api::get_users_by_usernames(ctx.mattermost, names));
  auto reply = co_await std::move(op);
  if (!reply) co_return std::move(reply).error();
  auto users = api::read_mattermost_users(*reply);
  if (!users) co_return reply_failure(*reply, users.error().message);
  if (users->empty() || users->front().email.empty()) co_return found{};
  const std::string email = users->front().email;
  auto find_op = ctx.send("pagerduty", api::find_user_by_email(ctx.pagerduty, email));
  auto found_reply = co_await std::move(find_op);
  if (!found_reply) co_return std::move(found_reply).error();
  auto user = api::read_user_by_email(*found_reply, email);
  if (!user) co_return reply_failure(*found_reply, user.error().message);
  co_return std::move(*user);
}

asio::awaitable<step_result<bool>> page_user(job_state& s) {
  const std::string target = s.cmd.users.empty() ? "" : s.cmd.users.front();
  const domain::actor target_actor{target, target};
  if (s.actor.pagerduty_user_id.empty()) {
    auto op = s.say(":warning: " + domain::actor_text(s.actor.who) +
                    ": PagerDuty has no user with your email, so it cannot send a responder "
                    "request from you. Nothing was sent.");
    co_return co_await std::move(op);
  }
  if (!s.done("pagerduty")) {
    auto find_op = pagerduty_user_named(s.ctx, target);
    auto user = co_await std::move(find_op);
    if (!user) co_return std::move(user).error();
    if (!*user) {
      auto op = s.say(":warning: " + domain::actor_text(target_actor) +
                      " has no PagerDuty account (by their email); nobody was paged.");
      co_return co_await std::move(op);
    }
    const std::string message = "Please join the war room ~" + s.room.channel_name + " for INC #" +
                                std::to_string(s.room.incident.number) + ": " +
                                s.room.incident.title;
    auto op = s.send_once(
        "pagerduty", "pagerduty",
        api::create_responder_request(s.ctx.pagerduty, s.room.incident.id, s.actor.pagerduty_from,
                                      s.actor.pagerduty_user_id, (*user)->id, message));
    if (auto sent = co_await std::move(op); !sent) co_return sent;
  }
  auto op = s.say(domain::responder_requested_message(s.actor.who, target_actor, ""));
  co_return co_await std::move(op);
}

asio::awaitable<step_result<bool>> set_priority(job_state& s) {
  auto list_op = s.ctx.send("pagerduty", api::list_priorities(s.ctx.pagerduty));
  auto listed = co_await std::move(list_op);
  if (!listed) co_return std::move(listed).error();
  auto priorities = api::read_priorities(*listed);
  if (!priorities) co_return reply_failure(*listed, priorities.error().message);
  const auto it = std::find_if(priorities->begin(), priorities->end(),
                               [&](const auto& p) { return iequal(p.summary, s.cmd.text); });
  if (it == priorities->end()) {
    std::string known;
    for (const auto& p : *priorities)
      known += (known.empty() ? "" : ", ") + p.summary;
    auto op = s.say(":warning: PagerDuty has no priority named " + s.cmd.text.substr(0, 32) +
                    (known.empty() ? "" : " (it has " + known + ")") + "; nothing changed.");
    co_return co_await std::move(op);
  }
  auto set_op = s.send_once("pagerduty", "pagerduty",
                            api::set_incident_priority(s.ctx.pagerduty, s.room.incident.id, it->id,
                                                       s.actor.pagerduty_from));
  if (auto sent = co_await std::move(set_op); !sent) co_return sent;
  // Recorded before the echo (incident.priority_updated) arrives, so the mirror says nothing.
  s.room.incident.priority = it->summary;
  const auto jira_priority = api::priority_for(s.ctx.settings_of(s.room).priority_map, it->summary,
                                               s.room.incident.urgency);
  if (!s.room.jira_key.empty() && jira_priority) {
    auto op = s.send_once("jira", "jira",
                          api::jira_update_priority(s.ctx.jira, s.room.jira_key, *jira_priority));
    if (auto sent = co_await std::move(op); !sent) co_return sent;
  }
  auto save_op = s.ctx.save_room(s.room);
  if (auto saved = co_await std::move(save_op); !saved) co_return saved;
  auto say_op = s.say(domain::priority_set_message(
      s.actor.who, it->summary, jira_priority.value_or(""), s.actor.fallback_from));
  if (auto said = co_await std::move(say_op); !said) co_return said;
  auto card_op = refresh_card(s.ctx, s.room);
  co_return co_await std::move(card_op);
}

/// The service id for `new`: an id as given, else the service whose name matches.
asio::awaitable<step_result<std::string>> service_id_of(job_context& ctx, std::string service) {
  if (service.empty()) service = ctx.cfg->pagerduty.declare_service_id;
  if (service.empty()) co_return permanent_failure("new: no service and no declare_service_id");
  if (looks_like_pagerduty_id(service)) co_return service;
  auto op = ctx.send("pagerduty", api::find_services(ctx.pagerduty, service));
  auto reply = co_await std::move(op);
  if (!reply) co_return std::move(reply).error();
  auto services = api::read_services(*reply);
  if (!services) co_return reply_failure(*reply, services.error().message);
  for (const auto& candidate : *services)
    if (iequal(candidate.summary, service)) co_return candidate.id;
  co_return permanent_failure("new: PagerDuty has no service named " + service.substr(0, 64));
}

asio::awaitable<step_result<bool>> declare_incident(job_context& ctx, const store::job& job,
                                                    const command_job& cmd) {
  auto who_op = find_acting_user(ctx, cmd.user_id, domain::actor{cmd.user_name, ""});
  auto actor = co_await std::move(who_op);
  if (!actor) co_return std::move(actor).error();
  auto service_op = service_id_of(ctx, cmd.service);
  auto service = co_await std::move(service_op);
  if (!service) co_return std::move(service).error();
  auto op = ctx.send("pagerduty", api::create_incident(ctx.pagerduty, actor->pagerduty_from,
                                                       cmd.text, *service, cmd.incident_key));
  auto reply = co_await std::move(op);
  if (!reply) co_return std::move(reply).error();
  auto created = api::read_incident(*reply);
  if (!created && !api::is_duplicate_incident_key(created.error()))
    co_return reply_failure(*reply, created.error().message);
  // A retry after the create finds the incident key taken and cannot tell the id: the user
  // then finds the room in their sidebar without the answer.
  if (created) {
    auto answer_op = schedule_declare_answer(ctx, created->id, cmd.response_url);
    if (auto scheduled = co_await std::move(answer_op); !scheduled) co_return scheduled;
  }
  const std::string incident = created ? created->id : std::string("(already created)");
  auto audit_op = ctx.audit(incident, domain::actor_text(actor->who), "declare", "mattermost",
                            "job " + std::to_string(job.id));
  co_await std::move(audit_op);  // best effort: the incident exists either way
  co_return true;
}

}  // namespace

asio::awaitable<step_result<bool>> run_command(job_context& ctx, store::job job) {
  auto cmd = command_of(job);
  if (!cmd) co_return permanent_failure("command: unreadable payload");
  if (cmd->verb == "new") {
    auto op = declare_incident(ctx, job, *cmd);
    co_return co_await std::move(op);
  }
  auto load_op = ctx.load_room_and_steps(job.incident_id);
  auto loaded = co_await std::move(load_op);
  if (!loaded) co_return std::move(loaded).error();
  if (!*loaded) co_return true;  // the war room is gone: nothing to act on
  auto who_op = find_acting_user(ctx, cmd->user_id, domain::actor{cmd->user_name, ""});
  auto actor = co_await std::move(who_op);
  if (!actor) co_return std::move(actor).error();
  job_state s{ctx,
              std::move((*loaded)->room),
              std::move((*loaded)->steps),
              "job." + std::to_string(job.id) + ".",
              std::move(*cmd),
              std::move(*actor)};
  step_result<bool> outcome = true;
  if (s.cmd.verb == "note") {
    auto op = add_note(s);
    outcome = co_await std::move(op);
  } else if (s.cmd.verb == "add") {
    auto op = add_members(s);
    outcome = co_await std::move(op);
  } else if (s.cmd.verb == "page") {
    auto op = page_user(s);
    outcome = co_await std::move(op);
  } else if (s.cmd.verb == "priority") {
    auto op = set_priority(s);
    outcome = co_await std::move(op);
  } else {
    co_return permanent_failure("command: unknown verb " + s.cmd.verb.substr(0, 32));
  }
  if (!outcome) co_return outcome;
  auto audit_op =
      ctx.audit(s.room.incident.id, domain::actor_text(s.actor.who), s.cmd.verb, "mattermost", "");
  co_await std::move(audit_op);  // best effort: the change itself is done
  co_return true;
}

}  // namespace warroom::pipelines
