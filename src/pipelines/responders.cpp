#include <algorithm>
#include <set>

#include <warroom/pipelines/acting_user.hpp>
#include <warroom/pipelines/fan_out.hpp>
#include <warroom/pipelines/responders.hpp>

namespace warroom::pipelines {
namespace asio = boost::asio;

namespace {

constexpr int max_oncall_pages = 10;

account_lookup found(const domain::directory_user& u) {
  return account_lookup{responder{u.id, "@" + u.username}, ""};
}

/// The on-call users at `levels` of the policy, with emails when PagerDuty expanded them.
asio::awaitable<step_result<std::vector<pagerduty_person>>> oncall_people(job_context& ctx,
                                                                          std::string policy,
                                                                          std::vector<int> levels) {
  std::vector<pagerduty_person> out;
  if (policy.empty()) co_return out;
  std::int64_t offset = 0;
  for (int page = 0; page < max_oncall_pages; ++page) {
    auto op = ctx.send("pagerduty", api::list_oncalls(ctx.pagerduty, policy, offset, 100));
    auto reply = co_await std::move(op);
    if (!reply) co_return std::move(reply).error();
    auto read = api::read_oncalls(*reply);
    if (!read) {
      if (transient_reply(*reply)) co_return reply_failure(*reply, read.error().message);
      co_return out;  // e.g. the policy is gone: nobody to invite from it
    }
    for (const auto& entry : read->entries) {
      if (std::find(levels.begin(), levels.end(), static_cast<int>(entry.escalation_level)) ==
          levels.end())
        continue;
      out.push_back({entry.user_id, entry.name, entry.email.value_or("")});
    }
    if (!read->more) break;
    offset = read->next_offset;
  }
  co_return out;
}

/// Fills in the email of a PagerDuty person; an empty email afterwards means "unmatched".
asio::awaitable<step_result<bool>> fill_email(job_context& ctx, pagerduty_person& person) {
  auto op = ctx.send("pagerduty", api::get_user(ctx.pagerduty, person.id));
  auto reply = co_await std::move(op);
  if (!reply) co_return std::move(reply).error();
  auto user = api::read_pagerduty_user(*reply);
  if (!user) {
    if (transient_reply(*reply)) co_return reply_failure(*reply, user.error().message);
    co_return true;
  }
  person.email = user->email;
  if (person.name.empty()) person.name = user->name;
  co_return true;
}

asio::awaitable<void> look_up_into(job_context& ctx, pagerduty_person person,
                                   std::optional<step_result<account_lookup>>& slot) {
  auto op = account_by_email(ctx, std::move(person));
  slot.emplace(co_await std::move(op));
}

}  // namespace

asio::awaitable<step_result<std::vector<pagerduty_person>>> pagerduty_responders(
    job_context& ctx, war_room room, std::vector<int> levels) {
  auto oncall_op = oncall_people(ctx, room.incident.escalation_policy_id, std::move(levels));
  auto oncall = co_await std::move(oncall_op);
  if (!oncall) co_return std::move(oncall).error();
  std::vector<pagerduty_person> people;
  std::set<std::string> seen;
  for (auto& p : *oncall)
    if (seen.insert(p.id).second) people.push_back(std::move(p));
  for (const auto& id : room.incident.assignee_ids)
    if (seen.insert(id).second) people.push_back({id, "", ""});
  co_return people;
}

asio::awaitable<step_result<account_lookup>> account_by_email(job_context& ctx,
                                                              pagerduty_person person) {
  if (person.email.empty()) {
    auto fill_op = fill_email(ctx, person);
    if (auto filled = co_await std::move(fill_op); !filled) co_return std::move(filled).error();
    if (person.email.empty())
      co_return account_lookup{std::nullopt, person.name.empty() ? person.id : person.name};
  }
  if (auto hit = ctx.users->by_email(person.email, ctx.now_ms())) co_return found(*hit);
  auto op = ctx.send("mattermost", api::get_user_by_email(ctx.mattermost, person.email));
  auto reply = co_await std::move(op);
  if (!reply) co_return std::move(reply).error();
  auto user = api::read_user_if_found(*reply);
  if (!user && transient_reply(*reply)) co_return reply_failure(*reply, user.error().message);
  if (!user || !*user || (*user)->delete_at != 0)
    co_return account_lookup{std::nullopt, person.name.empty() ? person.email : person.name};
  const domain::directory_user entry{(*user)->id, (*user)->username};
  ctx.users->remember(person.email, entry, ctx.now_ms());
  co_return found(entry);
}

asio::awaitable<step_result<std::vector<account_lookup>>> accounts_by_username(
    job_context& ctx, std::vector<std::string> usernames) {
  std::vector<account_lookup> out(usernames.size());
  std::vector<std::string> missing;
  for (std::size_t i = 0; i < usernames.size(); ++i) {
    if (auto hit = ctx.users->by_username(usernames[i], ctx.now_ms()))
      out[i] = found(*hit);
    else
      missing.push_back(usernames[i]);
  }
  if (missing.empty()) co_return out;
  auto op = ctx.send("mattermost", api::get_users_by_usernames(ctx.mattermost, missing));
  auto reply = co_await std::move(op);
  if (!reply) co_return std::move(reply).error();
  auto users = api::read_mattermost_users(*reply);
  if (!users && transient_reply(*reply)) co_return reply_failure(*reply, users.error().message);
  for (std::size_t i = 0; i < usernames.size(); ++i) {
    if (out[i].account) continue;
    const auto& name = usernames[i];
    const auto it = users ? std::find_if(users->begin(), users->end(),
                                         [&](const auto& u) { return u.username == name; })
                          : std::vector<api::mattermost_user>::iterator{};
    if (!users || it == users->end() || it->delete_at != 0) {
      out[i].unmatched = "@" + name;
      continue;
    }
    const domain::directory_user entry{it->id, it->username};
    ctx.users->remember(it->email, entry, ctx.now_ms());
    out[i] = found(entry);
  }
  co_return out;
}

asio::awaitable<step_result<responder_set>> find_responders(job_context& ctx, war_room room,
                                                            std::vector<int> levels) {
  const auto named_responders = ctx.settings_of(room).responders;
  auto people_op = pagerduty_responders(ctx, std::move(room), std::move(levels));
  auto people = co_await std::move(people_op);
  if (!people) co_return std::move(people).error();
  std::vector<std::optional<step_result<account_lookup>>> slots(people->size());
  std::vector<asio::awaitable<void>> tasks;
  for (std::size_t i = 0; i < people->size(); ++i)
    tasks.push_back(look_up_into(ctx, (*people)[i], slots[i]));
  auto all_op = run_all(std::move(tasks));
  co_await std::move(all_op);
  std::vector<account_lookup> lookups;
  for (auto& slot : slots) {
    if (!*slot) co_return std::move(*slot).error();
    lookups.push_back(std::move(**slot));
  }
  auto named_op = accounts_by_username(ctx, named_responders);
  auto named = co_await std::move(named_op);
  if (!named) co_return std::move(named).error();
  lookups.insert(lookups.end(), named->begin(), named->end());

  responder_set out;
  std::set<std::string> seen;
  for (auto& l : lookups) {
    if (!l.account)
      out.unmatched.push_back(l.unmatched);
    else if (seen.insert(l.account->user_id).second)
      out.users.push_back(*l.account);
  }
  co_return out;
}

}  // namespace warroom::pipelines
