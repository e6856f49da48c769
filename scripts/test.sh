#!/usr/bin/env bash
# Sets everything up on a fresh Debian 12 machine and runs the whole test suite:
# installs missing packages, configures the `dev` preset, builds with 2 jobs, runs ctest.
# Usage: scripts/test.sh [preset]   (dev: ASan+UBSan, the default; tsan; plain; release)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
preset="${1:-dev}"

./scripts/bootstrap.sh
cmake --preset "$preset" ${WARROOM_CMAKE_ARGS:-} >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset" ${WARROOM_CTEST_ARGS:-}
