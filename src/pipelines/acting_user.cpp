#include <warroom/pipelines/acting_user.hpp>

namespace warroom::pipelines {
namespace asio = boost::asio;

bool transient_reply(const api::http_reply& r) {
  return r.status == 408 || r.status == 429 || r.status >= 500;
}

asio::awaitable<step_result<acting_user>> find_acting_user(job_context& ctx,
                                                           std::string mattermost_user_id,
                                                           domain::actor who) {
  acting_user out;
  out.who = std::move(who);
  out.pagerduty_from = ctx.cfg->pagerduty.from_email;
  out.fallback_from = ctx.cfg->pagerduty.from_email;
  auto op = ctx.send("mattermost", api::get_user(ctx.mattermost, mattermost_user_id));
  auto reply = co_await std::move(op);
  if (!reply) co_return std::move(reply).error();
  auto user = api::read_mattermost_user(*reply);
  if (!user) {
    if (transient_reply(*reply)) co_return reply_failure(*reply, user.error().message);
    co_return out;
  }
  if (!user->username.empty()) out.who.username = user->username;
  out.email = user->email;
  if (user->email.empty()) co_return out;
  auto find_op = ctx.send("pagerduty", api::find_user_by_email(ctx.pagerduty, user->email));
  auto found_reply = co_await std::move(find_op);
  if (!found_reply) co_return std::move(found_reply).error();
  auto found = api::read_user_by_email(*found_reply, user->email);
  if (!found) {
    if (transient_reply(*found_reply)) co_return reply_failure(*found_reply, found.error().message);
    co_return out;
  }
  if (*found) {
    out.pagerduty_from = (*found)->email;
    out.pagerduty_user_id = (*found)->id;
    out.fallback_from.clear();
  }
  co_return out;
}

}  // namespace warroom::pipelines
