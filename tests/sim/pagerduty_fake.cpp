#include "pagerduty_fake.hpp"

#include <stdexcept>

namespace warroom::sim {
namespace {

using nlohmann::json;

std::string str(const json& o, const char* key) {
  return o.is_object() && o.contains(key) && o[key].is_string() ? o[key].get<std::string>() : "";
}

error to_error(const pd_error& e) {
  return make_error(e.status == 404 ? "not_found" : "bad_request",
                    e.message + (e.errors.empty() ? "" : ": " + e.errors.front()));
}

}  // namespace

pagerduty_fake::pagerduty_fake(pagerduty_fake_options options)
    : options_(std::move(options)), model_(options_.web_url) {
  for (const auto& url : options_.webhook_urls)
    if (auto added = subscribe(url); !added) throw std::invalid_argument(added.error().message);
}

result<std::string> pagerduty_fake::subscribe(const std::string& url) {
  auto sub = pd::parse_subscription(model_.new_id('P', 6), url);
  if (!sub) return sub.error();
  subscriptions_.push_back(std::move(*sub));
  return subscriptions_.back().id;
}

json pagerduty_fake::state() const {
  json out = model_.state();
  out["subscriptions"] = json::array();
  for (const auto& s : subscriptions_)
    out["subscriptions"].push_back({{"id", s.id}, {"url", s.url}});
  out["deliveries"] = delivery_log_;
  out["responder_requests"] = responder_requests_;
  return out;
}

void pagerduty_fake::on_outbound_reply(const outbound& sent, const api::http_reply& reply,
                                       std::int64_t now_ms) {
  // PagerDuty keeps a delivery log per subscription; the sender has already retried.
  delivery_log_.push_back({{"webhook_id", sent.correlation.value("webhook_id", "")},
                           {"event_type", sent.correlation.value("event_type", "")},
                           {"status", reply.status},
                           {"at", pd::iso_time(now_ms, true)}});
}

result<json> pagerduty_fake::control(std::string_view verb, const json& args, std::int64_t now_ms) {
  if (verb == "subscribe") {
    auto id = subscribe(str(args, "url"));
    if (!id) return id.error();
    return json{{"subscription", {{"id", *id}, {"url", str(args, "url")}}}};
  }
  const pd::user* agent = nullptr;
  if (const auto from = str(args, "from"); !from.empty()) agent = model_.find_user_by_email(from);
  if (const auto id = str(args, "user_id"); !id.empty()) agent = model_.find_user(id);
  if (!agent && (!str(args, "from").empty() || !str(args, "user_id").empty()))
    return make_error("bad_request", "no such PagerDuty user");
  if (verb == "trigger") {
    auto inc = trigger(args, agent, now_ms);
    if (!inc) return to_error(inc.error());
    return json{{"incident", model_.incident_json(**inc)}};
  }
  pd::incident* inc = model_.find_incident(str(args, "incident_id"));
  if (!inc) return make_error("not_found", "no such incident: " + str(args, "incident_id"));
  if (verb == "acknowledge" || verb == "resolve") {
    const auto status = verb == "resolve" ? "resolved" : "acknowledged";
    if (auto done = set_status(*inc, status, agent, str(args, "resolution"), now_ms); !done)
      return to_error(done.error());
  } else if (verb == "reassign") {
    std::vector<std::string> ids;
    for (const auto& id : args.value("user_ids", json::array())) {
      if (!id.is_string() || !model_.find_user(id.get<std::string>()))
        return make_error("bad_request", "user_ids must name known users");
      ids.push_back(id.get<std::string>());
    }
    reassign(*inc, std::move(ids), agent, now_ms);
  } else if (verb == "set_priority") {
    const auto* p = model_.find_priority(str(args, "priority"));
    if (!p) return make_error("bad_request", "no such priority: " + str(args, "priority"));
    set_priority(*inc, *p, agent, now_ms);
  } else if (verb == "add_note") {
    if (str(args, "content").empty()) return make_error("bad_request", "content is required");
    const auto& n = add_note(*inc, agent, str(args, "content"), now_ms);
    return json{{"note", model_.note_json(n)}};
  } else {
    return make_error("not_found", "unknown pagerduty verb: " + std::string(verb));
  }
  return json{{"incident", model_.incident_json(*inc)}};
}

std::vector<std::string> pagerduty_fake::first_level(const std::string& policy_id) const {
  const auto* policy = model_.find_policy(policy_id);
  return policy && !policy->levels.empty() ? policy->levels.front() : std::vector<std::string>{};
}

pagerduty_fake::pd_result<pd::incident*> pagerduty_fake::trigger(const json& args,
                                                                 const pd::user* agent,
                                                                 std::int64_t now) {
  pd::incident inc;
  inc.title = str(args, "title");
  if (inc.title.empty())
    return pd_error{400, 2001, "Invalid Input Provided", {"title is required"}};
  inc.urgency = str(args, "urgency").empty() ? "high" : str(args, "urgency");
  if (inc.urgency != "high" && inc.urgency != "low")
    return pd_error{400, 2001, "Invalid Input Provided", {"urgency must be high or low"}};
  const auto* svc = model_.find_service(str(args, "service_id"));
  if (!svc && !str(args, "service_id").empty())
    return pd_error{400, 2001, "Invalid Input Provided", {"service not found"}};
  inc.policy_id = str(args, "escalation_policy_id");
  if (inc.policy_id.empty() && svc) inc.policy_id = svc->escalation_policy_id;
  if (inc.policy_id.empty() && !model_.policies().empty())
    inc.policy_id = model_.policies().begin()->first;
  if (!model_.find_policy(inc.policy_id))
    return pd_error{400, 2001, "Invalid Input Provided", {"escalation policy not found"}};
  // Every PagerDuty incident belongs to a service: take one on the policy, else make one.
  for (const auto& [sid, s] : model_.services())
    if (!svc && s.escalation_policy_id == inc.policy_id) svc = &s;
  if (!svc) svc = &model_.add_service({model_.new_id('P', 6), "Default Service", inc.policy_id});
  inc.service_id = svc->id;
  if (const auto p = str(args, "priority"); !p.empty()) {
    const auto* prio = model_.find_priority(p);
    if (!prio) return pd_error{400, 2001, "Invalid Input Provided", {"priority not found"}};
    inc.priority_id = prio->id;
  }
  inc.id = model_.new_id('Q', 13);
  inc.incident_key = uuid();
  std::erase(inc.incident_key, '-');
  inc.assignee_ids = first_level(inc.policy_id);
  inc.created_ms = inc.updated_ms = inc.last_status_change_ms = now;
  inc.last_status_change_by = agent ? agent->id : "";
  auto& stored = model_.add_incident(std::move(inc));
  emit("incident.triggered", stored, agent, model_.incident_event_data(stored), now);
  return &stored;
}

pagerduty_fake::pd_result<void> pagerduty_fake::set_status(pd::incident& inc,
                                                           const std::string& status,
                                                           const pd::user* agent,
                                                           const std::string& resolution,
                                                           std::int64_t now) {
  const std::string before = inc.status;
  if (status == "resolved" && before == "resolved")
    return pd_error{400, 1001, "Incident Already Resolved", {"Incident Already Resolved"}};
  if (status == before && status != "acknowledged") return {};  // nothing changes, nothing sent
  inc.updated_ms = now;
  if (agent && status == "acknowledged") inc.acknowledgements.emplace_back(agent->id, now);
  if (status == before) return {};  // a re-acknowledgement: PagerDuty answers 200, no webhook
  inc.status = status;
  inc.last_status_change_ms = now;
  inc.last_status_change_by = agent ? agent->id : "";
  if (status == "resolved") {
    inc.resolved_ms = now;
    inc.assignee_ids.clear();
    emit("incident.resolved", inc, agent, model_.incident_event_data(inc), now);
    // PagerDuty files the resolution as a note, which is announced as incident.annotated.
    if (!resolution.empty()) add_note(inc, agent, "Resolution Note: " + resolution, now);
    return {};
  }
  if (before == "resolved") {
    // The spec: acknowledging or triggering a resolved incident reopens it.
    inc.resolved_ms.reset();
    inc.assignee_ids = status == "acknowledged" && agent ? std::vector<std::string>{agent->id}
                                                         : first_level(inc.policy_id);
    emit("incident.reopened", inc, agent, model_.incident_event_data(inc), now);
    if (status == "triggered") return {};
  }
  if (status == "triggered") {
    inc.acknowledgements.clear();
    emit("incident.unacknowledged", inc, agent, model_.incident_event_data(inc), now);
    return {};
  }
  emit("incident.acknowledged", inc, agent, model_.incident_event_data(inc), now);
  return {};
}

void pagerduty_fake::reassign(pd::incident& inc, std::vector<std::string> user_ids,
                              const pd::user* agent, std::int64_t now) {
  inc.assignee_ids = std::move(user_ids);
  inc.updated_ms = now;
  emit("incident.reassigned", inc, agent, model_.incident_event_data(inc), now);
}

void pagerduty_fake::set_priority(pd::incident& inc, const pd::priority& p, const pd::user* agent,
                                  std::int64_t now) {
  if (inc.priority_id == p.id) return;
  inc.priority_id = p.id;
  inc.updated_ms = now;
  emit("incident.priority_updated", inc, agent, model_.incident_event_data(inc), now);
}

const pd::note& pagerduty_fake::add_note(pd::incident& inc, const pd::user* author,
                                         std::string content, std::int64_t now) {
  auto& n = inc.notes.emplace_back(
      pd::note{model_.new_id('P', 6), author ? author->id : "", std::move(content), now});
  emit("incident.annotated", inc, author, model_.note_event_data(inc, n), now);
  return n;
}

void pagerduty_fake::emit(const std::string& event_type, const pd::incident& inc,
                          const pd::user* agent, json data, std::int64_t now) {
  // One event, one id; each subscription gets its own webhook (and X-Webhook-Id).
  const auto envelope =
      pd::make_envelope(model_.new_id('0', 25), event_type, now,
                        agent ? model_.user_ref(agent->id) : json(nullptr), std::move(data));
  for (const auto& sub : subscriptions_)
    outbox_.push_back(pd::make_webhook(sub, options_.webhook_secret, uuid(), envelope, inc.id));
}

std::string pagerduty_fake::uuid() {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
    out += hex[random_() % 16];
  }
  return out;
}

}  // namespace warroom::sim
