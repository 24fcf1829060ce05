#!/usr/bin/env bash
# Installs dependencies, builds (warnings are errors) and runs every test:
# GoogleTest units and the end-to-end suite with real ffmpeg/ffprobe.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build="${SLUICE_BUILD_DIR:-build}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSLUICE_WERROR=ON
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure -j2 --timeout 300
