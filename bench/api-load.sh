#!/usr/bin/env bash
# Management-API load: signed DescribeLiveStreamState and
# DescribeLiveStreamInfoByPage at increasing concurrency, then
# DescribeClosedStreamInfoByPage over ROWS (default 1,000,000) history rows
# seeded through the store, one filter combination at a time.
#   bench/api-load.sh            env: SLUICE_BUILD (build), ROWS, DURATION (5), OUT
# Prints requests per server CPU-second (the "one core" figure: sluice
# serves the API on one thread) and latency percentiles. Loopback only.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${SLUICE_BUILD:-$here/../build}"
sluice="$build/src/sluice"
load="$build/bench/sluice-load"
ROWS="${ROWS:-1000000}"
DURATION="${DURATION:-5}"
OUT="${OUT:-/tmp/sluice-bench/api-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"
AK=AKLTbenchaccesskey
SK=bench-secret-key-0123456789
server_pid=""
cleanup() { [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true; }
trap cleanup EXIT

start_server() {  # data dir
  cat >"$OUT/sluice.toml" <<TOML
[[api.keys]]
access_key = "$AK"
secret_key = "$SK"
TOML
  "$sluice" serve --config "$OUT/sluice.toml" --rtmp-listen 127.0.0.1:0 --http-listen 127.0.0.1:0 \
    --api-listen 127.0.0.1:0 --data-dir "$1" --log-level info >"$OUT/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do
    api_port=$(grep -oP 'api listening on 127.0.0.1:\K\d+' "$OUT/server.log" || true)
    [[ -n "$api_port" ]] && return 0
    sleep 0.1
  done
  echo "sluice did not start; see $OUT/server.log" >&2
  exit 1
}
stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""; }

api() {  # label, then sluice-load api arguments
  local label="$1"; shift
  "$load" api "http://127.0.0.1:$api_port" --ak "$AK" --sk "$SK" --server-pid "$server_pid" \
    --duration "$DURATION" --json "$@" | python3 -c '
import json, sys
r = json.loads(sys.stdin.read()); label = sys.argv[1]
print("| {} | {connections} | {rps:.0f} | {rps_per_server_core:.0f} | {p50_ms:.2f} | {p99_ms:.2f} | "
      "{ok}/{requests} |".format(label, **r))' "$label" | tee -a "$OUT/table.md"
}

echo "| request | connections | req/s | req per server CPU-s | p50 ms | p99 ms | ok |" | tee "$OUT/table.md"
echo "|---|---|---|---|---|---|---|" | tee -a "$OUT/table.md"
start_server "$OUT/empty-data"
for c in ${API_CONNECTIONS:-1 4 16 64}; do
  api "DescribeLiveStreamState" -c "$c" -p Vhost=__defaultVhost__ -p App=live -p Stream=s1
done
for c in 1 16; do
  api "DescribeLiveStreamInfoByPage" -c "$c" --action DescribeLiveStreamInfoByPage -p PageNum=1 -p PageSize=100
done
stop_server

echo "seeding $ROWS history rows..." >&2
"$load" seed-history --data-dir "$OUT/history-data" --rows "$ROWS" >&2
start_server "$OUT/history-data"
from=$(date -u -d '-40 days' +%Y-%m-%dT%H:%M:%SZ); to=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
day1=$(date -u -d '-3 days' +%Y-%m-%dT%H:%M:%SZ); day2=$(date -u -d '-2 days' +%Y-%m-%dT%H:%M:%SZ)
h() { local label="$1"; shift; api "history: $label" -c 1 --action DescribeClosedStreamInfoByPage -p PageSize=100 "$@"; }
h "all, desc" -p PageNum=1 -p EndTimeFrom="$from" -p EndTimeTo="$to"
h "all, asc" -p PageNum=1 -p EndTimeFrom="$from" -p EndTimeTo="$to" -p Sort=asc
h "all, page 500" -p PageNum=500 -p EndTimeFrom="$from" -p EndTimeTo="$to"
h "one day" -p PageNum=1 -p EndTimeFrom="$day1" -p EndTimeTo="$day2"
h "vhost" -p PageNum=1 -p EndTimeFrom="$from" -p EndTimeTo="$to" -p Vhost=vhost1.example.com
h "vhost+app" -p PageNum=1 -p EndTimeFrom="$from" -p EndTimeTo="$to" -p Vhost=vhost1.example.com -p App=app2
h "stream (strict)" -p PageNum=1 -p EndTimeFrom="$from" -p EndTimeTo="$to" -p Stream=stream-01234
h "vhost+app+stream" -p PageNum=1 -p EndTimeFrom="$from" -p EndTimeTo="$to" -p Vhost=vhost1.example.com -p App=app2 -p Stream=stream-01234
h "fuzzy, rare" -p PageNum=1 -p EndTimeFrom="$from" -p EndTimeTo="$to" -p Stream=0123 -p QueryType=fuzzy
h "fuzzy, matches all" -p PageNum=1 -p EndTimeFrom="$from" -p EndTimeTo="$to" -p Stream=stream -p QueryType=fuzzy
h "fuzzy + vhost + one day" -p PageNum=1 -p EndTimeFrom="$day1" -p EndTimeTo="$day2" -p Vhost=vhost1.example.com -p Stream=012 -p QueryType=fuzzy
h "source type" -p PageNum=1 -p EndTimeFrom="$from" -p EndTimeTo="$to" -p SourceType=push
stop_server
echo "results in $OUT/table.md" >&2
