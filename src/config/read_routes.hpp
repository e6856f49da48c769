// Private to the config module: readers of the wave-2 sections (DESIGN §8) — `routes:`, and the
// life-cycle settings `reminders:` and `archive:`. Problems go to the walker with their key paths.
#pragma once

#include <vector>

#include <yaml-cpp/yaml.h>

#include <warroom/config/config.hpp>

#include "walker.hpp"

namespace warroom::config::detail {

/// `routes:`: every entry checked (unknown keys, missing or duplicate names, empty matches,
/// routes no incident can reach because an earlier one matches all they match).
void read_routes(walker& w, const YAML::Node& root, std::vector<route>& out);

/// `reminders:` and `archive:`.
void read_life_cycle(walker& w, const YAML::Node& root, config& out);

}  // namespace warroom::config::detail
