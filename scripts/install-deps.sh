#!/usr/bin/env bash
# The one place that installs what sluice needs on Debian 12.
#   scripts/install-deps.sh          build and run the server (and build its .deb):
#                                    build tools and the -dev libraries, nothing else
#   scripts/install-deps.sh --test   that, plus what the tests, benchmarks and fuzzing
#                                    talk to: ffmpeg, GoogleTest, nginx-rtmp, GStreamer,
#                                    rtmpdump, Chromium, clang, Node.js + npm modules
# scripts/run.sh uses the first, scripts/test.sh (and so CI) the second.
# Idempotent: packages already present are skipped, so a second run is quick.
set -euo pipefail

with_tests=0
case "${1:-}" in
  "") ;;
  --test) with_tests=1 ;;
  *) echo "usage: $0 [--test]" >&2; exit 2 ;;
esac

# Building and running: a compiler, CMake and the libraries sluice links.
# dpkg-dev holds dpkg-shlibdeps, which `cpack -G DEB` uses for Depends.
packages=(
  build-essential cmake ninja-build pkg-config dpkg-dev
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libsqlite3-dev libcurl4-openssl-dev
  libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev
)

if ((with_tests)); then
  packages+=(
    clang-format
    libgtest-dev libgmock-dev libbenchmark-dev
    python3
    ffmpeg openssl
    postgresql libpq-dev
    nginx libnginx-mod-rtmp   # the bench's peer; TLS + HTTP/2 proxy in test_sdk_https, test_hls_behind_nginx
    curl
    # Other RTMP stacks for the interop tests: librtmp's rtmpdump, GStreamer's
    # rtmp2src/rtmp2sink (bad), flvmux (good), x264enc (ugly), voaacenc (bad).
    rtmpdump gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
    gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly
    clang libclang-rt-14-dev   # scripts/fuzz.sh: clang++ and libFuzzer
    chromium                  # tests/e2e/test_browser_*.py: mpegts.js and hls.js in a real browser
    systemd                   # tests/e2e/test_package.py: systemd-analyze verify of the unit
    prometheus                # tests/e2e/test_metrics.py: a real scraper, and promtool
  )
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((with_tests)); then
  # Node.js brings its own npm on some images (nodesource); Debian's npm
  # package conflicts with that one, so ask for it only when npm is absent.
  if ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
  if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi
fi

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  if ((with_tests)); then
    # Debian starts nginx and PostgreSQL on install; sluice's tests and
    # benchmarks start their own on loopback, so leave the system ones off.
    $SUDO systemctl disable --now nginx postgresql prometheus >/dev/null 2>&1 || true
    $SUDO service nginx stop >/dev/null 2>&1 || true
  fi
else
  echo "install-deps: all packages present"
fi

((with_tests)) || exit 0

# JavaScript tooling from npm: Volcengine's own Node.js SDK, which the
# end-to-end tests use as a real client of the management API.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
node_tests="$root/tests/e2e/node"
if [ ! -d "$node_tests/node_modules/@volcengine/openapi" ]; then
  echo "install-deps: npm ci in tests/e2e/node"
  (cd "$node_tests" && npm ci --no-audit --no-fund --loglevel=error)
fi

# mpegts.js, hls.js and puppeteer-core, which play HTTP-FLV and HLS in headless
# Chromium (tests/e2e/test_browser_*.py, test_hls_behind_nginx.py,
# test_console.py; puppeteer-core downloads no browser). The build also
# compiles this mpegts.js into the web console's live preview when it is here
# at configure time.
browser_tests="$root/tests/browser"
if [ ! -d "$browser_tests/node_modules/mpegts.js" ] || [ ! -d "$browser_tests/node_modules/hls.js" ] ||
   [ ! -d "$browser_tests/node_modules/puppeteer-core" ]; then
  echo "install-deps: npm ci in tests/browser"
  (cd "$browser_tests" && npm ci --no-audit --no-fund --loglevel=error)
fi
