#include "sim_setup.hpp"

#include <stdexcept>

#include "pagerduty_fake.hpp"
// The Mattermost and Jira fakes come with tests/sim/fakes.cmake; the simulator runs without them.
#if __has_include("mattermost_fake.hpp")
#include "mattermost_fake.hpp"
#define WARROOM_SIM_HAS_MATTERMOST 1
#endif
#if __has_include("jira_fake.hpp")
#include "jira_fake.hpp"
#define WARROOM_SIM_HAS_JIRA 1
#endif

namespace warroom::sim {

using nlohmann::json;

result<std::vector<std::unique_ptr<service>>> make_services(const sim_config& config) {
  std::vector<std::unique_ptr<service>> services;
  pagerduty_fake_options pd;
  pd.token = util::secret(config.pagerduty_token);
  pd.webhook_secret = util::secret(config.webhook_secret);
  pd.webhook_urls = config.webhook_urls;
  try {
    services.push_back(std::make_unique<pagerduty_fake>(std::move(pd)));
  } catch (const std::invalid_argument& e) {
    return make_error("bad_config", std::string("--webhook-url: ") + e.what());
  }
#ifdef WARROOM_SIM_HAS_MATTERMOST
  services.push_back(std::make_unique<mattermost_fake>());
#endif
#ifdef WARROOM_SIM_HAS_JIRA
  services.push_back(std::make_unique<jira_fake>());
#endif
  // Credentials the other fakes check travel in their seed, as their headers document.
  std::vector<json> seeds;
  json credentials = json::object();
  if (!config.mattermost_token.empty() && services.size() > 1)
    credentials["mattermost"] = {{"token", config.mattermost_token}};
  if (!config.jira_token.empty() || !config.jira_email.empty())
    credentials["jira"] = {{"email", config.jira_email}, {"token", config.jira_token}};
  seeds.push_back(std::move(credentials));
  seeds.insert(seeds.end(), config.seeds.begin(), config.seeds.end());
  for (const auto& seed : seeds) {
    for (const auto& [name, data] : seed.items()) {
      service* target = nullptr;
      for (auto& s : services)
        if (s->name() == name) target = s.get();
      if (!target) return make_error("bad_config", "seed for unknown service '" + name + "'");
      if (auto done = target->seed(data); !done)
        return make_error("bad_config", name + " seed: " + done.error().message);
    }
  }
  return services;
}

simulator_options make_simulator_options(const sim_config& config) {
  simulator_options o;
  o.ports = config.ports;
  o.sender = config.sender;
  o.outbound_timeout = config.outbound_timeout;
  return o;
}

result<void> install_faults(simulator& sim, const sim_config& config) {
  for (const auto& [name, rules] : config.faults.items()) {
    if (!sim.find(name))
      return make_error("bad_config", "faults for unknown service '" + name + "'");
    for (const auto& r : rules.is_array() ? rules : json::array({rules})) {
      auto rule = parse_fault_rule(r);
      if (!rule) return make_error("bad_config", "faults." + name + ": " + rule.error().message);
      sim.faults().set(name, std::move(*rule));
    }
  }
  return {};
}

}  // namespace warroom::sim
