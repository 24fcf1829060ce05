#!/usr/bin/env bash
# Fan-out, sluice vs nginx-rtmp, on loopback: one publisher, N RTMP viewers,
# one server at a time and a fresh server for every point.
#
#   bench/fanout-vs-nginx.sh [--http-flv] [--play-auth] [--no-nginx] [N ...]
#                                                     default N: 100 500 1000
#
# --http-flv adds rows for sluice with HTTP-FLV viewers (nginx-rtmp has none).
# --play-auth adds, after each sluice row, the same run with a play key on the
#   default vhost and every viewer on a signed URL (`sluice play-url`): rows
#   sluice-rtmp-play-auth, sluice-http-flv-play-auth (the cost of the check).
# --no-nginx leaves the nginx-rtmp rows out.
# env: SLUICE_BUILD (build dir, default build), WARMUP (5), DURATION (20),
#      THREADS (load tool io threads, 1), PUBLISHER (sluice-load | ffmpeg),
#      RAMP_RATE (viewers started per second, 200: ramp = max(1, N / RAMP_RATE) s),
#      NICE (e.g. -10: run servers, publisher and load tool at that niceness, so
#      other work on a shared machine disturbs the numbers less; needs root),
#      OUT (default /tmp/sluice-bench/<timestamp>), PEERS_DIR (/tmp/peers)
# Everything it starts is remembered by PID and ended by that PID on exit.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WARMUP="${WARMUP:-5}"; DURATION="${DURATION:-20}"; THREADS="${THREADS:-1}"
source "$here/bench_lib.sh"   # SLUICE, LOAD, SRC, cleanup, start_sluice, wait_live, measure, ...
OUT="${OUT:-/tmp/sluice-bench/$(date +%Y%m%d-%H%M%S)}"

http_flv=0; play_auth=0; nginx=1
ns=()
for arg in "$@"; do
    case "$arg" in
        --http-flv) http_flv=1 ;;
        --play-auth) play_auth=1 ;;
        --no-nginx) nginx=0 ;;
        ''|*[!0-9]*) echo "usage: $0 [--http-flv] [--play-auth] [--no-nginx] [N ...]" >&2; exit 2 ;;
        *) ns+=("$arg") ;;
    esac
done
[[ ${#ns[@]} -gt 0 ]] || ns=(100 500 1000)
require_binaries
mkdir -p "$OUT"
make_source
PROBE_WARMUP=3

run_nginx() {
    local n="$1" url="rtmp://127.0.0.1:19350/live/s1"
    "${RUN[@]}" "$PEERS/start-nginx-rtmp.sh" >/dev/null
    NGINX_UP=1
    start_publisher "$url" "$(run_seconds "$n" 40)" "$OUT/nginx-publisher-$n.log"
    wait_live "$url" "$PROBE_WARMUP"
    measure nginx-rtmp "$url" "$n" "$(nginx_master)" "$(nginx_worker)"
    cleanup
}

# run_sluice N rtmp|http-flv [play-auth]
run_sluice() {
    local n="$1" kind="$2" auth="${3:-}" url name="sluice-$2" config=()
    TMP_DATA="$(mktemp -d /tmp/sluice-bench-data.XXXXXX)"
    if [[ -n "$auth" ]]; then
        name="$name-play-auth"
        printf '[[vhost]]\nname = "__defaultVhost__"\nplay_key = "bench-play-key"\n' >"$TMP_DATA/sluice.toml"
        config=(--config "$TMP_DATA/sluice.toml")
    fi
    start_sluice "$OUT/$name-$n.log" "${config[@]}"
    start_publisher "rtmp://127.0.0.1:$RTMP_PORT/live/s1" "$(run_seconds "$n" 40)" "$OUT/$name-publisher-$n.log"
    if [[ -n "$auth" ]]; then
        # One signed URL (an hour) for every viewer: each play is still checked.
        local urls
        mapfile -t urls < <("$SLUICE" play-url live/s1 --key bench-play-key --for 1h \
            --rtmp-address "127.0.0.1:$RTMP_PORT" --http-address "127.0.0.1:$HTTP_PORT")
        if [[ "$kind" = rtmp ]]; then url="${urls[0]}"; else url="${urls[1]}"; fi
    elif [[ "$kind" = rtmp ]]; then url="rtmp://127.0.0.1:$RTMP_PORT/live/s1"
    else url="http://127.0.0.1:$HTTP_PORT/live/s1.flv"; fi
    wait_live "$url" "$PROBE_WARMUP"
    measure "$name" "$url" "$n" "$SERVER_PID"
    cleanup
}

print_machine
for n in "${ns[@]}"; do
    if [[ $nginx = 1 ]]; then run_nginx "$n"; sleep 1; fi
    run_sluice "$n" rtmp; sleep 1
    if [[ $play_auth = 1 ]]; then run_sluice "$n" rtmp play-auth; sleep 1; fi
    if [[ $http_flv = 1 ]]; then run_sluice "$n" http-flv; sleep 1; fi
    if [[ $http_flv = 1 && $play_auth = 1 ]]; then run_sluice "$n" http-flv play-auth; sleep 1; fi
done
python3 "$here/fanout_table.py" "$OUT" | tee "$OUT/table.md"
