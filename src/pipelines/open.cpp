// open (incident.triggered): round 1 creates or adopts the channel and the Jira issue while the
// responders are looked up; round 2 posts the card, links Jira to PagerDuty and notes the war
// room in PagerDuty; then responders are invited and the opening message names who could not be.
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <spdlog/spdlog.h>

#include <warroom/domain/channel_name.hpp>
#include <warroom/domain/messages.hpp>
#include <warroom/pipelines/jobs.hpp>
#include <warroom/pipelines/reminders.hpp>
#include <warroom/pipelines/responders.hpp>
#include <warroom/telemetry/logging.hpp>
#include <warroom/webhook/pagerduty_event.hpp>

namespace warroom::pipelines {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr std::int64_t jira_index_grace_ms =
    60'000;  // how long a created issue may be unsearchable

std::int64_t parse_time_ms(const std::string& iso, std::int64_t fallback);

bool transient(const api::http_reply& r) {
  return r.status == 408 || r.status == 429 || r.status >= 500;
}

config::route_subject subject_of(const webhook::pd_incident& inc) {
  config::route_subject subject{inc.service.id,
                                inc.service.summary,
                                {},
                                inc.urgency,
                                inc.priority ? inc.priority->summary : ""};
  for (const auto& team : inc.teams)
    subject.team_ids.push_back(team.id);
  return subject;
}

/// A new war room, its route chosen now and for good.
war_room room_from_event(const config::config& cfg, const webhook::pd_incident& inc,
                         std::int64_t now) {
  war_room room;
  room.settings = config::settings_for(cfg, subject_of(inc));
  auto& s = room.incident;
  s.id = inc.id;
  s.number = static_cast<int>(inc.number);
  s.title = inc.title;
  s.status = "triggered";
  s.urgency = inc.urgency;
  s.priority = inc.priority ? inc.priority->summary : "";
  s.html_url = inc.html_url;
  s.service_name = inc.service.summary;
  s.escalation_policy_id = inc.escalation_policy.id;
  for (const auto& a : inc.assignees)
    s.assignee_ids.push_back(a.id);
  s.created_at_ms = parse_time_ms(inc.created_at, now);
  return room;
}

/// One open run: the room being built and its checkpoints, shared by the parallel branches
/// (all on the loop thread). Lives in the frame of run_open.
struct open_run {
  job_context& ctx;
  war_room room;
  std::map<std::string, std::string> steps;
  std::int64_t job_attempts = 0;

  bool done(const std::string& step) const { return steps.contains(step); }
  /// A create was sent and its outcome never learned (crash, timeout): an earlier attempt may
  /// have made the thing. "0" records an answered failure, which made nothing.
  bool in_doubt(const std::string& step) const {
    const auto it = steps.find(step);
    return it != steps.end() && it->second != "0";
  }
  /// Records that the create in doubt was answered with an error, then passes the error on.
  asio::awaitable<step_result<bool>> settle(std::string step, job_error failure) {
    auto op = mark(std::move(step), "0");
    co_await std::move(op);
    co_return failure;
  }
  asio::awaitable<step_result<bool>> mark(std::string step, std::string value = "1") {
    steps[step] = value;
    auto pending = ctx.save_step(room.incident.id, std::move(step), std::move(value));
    co_return co_await std::move(pending);
  }

