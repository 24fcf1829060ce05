#!/usr/bin/env bash
# Installs what building and running needs (not the test tools), builds and
# runs `sluice serve` on its embedded defaults (RTMP 0.0.0.0:1935, HTTP-FLV
# 0.0.0.0:8080, data in ./sluice-data). Extra arguments go to `sluice serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build="${SLUICE_BUILD_DIR:-build}"
# A new build directory leaves the tests out (GoogleTest is a test
# dependency); one scripts/test.sh configured keeps its tests.
tests=()
[ -f "$build/CMakeCache.txt" ] || tests=(-DSLUICE_BUILD_TESTS=OFF)
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${tests[@]}"
cmake --build "$build" -j"$(nproc)" --target sluice
exec "$build/src/sluice" serve "$@"
