// `warroomd doctor --config FILE`: checks a deployment against the real services, read-only, and
// prints one line per check ("ok ..." / "FAIL ...; fix: ..."). The checks themselves are pure
// (warroom/doctor/*); this is the shell that sends their calls.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

#include <warroom/config/config.hpp>

namespace warroom::runtime {

struct doctor_options {
  /// Every check has an answer (or is reported as unanswered) within this time.
  std::chrono::milliseconds deadline{20'000};
};

/// Loads `config_path` and runs every check; lines go to `out` in a fixed order. Returns the
/// exit code: 0 when every check passed, 1 otherwise. Runs its own event loop on the calling
/// thread, with the daemon's outbound client (TLS verification, CA file, timeouts).
int run_doctor(const std::string& config_path, std::FILE* out, const doctor_options& options = {});

}  // namespace warroom::runtime
