#!/usr/bin/env bash
# HLS on loopback, in one run: sluice's LL-HLS (fMP4 parts, blocking
# reloads) and classic HLS (MPEG-TS) against nginx-rtmp's `hls` module
# (nginx writes segments into a tmpfs directory and serves them as static
# files). One publisher stamping wall-clock time into every video frame, N
# HLS players (sluice-load play URL.m3u8, `--hls ll` for LL-HLS), one server
# at a time, a fresh server for every point.
#
#   bench/hls-vs-nginx.sh [--no-nginx] [--no-ll] [--no-ts] [N ...]   default N: 100 500
#
# Rows: nginx-hls, sluice-hls (TS: [hls] target 2 s, window 7), sluice-ll-hls
# (hls.flavour "ll": part target PART_MS, segments LL_TARGET_MS).
# env: SLUICE_BUILD (build), GOP_S (1: the source's GOP, seconds; 2 is the
#      older runs' src.flv), PART_MS (200), LL_TARGET_MS (1000), FILL (16 s
#      from the stream's first segment to the first viewer: the segment window
#      fills), WARMUP (10), DURATION (30), STALL (5: a gap between segments
#      longer than this is a stall; LL_STALL 1 for LL-HLS, whose parts come
#      every PART_MS), RAMP_RATE (200 viewers/s), THREADS (load tool io
#      threads, 2: one thread could not read 500 HLS viewers' segments on a
#      busy 2-core machine), NICE, OUT (/tmp/sluice-bench/hls-<timestamp>),
#      PEERS_DIR (/tmp/peers)
# Per point: ~10 s of start-up and probe + FILL + ramp + WARMUP + DURATION.
# Everything it starts is remembered by PID and ended by that PID on exit.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GOP_S="${GOP_S:-1}"
WARMUP="${WARMUP:-10}"; DURATION="${DURATION:-30}"; THREADS="${THREADS:-2}"
source "$here/bench_lib.sh"   # SLUICE, LOAD, SRC, cleanup, start_sluice, wait_live, measure, ...
FILL="${FILL:-16}"; STALL="${STALL:-5}"; LL_STALL="${LL_STALL:-1}"
PART_MS="${PART_MS:-200}"; LL_TARGET_MS="${LL_TARGET_MS:-1000}"
OUT="${OUT:-/tmp/sluice-bench/hls-$(date +%Y%m%d-%H%M%S)}"
STAMP=1

nginx=1; ts=1; ll=1; ns=()
for arg in "$@"; do
    case "$arg" in
        --no-nginx) nginx=0 ;;
        --no-ts) ts=0 ;;
        --no-ll) ll=0 ;;
        ''|*[!0-9]*) echo "usage: $0 [--no-nginx] [--no-ll] [--no-ts] [N ...]" >&2; exit 2 ;;
        *) ns+=("$arg") ;;
    esac
done
[[ ${#ns[@]} -gt 0 ]] || ns=(100 500)
require_binaries
mkdir -p "$OUT"
make_source
PROBE_WARMUP=6

HLS_DIR=""
bench_cleanup_extra() {
    if [[ -n "$HLS_DIR" ]]; then rm -rf "$HLS_DIR"; HLS_DIR=""; fi
}

# measure_hls NAME URL N IDLE_RSS_KIB PID...: after FILL, the load run, and
# $OUT/NAME-N.extra.json (RSS idle, bytes of segment files on tmpfs)
measure_hls() {
    local name="$1" url="$2" n="$3" idle="$4"; shift 4
    # Every server fills its segment window first, so the RSS the tool samples
    # before its viewers holds the whole stream.
    sleep "$FILL"
    measure "$name" "$url" "$n" "$@"
    # The segments nginx keeps on tmpfs are page cache, outside any RSS.
    local disk=0
    [[ -z "$HLS_DIR" ]] || disk="$(du -sb "$HLS_DIR" | cut -f1)"
    printf '{"rss_kib_idle": %s, "segment_files_bytes": %s}\n' "$idle" "$disk" >"$OUT/$name-$n.extra.json"
}

run_nginx() {
    local n="$1" idle url="http://127.0.0.1:18080/hls/s1.m3u8"
    HLS_DIR="$(mktemp -d /dev/shm/sluice-bench-nginx-hls.XXXXXX)"
    mkdir -p "$PEERS_DIR/nginx"
    sed "s|@HLS_PATH@|$HLS_DIR|g" "$PEERS/nginx-rtmp-hls.conf.in" >"$PEERS_DIR/nginx/nginx-rtmp-hls.conf"
    NGINX_CONF="$PEERS_DIR/nginx/nginx-rtmp-hls.conf" "${RUN[@]}" "$PEERS/start-nginx-rtmp.sh" >/dev/null
    NGINX_UP=1
    idle="$(rss_kib "$(nginx_master)" "$(nginx_worker)")"
    PLAY_ARGS=(--stall "$STALL")
    start_publisher "rtmp://127.0.0.1:19350/live/s1" "$(run_seconds "$n" $((FILL + 60)))" "$OUT/nginx-hls-publisher-$n.log"
    wait_live "$url" "$PROBE_WARMUP"
    measure_hls nginx-hls "$url" "$n" "$idle" "$(nginx_master)" "$(nginx_worker)"
    cleanup
}

# run_sluice N ts|ll
run_sluice() {
    local n="$1" flavour="$2" idle url name
    TMP_DATA="$(mktemp -d /tmp/sluice-bench-data.XXXXXX)"
    printf '[hls]\nflavour = "%s"\npart_target_ms = %s\nll_target_duration_ms = %s\n' \
        "$flavour" "$PART_MS" "$LL_TARGET_MS" >"$TMP_DATA/sluice.toml"
    if [[ "$flavour" = ll ]]; then
        name=sluice-ll-hls; PLAY_ARGS=(--hls ll --stall "$LL_STALL")
    else
        name=sluice-hls; PLAY_ARGS=(--stall "$STALL")
    fi
    start_sluice "$OUT/$name-$n.log" --config "$TMP_DATA/sluice.toml"
    idle="$(rss_kib "$SERVER_PID")"
    start_publisher "rtmp://127.0.0.1:$RTMP_PORT/live/s1" "$(run_seconds "$n" $((FILL + 60)))" "$OUT/$name-publisher-$n.log"
    url="http://127.0.0.1:$HTTP_PORT/live/s1.m3u8"
    wait_live "$url" "$PROBE_WARMUP"
    measure_hls "$name" "$url" "$n" "$idle" "$SERVER_PID"
    cleanup
}

print_machine
for n in "${ns[@]}"; do
    if [[ $nginx = 1 ]]; then run_nginx "$n"; sleep 1; fi
    if [[ $ts = 1 ]]; then run_sluice "$n" ts; sleep 1; fi
    if [[ $ll = 1 ]]; then run_sluice "$n" ll; sleep 1; fi
done
python3 "$here/hls_table.py" "$OUT" | tee "$OUT/table.md"
