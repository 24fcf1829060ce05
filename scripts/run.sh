#!/usr/bin/env bash
# Installs dependencies, builds and runs `sluice serve` on its embedded
# defaults (RTMP 0.0.0.0:1935, HTTP-FLV 0.0.0.0:8080, data in ./sluice-data).
# Extra arguments go to `sluice serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build="${SLUICE_BUILD_DIR:-build}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j"$(nproc)" --target sluice
exec "$build/src/sluice" serve "$@"
