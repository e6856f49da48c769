#!/usr/bin/env bash
# The Docker build stage's build, runnable as is on a Debian 12 host after scripts/bootstrap.sh: configure with the
# `release` preset, build the programs (warroomd, and warroom-sim when the tree has the simulator), install them
# into a staging prefix, stripped (debug info is nearly all of an unstripped program, and the image has no use for it).
# tests/install checks that docker/Dockerfile runs exactly this.
# Usage: docker/build.sh STAGING_DIR
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
stage="${1:?usage: docker/build.sh STAGING_DIR}"

# Benchmarks are not shipped, and need a package the image does not install. The preset's optimisation (-O2)
# without its debug info: --strip would drop it, and generating it is a third of the compile.
cmake --preset release -DWARROOM_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" >/dev/null
cmake --build --preset release --target warroom_programs
cmake --install build/release --prefix "$stage" --strip
