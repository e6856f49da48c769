// sim_setup: turns a sim_config into configured, seeded fakes and simulator options. Shared by
// warroom-sim's main and the tests that run a whole simulator in-process. Startup code.
#pragma once

#include <memory>
#include <vector>

#include <warroom/util/result.hpp>

#include "sim_config.hpp"
#include "simulator.hpp"

namespace warroom::sim {

/// PagerDuty, Mattermost and Jira fakes (those compiled in), with credentials and webhook
/// subscribers from `config` and every seed applied in order. Errors name the service.
result<std::vector<std::unique_ptr<service>>> make_services(const sim_config& config);

simulator_options make_simulator_options(const sim_config& config);

/// Installs `config.faults` ({"service": [rule, ...]}) into the simulator's fault table.
result<void> install_faults(simulator& sim, const sim_config& config);

}  // namespace warroom::sim
