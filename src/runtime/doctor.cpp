#include <algorithm>
#include <array>
#include <functional>
#include <memory>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <warroom/config/load.hpp>
#include <warroom/doctor/jira_checks.hpp>
#include <warroom/doctor/mattermost_checks.hpp>
#include <warroom/doctor/pagerduty_checks.hpp>
#include <warroom/doctor/report.hpp>
#include <warroom/net/http_client.hpp>
#include <warroom/net/tls_context.hpp>
#include <warroom/runtime/doctor.hpp>
#include <warroom/runtime/version.hpp>

namespace warroom::runtime {
namespace asio = boost::asio;

namespace {

using doctor::check_line;

// Replies of calls sent at once, and a timer the waiter sleeps on until the last one lands.
struct join_state {
  join_state(asio::any_io_executor ex, std::size_t n) : left(n), done(ex) {
    replies.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
      replies.emplace_back(error{"not_sent", "not sent"});
  }
  std::vector<doctor::reply> replies;
  std::size_t left;
  asio::steady_timer done;
};

asio::awaitable<void> send_into(net::http_client& http, api::http_call call,
                                std::shared_ptr<join_state> join, std::size_t index) {
  auto op = http.send(std::move(call));
  join->replies[index] = co_await std::move(op);
  if (--join->left == 0) join->done.cancel();
}

// Sends every call concurrently; the replies come back in call order.
asio::awaitable<std::vector<doctor::reply>> send_all(net::http_client& http,
                                                     std::vector<api::http_call> calls) {
  auto executor = co_await asio::this_coro::executor;
  auto join = std::make_shared<join_state>(executor, calls.size());
  for (std::size_t i = 0; i < calls.size(); ++i) {
    auto task = send_into(http, std::move(calls[i]), join, i);
    asio::co_spawn(executor, std::move(task), asio::detached);
  }
  if (join->left > 0) {
    join->done.expires_at(asio::steady_timer::time_point::max());
    auto wait = join->done.async_wait(asio::as_tuple(asio::use_awaitable));
    co_await std::move(wait);
  }
  co_return std::move(join->replies);
}

asio::awaitable<doctor::reply> send_one(net::http_client& http, api::http_call call) {
  auto op = http.send(std::move(call));
  co_return co_await std::move(op);
}

// One group of checks per service; each fills its own lines, so the output order is fixed
// whatever order the answers arrive in.
struct doctor_run {
  doctor_run(const config::config& c, net::http_client& h) : cfg(c), http(h) {}

  const config::config& cfg;
  net::http_client& http;
  std::vector<std::optional<std::vector<check_line>>> groups =
      std::vector<std::optional<std::vector<check_line>>>(4);
  std::size_t unfinished = 4;
  std::function<void()> on_all_done;

  void finish(std::size_t group, std::vector<check_line> lines) {
    groups[group] = std::move(lines);
    if (--unfinished == 0) on_all_done();
  }

  asio::awaitable<void> pagerduty() {
    auto op = send_one(http, doctor::pagerduty_user_lookup(cfg.pagerduty));
    const doctor::reply users = co_await std::move(op);
    finish(0, doctor::read_pagerduty(users, cfg.pagerduty));
  }

  asio::awaitable<void> mattermost() {
    const auto& mm = cfg.mattermost;
    std::vector<api::http_call> first = {doctor::mattermost_me(mm), doctor::mattermost_team(mm)};
    if (!mm.announce_channel_id.empty()) first.push_back(doctor::mattermost_channel(mm));
    for (const auto& name : mm.responders)
      first.push_back(doctor::mattermost_username(mm, name));
    auto first_op = send_all(http, std::move(first));
    auto replies = co_await std::move(first_op);
    doctor::mattermost_replies r;
    r.me = std::move(replies[0]);
    r.team = std::move(replies[1]);
    std::size_t next = 2;
    if (!mm.announce_channel_id.empty()) r.announce = std::move(replies[next++]);
    for (; next < replies.size(); ++next)
      r.responders.push_back(std::move(replies[next]));
    if (const auto bot = doctor::read_bot(r.me)) {
      auto member_op = send_one(http, doctor::mattermost_team_member(mm, bot->id));
      r.member = co_await std::move(member_op);
      std::vector<std::string> roles = bot->roles;
      for (auto& role : doctor::member_roles(r.member))
        if (std::find(roles.begin(), roles.end(), role) == roles.end()) roles.push_back(role);
      std::vector<api::http_call> role_calls;
      for (const auto& role : roles)
        role_calls.push_back(doctor::mattermost_role(mm, role));
      auto roles_op = send_all(http, std::move(role_calls));
      auto role_replies = co_await std::move(roles_op);
      for (std::size_t i = 0; i < roles.size(); ++i)
        r.roles.emplace_back(roles[i], std::move(role_replies[i]));
    }
    finish(1, doctor::read_mattermost(r, mm));
  }

