// open (incident.triggered): round 1 creates or adopts the channel and the Jira issue while the
// responders are looked up; round 2 posts the card, links Jira to PagerDuty and notes the war
// room in PagerDuty. Each responder is added as soon as the channel and their account are known,
// beside the card; the opening message, naming who could not be invited, follows the adds.
#include <set>
#include <variant>

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/this_coro.hpp>
#include <spdlog/spdlog.h>

#include <warroom/domain/channel_name.hpp>
#include <warroom/domain/messages.hpp>
#include <warroom/pipelines/acting_user.hpp>
#include <warroom/pipelines/command_answers.hpp>
#include <warroom/pipelines/fan_out.hpp>
#include <warroom/pipelines/jobs.hpp>
#include <warroom/pipelines/reminders.hpp>
#include <warroom/pipelines/responders.hpp>
#include <warroom/telemetry/logging.hpp>
#include <warroom/webhook/pagerduty_event.hpp>

namespace warroom::pipelines {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

namespace {

// How long a created issue may stay unsearchable. Jira's index usually catches up within seconds;
// an open killed between marking and recording the issue waits this long before creating again.
constexpr std::int64_t jira_index_grace_ms = 30'000;

std::int64_t parse_time_ms(const std::string& iso, std::int64_t fallback);

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
  latch channel_known;            // set once ensure_channel has finished, made the channel or not
  latch room_built;               // set once the card path has finished
  bool built = false;             // ... and succeeded
  std::set<std::string> adding;   // Mattermost users whose add was sent by this run
  std::int64_t stored_at_ms = 0;  // when the webhook was stored (the job was created)

  open_run(job_context& context, war_room r, std::map<std::string, std::string> s,
           std::int64_t attempts, const asio::any_io_executor& ex)
      : ctx(context),
        room(std::move(r)),
        steps(std::move(s)),
        job_attempts(attempts),
        channel_known(ex),
        room_built(ex) {}

  /// What one responder branch learned: a failure to retry on, or people it could not invite.
  struct branch_outcome {
    std::optional<job_error> failure;
    std::vector<std::string> uninvited;
  };
  /// The first failure and every name, in the order of `parts`.
  static void merge_into(branch_outcome& out, std::vector<branch_outcome>& parts) {
    for (auto& one : parts) {
      if (one.failure && !out.failure) out.failure = std::move(one.failure);
      out.uninvited.insert(out.uninvited.end(), one.uninvited.begin(), one.uninvited.end());
    }
  }

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
  /// Sends the create that `step` marks as started. One that got no answer stays in doubt,
  /// unless it never left (no connection could be made), which made nothing: that is settled,
  /// so the retry creates at once instead of looking first (and, for a Jira issue, waiting out
  /// the search index's grace).
  asio::awaitable<step_result<api::http_reply>> send_create(std::string step, std::string service,
                                                            api::http_call call) {
    auto op = ctx.send(std::move(service), std::move(call));
    auto reply = co_await std::move(op);
    if (reply) co_return reply;
    const auto& outcome = reply.error().outcome;
    const auto* network = outcome ? std::get_if<retry::network_failure>(&*outcome) : nullptr;
    if (network != nullptr && network->unsent) {
      auto settle_op = settle(std::move(step), std::move(reply).error());
      auto settled = co_await std::move(settle_op);
      co_return std::move(settled).error();
    }
    co_return reply;
  }
  asio::awaitable<step_result<bool>> mark(std::string step, std::string value = "1") {
    steps[step] = value;
    auto pending = ctx.save_step(room.incident.id, std::move(step), std::move(value));
    co_return co_await std::move(pending);
  }

