#!/usr/bin/env bash
# Installs the test dependencies (scripts/install-deps.sh --test), builds
# (warnings are errors) and runs every test:
# GoogleTest units and the end-to-end suite with real ffmpeg/ffprobe. Then
# the same suite again, built with AddressSanitizer + UBSan
# (-DSLUICE_SANITIZE=ON) in a second build directory, where any report fails
# its test. SLUICE_SANITIZE=0 skips that second pass (quicker local runs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
build="${SLUICE_BUILD_DIR:-build}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSLUICE_WERROR=ON \
  -DSLUICE_BUILD_TESTS=ON
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure -j2 --timeout 300

if [ "${SLUICE_SANITIZE:-1}" != "0" ]; then
  sanitized="${build}-sanitize"
  echo "test.sh: the suite again with AddressSanitizer + UBSan ($sanitized)"
  started=$(date +%s)
  cmake -S . -B "$sanitized" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSLUICE_WERROR=ON \
    -DSLUICE_SANITIZE=ON -DSLUICE_BUILD_BENCH=OFF -DSLUICE_BUILD_TESTS=ON
  cmake --build "$sanitized" -j"$(nproc)"
  ctest --test-dir "$sanitized" --output-on-failure -j2 --timeout 300
  echo "test.sh: sanitized build and suite took $(($(date +%s) - started)) s"
fi