  asio::awaitable<step_result<bool>> ensure_channel();
  asio::awaitable<step_result<bool>> adopt_or_skip(const std::string& name, bool& adopted);
  asio::awaitable<step_result<bool>> ensure_issue();
  asio::awaitable<step_result<bool>> round_one();
  asio::awaitable<step_result<bool>> post_card();
  asio::awaitable<step_result<bool>> link_issue();
  asio::awaitable<step_result<bool>> note_in_pagerduty();
  asio::awaitable<step_result<bool>> announce();
  asio::awaitable<step_result<bool>> invite(const responder_set& people);
};

std::int64_t parse_time_ms(const std::string& iso, std::int64_t fallback) {
  std::tm tm{};
  if (iso.size() < 19 || !strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return fallback;
  return static_cast<std::int64_t>(timegm(&tm)) * 1000;
}

asio::awaitable<step_result<bool>> open_run::adopt_or_skip(const std::string& name, bool& adopted) {
  const auto& mm = ctx.mattermost;
  const auto& team_id = ctx.settings_of(room).team_id;
  auto lookup_op = ctx.send("mattermost", api::get_channel_by_name(mm, team_id, name, true));
  auto lookup = co_await std::move(lookup_op);
  if (!lookup) co_return std::move(lookup).error();
  auto found = api::read_channel_if_found(*lookup);
  if (!found) co_return reply_failure(*lookup, found.error().message);
  if (!*found) co_return true;  // taken a moment ago, gone now: try the next name
  const std::string ours = "INC " + std::to_string(room.incident.number);
  const auto& ch = **found;
  if (ch.display_name != ours && !ch.display_name.starts_with(ours + ":")) co_return true;
  if (ch.delete_at != 0) {
    auto restore_op = ctx.send("mattermost", api::restore_channel(mm, ch.id));
    auto restored = co_await std::move(restore_op);
    if (!restored) co_return std::move(restored).error();
    if (auto ok = api::read_channel(*restored); !ok)
      co_return reply_failure(*restored, ok.error().message);
  }
  room.channel_id = ch.id;
  room.channel_name = ch.name;
  adopted = true;
  co_return true;
}

asio::awaitable<step_result<bool>> open_run::ensure_channel() {
  if (!room.channel_id.empty()) co_return true;
  const auto& cfg = ctx.settings_of(room);
  const auto& inc = room.incident;
  const auto base = domain::channel_slug(
      cfg.channel_name, {inc.number, inc.title, inc.service_name, inc.urgency, inc.id});
  const domain::channel_links links{inc.number, inc.html_url, room.jira_key, room.jira_url};
  for (int n = 1; n <= 20; ++n) {
    const auto name = domain::with_suffix(base, n);
    auto call = api::create_channel(
        ctx.mattermost, cfg.team_id, name, domain::display_name(inc.number, inc.title),
        cfg.private_channels ? api::channel_type::private_channel : api::channel_type::open,
        domain::channel_purpose(links), domain::channel_header(links));
    auto op = ctx.send("mattermost", std::move(call));
    auto reply = co_await std::move(op);
    if (!reply) co_return std::move(reply).error();
    auto created = api::read_channel(*reply);
    if (created) {
      room.channel_id = created->id;
      room.channel_name = created->name;
      co_return true;
    }
    if (!api::is_channel_exists(created.error()))
      co_return reply_failure(*reply, created.error().message);
    bool adopted = false;  // an earlier attempt of ours made it, or another incident holds the name
    auto checked = co_await adopt_or_skip(name, adopted);
    if (!checked) co_return checked;
    if (adopted) co_return true;
  }
  co_return permanent_failure("mattermost: no free channel name for " + base);
}

asio::awaitable<step_result<bool>> open_run::ensure_issue() {
  const auto& settings = ctx.settings_of(room);
  if (!room.jira_key.empty() || !settings.jira_enabled) co_return true;
  const auto& inc = room.incident;
  const std::string label = "pagerduty-" + inc.id;
  if (in_doubt("open.jira.started")) {
    // An earlier attempt may have created the issue and died before recording its key.
    auto search = api::jira_search_issues_by_label(ctx.jira, settings.project_key, label);
    if (!search) co_return permanent_failure("jira: " + search.error().message);
    auto op = ctx.send("jira", std::move(*search));
    auto reply = co_await std::move(op);
    if (!reply) co_return std::move(reply).error();
    auto found = api::jira_read_search(*reply);
    if (!found) co_return reply_failure(*reply, found.error().message);
    if (!found->empty()) {
      room.jira_key = found->front().key;
      room.jira_url = ctx.jira_browse_url(room.jira_key);
      co_return true;
    }
    const auto started = std::stoll(steps["open.jira.started"]);
    if (ctx.now_ms() - started < jira_index_grace_ms)
      co_return job_error{retry::attempt_outcome{retry::network_failure{"jira search index lag"}},
                          "jira: waiting for the search index before creating the issue again"};
  }
  auto mark_op = mark("open.jira.started", std::to_string(ctx.now_ms()));
  if (auto marked = co_await std::move(mark_op); !marked) co_return marked;
  api::jira_issue_fields fields;
  fields.project_key = settings.project_key;
  fields.issue_type = settings.issue_type;
  fields.summary = domain::jira_summary(inc.number, inc.title);
  fields.description_text = "PagerDuty incident ";
  fields.link_url = inc.html_url;
  fields.link_text = "#" + std::to_string(inc.number);
  fields.priority = api::priority_for(
      settings.priority_map,
      inc.priority.empty() ? std::nullopt : std::optional<std::string>(inc.priority), inc.urgency);
  fields.labels = {"pagerduty", label};
  auto call = api::jira_create_issue(ctx.jira, fields);
  if (!call) co_return permanent_failure("jira: " + call.error().message);
  auto op = ctx.send("jira", std::move(*call));
  auto reply = co_await std::move(op);
  if (!reply) co_return std::move(reply).error();
  auto created = api::jira_read_created_issue(*reply);
  if (!created && reply->status == 400 && fields.priority &&
      created.error().message.find("priority") != std::string::npos) {
    // A priority_map naming a priority this Jira lacks must not keep the war room from opening:
    // create the issue with the project's default priority and say so in the log.
    telemetry::log_event(spdlog::level::warn, "jira refused the mapped priority; using the default",
                         {{"incident", inc.id}, {"priority", *fields.priority}});
    fields.priority.reset();
    auto retry_call = api::jira_create_issue(ctx.jira, fields);
    if (!retry_call) co_return permanent_failure("jira: " + retry_call.error().message);
    auto retry_op = ctx.send("jira", std::move(*retry_call));
    reply = co_await std::move(retry_op);
    if (!reply) co_return std::move(reply).error();
    created = api::jira_read_created_issue(*reply);
  }
  if (!created) {
    auto settle_op = settle("open.jira.started", reply_failure(*reply, created.error().message));
    co_return co_await std::move(settle_op);
  }
  room.jira_key = created->key;
  room.jira_url = ctx.jira_browse_url(created->key);
  co_return true;
}

asio::awaitable<step_result<bool>> open_run::round_one() {
  auto both = ensure_channel() && ensure_issue();
  auto [channel, issue] = co_await std::move(both);
  // Record whatever was made, also when the other branch failed, so a retry adopts it.
  auto save_op = ctx.save_room(room);
  auto saved = co_await std::move(save_op);
  if (!channel) co_return channel;
  if (!issue) co_return issue;
  co_return saved;
}

asio::awaitable<step_result<bool>> open_run::post_card() {
  if (!room.post_id.empty()) co_return true;
  const auto& mm = ctx.mattermost;
  if (in_doubt("open.card.started")) {
    // An earlier attempt may have posted the card and died before recording its id.
    auto list_op = ctx.send("mattermost", api::get_channel_posts(mm, room.channel_id, 200));
    auto listed = co_await std::move(list_op);
    if (!listed) co_return std::move(listed).error();
    auto posts = api::read_channel_posts(*listed);
    if (!posts) co_return reply_failure(*listed, posts.error().message);
    for (const auto& p : *posts) {
      if (p.props.is_object() && p.props.value("warroom_incident", "") == room.incident.id) {
        room.post_id = p.id;
        co_return true;
      }
    }
  }
  auto mark_op = mark("open.card.started");
  if (auto marked = co_await std::move(mark_op); !marked) co_return marked;
  room.card_generation = std::max<std::int64_t>(room.card_generation, 1);
  auto card = ctx.render(room);
  card.props["warroom_incident"] = room.incident.id;  // how a retry recognises its own card
  auto op = ctx.send("mattermost", api::create_post(mm, room.channel_id, card.message, card.props));
  auto reply = co_await std::move(op);
  if (!reply) co_return std::move(reply).error();
  auto id = api::read_post_id(*reply);
  if (!id) {
    auto settle_op = settle("open.card.started", reply_failure(*reply, id.error().message));
    co_return co_await std::move(settle_op);
  }
  room.post_id = *id;
  auto save_op = ctx.save_room(room);
  co_return co_await std::move(save_op);
}

asio::awaitable<step_result<bool>> open_run::link_issue() {
  if (done("open.remote_link") || room.jira_key.empty()) co_return true;
  const auto& inc = room.incident;
  api::jira_remote_link link{api::jira_remote_link_global_id(inc.id), inc.html_url,
                             "PD #" + std::to_string(inc.number), inc.title, false};
  auto op = ctx.send("jira", api::jira_add_remote_link(ctx.jira, room.jira_key, link));
  auto reply = co_await std::move(op);
  if (!reply) co_return std::move(reply).error();
  if (auto ok = api::jira_read_ok(*reply); !ok) co_return reply_failure(*reply, ok.error().message);
  auto mark_op = mark("open.remote_link");
  co_return co_await std::move(mark_op);
}

asio::awaitable<step_result<bool>> open_run::note_in_pagerduty() {
  if (done("open.note")) co_return true;
  std::string content =
      std::string(note_marker) + " War room: Mattermost channel ~" + room.channel_name;
  if (!room.jira_key.empty()) content += "; Jira " + room.jira_key + " " + room.jira_url;
  auto op = ctx.send("pagerduty", api::add_incident_note(ctx.pagerduty, room.incident.id,
                                                         ctx.cfg->pagerduty.from_email, content));
  auto reply = co_await std::move(op);
  if (!reply) co_return std::move(reply).error();
  if (auto ok = api::read_incident_note(*reply); !ok) {
    if (transient(*reply)) co_return reply_failure(*reply, ok.error().message);
    // The note is a courtesy: a refusal (say, from_email unknown to PagerDuty) must not keep
    // the war room from opening. Logged for the operator, then skipped.
    telemetry::log_event(spdlog::level::warn, "pagerduty refused the war-room note",
                         {{"incident", room.incident.id}, {"reason", ok.error().message}});
  }
  auto mark_op = mark("open.note");
  co_return co_await std::move(mark_op);
}

asio::awaitable<step_result<bool>> open_run::announce() {
  const auto& target = ctx.settings_of(room).announce_channel_id;
  if (target.empty() || done("open.announce")) co_return true;
  const auto& inc = room.incident;
  const std::string text =
      "War room opened for INC " + std::to_string(inc.number) + ": ~" + room.channel_name;
  auto op = ctx.send("mattermost",
                     api::create_post(ctx.mattermost, target, text, nlohmann::json::object()));
  auto reply = co_await std::move(op);
  if (!reply) co_return std::move(reply).error();
  if (auto ok = api::read_post_id(*reply); !ok) {
    if (transient(*reply)) co_return reply_failure(*reply, ok.error().message);
    telemetry::log_event(spdlog::level::warn, "announcement refused",
                         {{"incident", room.incident.id}, {"reason", ok.error().message}});
  }
  auto mark_op = mark("open.announce");
  co_return co_await std::move(mark_op);
}

asio::awaitable<step_result<bool>> open_run::invite(const responder_set& people) {
  std::vector<std::string> uninvited = people.unmatched;
  for (const auto& person : people.users) {
    const std::string step = "open.member." + person.user_id;
    if (done(step)) continue;
    auto op = ctx.send("mattermost",
                       api::add_channel_member(ctx.mattermost, room.channel_id, person.user_id));
    auto reply = co_await std::move(op);
    if (!reply) co_return std::move(reply).error();
    if (auto ok = api::read_channel_member(*reply); !ok) {
      // Not on the team, deactivated, ...: named in the opening message, not a failure.
      if (reply->status >= 500 || reply->status == 429)
        co_return reply_failure(*reply, ok.error().message);
      uninvited.push_back(person.display);
      continue;
    }
    auto mark_op = mark(step);
    if (auto marked = co_await std::move(mark_op); !marked) co_return marked;
  }
  if (done("open.message")) co_return true;
  const auto text = domain::war_room_opened(room.incident, room.jira_key, room.jira_url, uninvited);
  auto op = ctx.send("mattermost", api::create_post(ctx.mattermost, room.channel_id, text,
                                                    nlohmann::json::object()));
  auto reply = co_await std::move(op);
  if (!reply) co_return std::move(reply).error();
  if (auto ok = api::read_post_id(*reply); !ok) co_return reply_failure(*reply, ok.error().message);
  auto mark_op = mark("open.message");
  co_return co_await std::move(mark_op);
}

/// The war room's visible half: channel and issue, then card, link and note in parallel.
asio::awaitable<step_result<bool>> build_room(open_run& run) {
  auto first_op = run.round_one();
  if (auto first = co_await std::move(first_op); !first) co_return first;
  auto second_op = run.post_card() && run.link_issue() && run.note_in_pagerduty() && run.announce();
  auto [card, link, note, announced] = co_await std::move(second_op);
  for (auto* r : {&card, &link, &note, &announced})
    if (!*r) co_return *r;
  co_return true;
}

}  // namespace

asio::awaitable<step_result<bool>> run_open(job_context& ctx, store::job job) {
  auto event = webhook::parse_pagerduty_event(job.payload);
  if (!event || !event->incident)
    co_return permanent_failure("open: the payload is not an incident event");
  const auto& inc = *event->incident;

  auto load_op = ctx.load_room(inc.id);
  auto loaded = co_await std::move(load_op);
  if (!loaded) co_return std::move(loaded).error();
  auto steps_op = ctx.load_steps(inc.id);
  auto steps = co_await std::move(steps_op);
  if (!steps) co_return std::move(steps).error();

  open_run run{ctx, loaded->value_or(room_from_event(*ctx.cfg, inc, ctx.now_ms())),
               std::move(*steps), job.attempts};
  if (run.done("open.complete")) co_return true;  // a redelivered trigger after the room exists

  // The card path (2 round trips) and the responder lookup run side by side.
  auto both_op =
      build_room(run) && find_responders(ctx, run.room, ctx.cfg->pagerduty.responder_levels);
  auto [built, people] = co_await std::move(both_op);
  if (!built) co_return built;
  if (!people) co_return std::move(people).error();
  auto invite_op = run.invite(*people);
  if (auto invited = co_await std::move(invite_op); !invited) co_return invited;
  auto remind_op = schedule_reminders(ctx, run.room);
  if (auto scheduled = co_await std::move(remind_op); !scheduled) co_return scheduled;
  auto mark_op = run.mark("open.complete");
  co_return co_await std::move(mark_op);
}

}  // namespace warroom::pipelines