  asio::awaitable<step_result<bool>> ensure_channel();
  asio::awaitable<step_result<bool>> channel_then_signal();
  asio::awaitable<step_result<bool>> adopt_or_skip(const std::string& name, bool& adopted);
  asio::awaitable<step_result<bool>> ensure_issue();
  asio::awaitable<step_result<bool>> round_one();
  asio::awaitable<step_result<bool>> post_card();
  asio::awaitable<step_result<bool>> link_issue();
  asio::awaitable<step_result<bool>> note_in_pagerduty();
  asio::awaitable<step_result<bool>> announce();
  asio::awaitable<step_result<bool>> bring_responders();
  asio::awaitable<void> bring_oncall(branch_outcome& out);
  asio::awaitable<void> bring_person(pagerduty_person person, branch_outcome& out);
  asio::awaitable<void> bring_named(branch_outcome& out);
  asio::awaitable<void> add_member(responder who, branch_outcome& out);
  asio::awaitable<step_result<bool>> opening_message(const std::vector<branch_outcome>& outcomes);
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
    if (auto ok = api::read_restored(*restored); !ok)  // restored meanwhile: fine too
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
    const auto wait_ms =
        jira_index_grace_ms - (ctx.now_ms() - std::stoll(steps["open.jira.started"]));
    if (wait_ms > 0) {
      // One retry when the grace is over: a backoff series (8 attempts by default) can run out
      // before it, and the war room would never open.
      api::http_reply later{503, {{"Retry-After", std::to_string(wait_ms / 1000 + 1)}}, ""};
      co_return job_error{retry::attempt_outcome{std::move(later)},
                          "jira: waiting for the search index before creating the issue again"};
    }
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
  auto op = send_create("open.jira.started", "jira", std::move(*call));
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
    auto retry_op = send_create("open.jira.started", "jira", std::move(*retry_call));
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

asio::awaitable<step_result<bool>> open_run::channel_then_signal() {
  auto op = ensure_channel();
  auto made = co_await std::move(op);
  channel_known.set();  // the member adds start now, not when the issue is there too
  co_return made;
}

asio::awaitable<step_result<bool>> open_run::round_one() {
  auto both = channel_then_signal() && ensure_issue();
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
    auto find_op = find_post_with(ctx, room.channel_id, "warroom_incident", room.incident.id);
    auto found = co_await std::move(find_op);
    if (!found) co_return std::move(found).error();
    if (*found) {
      // Recorded now: a card whose id the store lacks is never updated again.
      room.post_id = **found;
      auto adopt_op = ctx.save_room(room);
      co_return co_await std::move(adopt_op);
    }
  }
  auto mark_op = mark("open.card.started");
  if (auto marked = co_await std::move(mark_op); !marked) co_return marked;
  room.card_generation = std::max<std::int64_t>(room.card_generation, 1);
  auto card = ctx.render(room);
  auto op = send_create("open.card.started", "mattermost",
                        api::create_post(mm, room.channel_id, card.message, card.props));
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

/// What the opening note carries so that a retry recognises it in PagerDuty's list of notes.
std::string opening_note_marker(const std::string& incident_id) {
  return "warroom-ref: open/" + incident_id;
}

asio::awaitable<step_result<bool>> open_run::note_in_pagerduty() {
  if (done("open.note")) co_return true;
  const auto marker = opening_note_marker(room.incident.id);
  if (in_doubt("open.note.started")) {
    // An earlier attempt may have written the note and died before recording it.
    auto list_op = ctx.send("pagerduty", api::list_incident_notes(ctx.pagerduty, room.incident.id));
    auto listed = co_await std::move(list_op);
    if (!listed) co_return std::move(listed).error();
    auto notes = api::read_incident_notes(*listed);
    if (!notes) co_return reply_failure(*listed, notes.error().message);
    if (api::find_note_with(*notes, marker)) {
      auto found_op = mark("open.note");
      co_return co_await std::move(found_op);
    }
  }
  auto started_op = mark("open.note.started");
  if (auto marked = co_await std::move(started_op); !marked) co_return marked;
  std::string content =
      std::string(note_marker) + " War room: Mattermost channel ~" + room.channel_name;
  if (!room.jira_key.empty()) content += "; Jira " + room.jira_key + " " + room.jira_url;
  content += "\n" + marker;
  auto op = send_create("open.note.started", "pagerduty",
                        api::add_incident_note(ctx.pagerduty, room.incident.id,
                                               ctx.cfg->pagerduty.from_email, content));
  auto reply = co_await std::move(op);
  if (!reply) co_return std::move(reply).error();
  if (auto ok = api::read_incident_note(*reply); !ok) {
    // Left in doubt: a 5xx may still have written the note, so the retry looks first.
    if (transient_reply(*reply)) co_return reply_failure(*reply, ok.error().message);
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
    if (transient_reply(*reply)) co_return reply_failure(*reply, ok.error().message);
    telemetry::log_event(spdlog::level::warn, "announcement refused",
                         {{"incident", room.incident.id}, {"reason", ok.error().message}});
  }
  auto mark_op = mark("open.announce");
  co_return co_await std::move(mark_op);
}

asio::awaitable<void> open_run::add_member(responder who, branch_outcome& out) {
  auto wait_op = channel_known.wait();
  co_await std::move(wait_op);
  // No channel: the card path reports why; the job's retry brings this person in.
  if (room.channel_id.empty()) co_return;
  const std::string step = "open.member." + who.user_id;
  if (done(step) || !adding.insert(who.user_id).second) co_return;  // in, or being added
  auto op =
      ctx.send("mattermost", api::add_channel_member(ctx.mattermost, room.channel_id, who.user_id));
  auto reply = co_await std::move(op);
  if (!reply) {
    out.failure = std::move(reply).error();
    co_return;
  }
  if (auto ok = api::read_channel_member(*reply); !ok) {
    if (reply->status >= 500 || reply->status == 429) {
      out.failure = reply_failure(*reply, ok.error().message);
      co_return;
    }
    // Not on the team, deactivated, gone: named in the opening message, not a failure. The
    // directory may have handed out a stale account, so the next room looks it up again.
    ctx.users->forget(who.user_id);
    out.uninvited.push_back(who.display);
    co_return;
  }
  auto mark_op = mark(step);
  if (auto marked = co_await std::move(mark_op); !marked) out.failure = std::move(marked).error();
}

asio::awaitable<void> open_run::bring_person(pagerduty_person person, branch_outcome& out) {
  auto lookup_op = account_by_email(ctx, std::move(person));
  auto lookup = co_await std::move(lookup_op);
  if (!lookup) {
    out.failure = std::move(lookup).error();
  } else if (!lookup->account) {
    out.uninvited.push_back(lookup->unmatched);
  } else {
    auto add_op = add_member(*lookup->account, out);
    co_await std::move(add_op);
  }
}

/// Round trip 1 lists the people; each is then looked up and added on their own.
asio::awaitable<void> open_run::bring_oncall(branch_outcome& out) {
  auto people_op = pagerduty_responders(ctx, room, ctx.cfg->pagerduty.responder_levels);
  auto people = co_await std::move(people_op);
  if (!people) {
    out.failure = std::move(people).error();
    co_return;
  }
  std::vector<branch_outcome> each(people->size());
  std::vector<asio::awaitable<void>> tasks;
  for (std::size_t i = 0; i < people->size(); ++i)
    tasks.push_back(bring_person((*people)[i], each[i]));
  auto all_op = run_all(std::move(tasks));
  co_await std::move(all_op);
  merge_into(out, each);  // in PagerDuty's order, so the message does not depend on timing
}

/// mattermost.responders: one lookup for all of them, beside the on-call list.
asio::awaitable<void> open_run::bring_named(branch_outcome& out) {
  const auto names = ctx.settings_of(room).responders;  // the route's, stored with the room
  if (names.empty()) co_return;
  auto lookup_op = accounts_by_username(ctx, names);
  auto lookups = co_await std::move(lookup_op);
  if (!lookups) {
    out.failure = std::move(lookups).error();
    co_return;
  }
  std::vector<branch_outcome> each(lookups->size());
  std::vector<asio::awaitable<void>> tasks;
  for (std::size_t i = 0; i < lookups->size(); ++i) {
    if ((*lookups)[i].account)
      tasks.push_back(add_member(*(*lookups)[i].account, each[i]));
    else
      each[i].uninvited.push_back((*lookups)[i].unmatched);
  }
  auto all_op = run_all(std::move(tasks));
  co_await std::move(all_op);
  merge_into(out, each);
}

asio::awaitable<step_result<bool>> open_run::bring_responders() {
  std::vector<branch_outcome> outcomes(2);
  std::vector<asio::awaitable<void>> branches;
  branches.push_back(bring_oncall(outcomes[0]));
  branches.push_back(bring_named(outcomes[1]));
  auto all_op = run_all(std::move(branches));
  co_await std::move(all_op);
  for (auto& o : outcomes)
    if (o.failure) co_return std::move(*o.failure);
  auto built_op = room_built.wait();
  co_await std::move(built_op);
  if (!built) co_return true;  // the card path's failure is the one reported
  // What responders wait for is there: card, issue, every invitable person in the channel.
  // Routing rules will name the route; until then every room takes the top-level settings.
  ctx.stats->observe("warroom_open_seconds", {{"route", "default"}},
                     static_cast<double>(ctx.now_ms() - stored_at_ms) / 1000.0);
  auto message_op = opening_message(outcomes);
  co_return co_await std::move(message_op);
}

asio::awaitable<step_result<bool>> open_run::opening_message(
    const std::vector<branch_outcome>& outcomes) {
  std::vector<std::string> uninvited;
  for (const auto& o : outcomes)
    uninvited.insert(uninvited.end(), o.uninvited.begin(), o.uninvited.end());
  auto text = domain::war_room_opened(room.incident, room.jira_key, room.jira_url, uninvited);
  auto op = post_once(ctx, room, steps, "open.message", std::move(text));
  co_return co_await std::move(op);
}

/// The war room's visible half: channel and issue, then card, link and note in parallel.
asio::awaitable<step_result<bool>> build_visible(open_run& run) {
  auto first_op = run.round_one();
  if (auto first = co_await std::move(first_op); !first) co_return first;
  auto second_op = run.post_card() && run.link_issue() && run.note_in_pagerduty() && run.announce();
  auto [card, link, note, announced] = co_await std::move(second_op);
  for (auto* r : {&card, &link, &note, &announced})
    if (!*r) co_return *r;
  co_return true;
}

/// build_visible, then tells the responder branch (which waits to post the opening message).
asio::awaitable<step_result<bool>> build_room(open_run& run) {
  auto op = build_visible(run);
  auto built = co_await std::move(op);
  run.built = built.has_value();
  run.channel_known.set();  // also when round one failed before the channel was tried
  run.room_built.set();
  co_return built;
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

  auto ex = co_await asio::this_coro::executor;
  open_run run(ctx, loaded->value_or(room_from_event(*ctx.cfg, inc, ctx.now_ms())),
               std::move(*steps), job.attempts, ex);
  if (run.done("open.complete")) co_return true;  // a redelivered trigger after the room exists
  run.stored_at_ms = job.created_at_ms;

  // The card path (2 round trips) and the responders (3) run side by side.
  auto both_op = build_room(run) && run.bring_responders();
  auto [built, invited] = co_await std::move(both_op);
  if (!built) co_return built;
  if (!invited) co_return invited;
  auto remind_op = schedule_reminders(ctx, run.room);
  if (auto scheduled = co_await std::move(remind_op); !scheduled) co_return scheduled;
  auto answer_op = send_pending_declare_answer(ctx, run.room, run.steps);
  co_await std::move(answer_op);
  auto mark_op = run.mark("open.complete");
  co_return co_await std::move(mark_op);
}

}  // namespace warroom::pipelines
