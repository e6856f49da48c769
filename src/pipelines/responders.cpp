#include <algorithm>
#include <set>

#include <warroom/pipelines/responders.hpp>

namespace warroom::pipelines {
namespace asio = boost::asio;

namespace {

constexpr int max_oncall_pages = 10;

bool transient(const api::http_reply& r) {
  return r.status == 408 || r.status == 429 || r.status >= 500;
}

struct pagerduty_person {
  std::string id;
  std::string name;
  std::string email;
};

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
      if (transient(*reply)) co_return reply_failure(*reply, read.error().message);
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

}  // namespace

asio::awaitable<step_result<responder_set>> find_responders(job_context& ctx, war_room room,
                                                            std::vector<int> levels) {
  responder_set result_set;
  auto oncall_op = oncall_people(ctx, room.incident.escalation_policy_id, levels);
  auto oncall = co_await std::move(oncall_op);
  if (!oncall) co_return std::move(oncall).error();
  std::vector<pagerduty_person> people = std::move(*oncall);
  for (const auto& id : room.incident.assignee_ids) {
    if (std::none_of(people.begin(), people.end(), [&](const auto& p) { return p.id == id; }))
      people.push_back({id, "", ""});
  }

  std::set<std::string> seen_pd;
  std::set<std::string> seen_mm;
  auto add = [&](const api::mattermost_user& u) {
    if (seen_mm.insert(u.id).second) result_set.users.push_back({u.id, "@" + u.username});
  };
  for (auto& person : people) {
    if (!seen_pd.insert(person.id).second) continue;
    if (person.email.empty()) {
      auto op = ctx.send("pagerduty", api::get_user(ctx.pagerduty, person.id));
      auto reply = co_await std::move(op);
      if (!reply) co_return std::move(reply).error();
      auto user = api::read_pagerduty_user(*reply);
      if (!user) {
        if (transient(*reply)) co_return reply_failure(*reply, user.error().message);
        result_set.unmatched.push_back(person.name.empty() ? person.id : person.name);
        continue;
      }
      person.email = user->email;
      if (person.name.empty()) person.name = user->name;
    }
    auto op = ctx.send("mattermost", api::get_user_by_email(ctx.mattermost, person.email));
    auto reply = co_await std::move(op);
    if (!reply) co_return std::move(reply).error();
    auto found = api::read_user_if_found(*reply);
    if (!found && transient(*reply)) co_return reply_failure(*reply, found.error().message);
    if (!found || !*found || (*found)->delete_at != 0) {
      result_set.unmatched.push_back(person.name.empty() ? person.email : person.name);
      continue;
    }
    add(**found);
  }

  const auto& names = ctx.settings_of(room).responders;
  if (!names.empty()) {
    auto op = ctx.send("mattermost", api::get_users_by_usernames(ctx.mattermost, names));
    auto reply = co_await std::move(op);
    if (!reply) co_return std::move(reply).error();
    auto users = api::read_mattermost_users(*reply);
    if (!users) {
      if (transient(*reply)) co_return reply_failure(*reply, users.error().message);
      for (const auto& n : names)
        result_set.unmatched.push_back("@" + n);
    } else {
      for (const auto& n : names) {
        auto it = std::find_if(users->begin(), users->end(),
                               [&](const auto& u) { return u.username == n; });
        if (it == users->end() || it->delete_at != 0)
          result_set.unmatched.push_back("@" + n);
        else
          add(*it);
      }
    }
  }
  co_return result_set;
}

}  // namespace warroom::pipelines
