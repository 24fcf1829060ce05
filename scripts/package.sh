#!/usr/bin/env bash
# Builds the Debian packages with CPack: sluice_<version>_<arch>.deb (server
# and CLI, systemd unit, /etc/sluice/sluice.toml, man page) and
# sluice-dev_<version>_<arch>.deb (the C++ SDK), into OUT (default: the
# build directory). Installs only the build dependencies (no test tools).
#   scripts/package.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build="${SLUICE_BUILD_DIR:-build}"
out="$(realpath -m "${1:-$build}")"
# As scripts/run.sh: a new build directory leaves the tests out.
tests=()
[ -f "$build/CMakeCache.txt" ] || tests=(-DSLUICE_BUILD_TESTS=OFF)
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${tests[@]}"
cmake --build "$build" -j"$(nproc)"
mkdir -p "$out"
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$out"
rm -rf "$out/_CPack_Packages"
ls -l "$out"/*.deb