  asio::awaitable<void> jira() {
    const auto& j = cfg.jira;
    std::vector<api::http_call> calls = {doctor::jira_myself(j), doctor::jira_project(j),
                                         doctor::jira_project_statuses(j),
                                         doctor::jira_priorities(j)};
    auto op = send_all(http, std::move(calls));
    auto replies = co_await std::move(op);
    doctor::jira_replies r;
    r.myself = std::move(replies[0]);
    r.project = std::move(replies[1]);
    r.statuses = std::move(replies[2]);
    r.priorities = std::move(replies[3]);
    finish(2, doctor::read_jira(r, j));
  }

  asio::awaitable<void> public_url() {
    auto op = send_one(http, doctor::healthz_call(cfg.server.public_url));
    const doctor::reply health = co_await std::move(op);
    finish(3, {doctor::read_healthz(health, cfg.server.public_url)});
  }
};

// What to print for a group that had not finished at the deadline.
check_line unanswered(std::size_t group, std::chrono::milliseconds deadline) {
  static constexpr std::array<std::pair<const char*, const char*>, 4> names = {
      {{"pagerduty", "pagerduty.api_url"},
       {"mattermost", "mattermost.url"},
       {"jira", "jira.url"},
       {"public_url", "server.public_url"}}};
  const auto [name, key] = names.at(group);
  return doctor::fail(
      name, "no complete answer within " + std::to_string(deadline.count() / 1000) + " s",
      std::string("check ") + key + " and the network (or outbound.request_timeout)");
}

void print(std::FILE* out, const check_line& line) {
  std::fprintf(out, "%s\n", doctor::format_line(line).c_str());
}

}  // namespace

int run_doctor(const std::string& config_path, std::FILE* out, const doctor_options& options) {
  auto loaded = config::load_config_file(config_path, config::system_environment());
  if (!loaded) {
    for (const auto& line : doctor::config_failures(loaded.error()))
      print(out, line);
    return 1;
  }
  const config::config& cfg = *loaded;
  std::vector<check_line> lines = {doctor::pass("config", config_path + " loads")};
  auto tls = net::make_client_tls_context(net::tls_client_options{cfg.outbound.ca_file});
  if (!tls) {
    print(out, doctor::fail("config", "outbound.ca_file: " + tls.error().message,
                            "point outbound.ca_file at a readable PEM bundle"));
    return 1;
  }
  net::client_options client;
  client.max_connections_per_host = static_cast<std::size_t>(cfg.outbound.max_connections_per_host);
  client.request_timeout = cfg.outbound.request_timeout;
  client.user_agent = "warroom/" + std::string(version());

  // Both outlive any call cut off by the deadline: such a call's frame still refers to them, and
  // no destruction order is safe then (see app::~app), so they are released to the OS instead.
  auto io = std::make_unique<asio::io_context>(1);
  auto http = std::make_unique<net::http_client>(io->get_executor(), client, std::move(*tls));
  doctor_run run{cfg, *http};
  run.on_all_done = [&] {
    http->close_idle();
    io->stop();
  };
  asio::co_spawn(*io, run.pagerduty(), asio::detached);
  asio::co_spawn(*io, run.mattermost(), asio::detached);
  asio::co_spawn(*io, run.jira(), asio::detached);
  asio::co_spawn(*io, run.public_url(), asio::detached);
  io->run_for(options.deadline);

  for (std::size_t g = 0; g < run.groups.size(); ++g) {
    if (run.groups[g])
      lines.insert(lines.end(), run.groups[g]->begin(), run.groups[g]->end());
    else
      lines.push_back(unanswered(g, options.deadline));
  }
  for (const auto& line : lines)
    print(out, line);
  if (run.unfinished > 0) {
    (void)http.release();
    (void)io.release();
  }
  return doctor::all_ok(lines) ? 0 : 1;
}

}  // namespace warroom::runtime
