#!/usr/bin/env bash
# The suite under ThreadSanitizer (-DSLUICE_TSAN=ON, GCC -fsanitize=thread)
# in build-tsan/: the unit tests, then the e2e suite, with the owner-executor
# checks on. Not part of scripts/test.sh (CI's default path): a TSan build
# and run take several times the normal one. A report aborts the process
# (halt_on_error), so the test that caused it fails.
#   scripts/tsan.sh                 # everything
#   scripts/tsan.sh -R 'AccessGate' # a ctest filter
set -euo pipefail
cd "$(dirname "$0")/.."
build="${SLUICE_TSAN_BUILD_DIR:-build-tsan}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSLUICE_WERROR=ON \
  -DSLUICE_TSAN=ON -DSLUICE_BUILD_BENCH=OFF
cmake --build "$build" -j"$(nproc)"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1 second_deadlock_stack=1}"
ctest --test-dir "$build" --output-on-failure -j2 --timeout 600 "$@"
