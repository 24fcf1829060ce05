#!/usr/bin/env bash
# HLS (classic, MPEG-TS) on loopback: sluice against nginx-rtmp's `hls` module
# (nginx writes segments into a tmpfs directory and serves them as static
# files). One publisher stamping wall-clock time into every video frame, N HLS
# players (sluice-load play URL.m3u8), one server at a time, a fresh server
# for every point.
#
#   bench/hls-vs-nginx.sh [--no-nginx] [N ...]          default N: 100 500
#
# env: SLUICE_BUILD (build), FILL (16 s from the stream's first segment to the
#      first viewer: the segment window fills), WARMUP (10), DURATION (30), STALL (5: a gap
#      between segments longer than this is a stall), RAMP_RATE (200 viewers/s),
#      THREADS (load tool io threads, 2: one thread could not read 500 HLS
#      viewers' segments on a busy 2-core machine), NICE, OUT (/tmp/sluice-bench/hls-<timestamp>), PEERS_DIR (/tmp/peers)
# Per point: ~10 s of start-up and probe + FILL + ramp + WARMUP + DURATION.
# Everything it starts is remembered by PID and ended by that PID on exit.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
PEERS="${PEERS:-$here/peers}"
source "$PEERS/lib.sh"   # PEERS_DIR, SRC, nginx_master, nginx_worker

SLUICE_BUILD="${SLUICE_BUILD:-build}"
[[ "$SLUICE_BUILD" = /* ]] || SLUICE_BUILD="$repo/$SLUICE_BUILD"
SLUICE="$SLUICE_BUILD/src/sluice"
LOAD="$SLUICE_BUILD/bench/sluice-load"
FILL="${FILL:-16}"; WARMUP="${WARMUP:-10}"; DURATION="${DURATION:-30}"; STALL="${STALL:-5}"; THREADS="${THREADS:-2}"; RAMP_RATE="${RAMP_RATE:-200}"
RUN=(); [[ -z "${NICE:-}" ]] || RUN=(nice -n "$NICE")
OUT="${OUT:-/tmp/sluice-bench/hls-$(date +%Y%m%d-%H%M%S)}"

nginx=1; ns=()
for arg in "$@"; do
    case "$arg" in
        --no-nginx) nginx=0 ;;
        ''|*[!0-9]*) echo "usage: $0 [--no-nginx] [N ...]" >&2; exit 2 ;;
        *) ns+=("$arg") ;;
    esac
done
[[ ${#ns[@]} -gt 0 ]] || ns=(100 500)
for bin in "$SLUICE" "$LOAD"; do
    [[ -x "$bin" ]] || { echo "missing $bin (build: cmake --build $SLUICE_BUILD --target sluice sluice-load)" >&2; exit 2; }
done
mkdir -p "$OUT"

SERVER_PID=""; PUBLISHER_PID=""; NGINX_UP=0; TMP_DATA=""; HLS_DIR=""
cleanup() {
    local pid
    for pid in "$PUBLISHER_PID" "$SERVER_PID"; do
        if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -KILL "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    PUBLISHER_PID=""; SERVER_PID=""
    if [[ $NGINX_UP = 1 ]]; then "$PEERS/stop-nginx-rtmp.sh" >/dev/null 2>&1 || true; NGINX_UP=0; fi
    if [[ -n "$TMP_DATA" ]]; then rm -rf "$TMP_DATA"; TMP_DATA=""; fi
    if [[ -n "$HLS_DIR" ]]; then rm -rf "$HLS_DIR"; HLS_DIR=""; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$PEERS/make-src.sh" >/dev/null
SOURCE_KBPS="$(ffprobe -v error -show_entries format=bit_rate -of csv=p=0 "$SRC" | awk '{printf "%.0f", $1 / 1000}')"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() {  # bounded: 5 s
    for _ in $(seq 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    echo "nothing listening on 127.0.0.1:$1" >&2; return 1
}
rss_kib() {  # summed VmRSS of the pids
    local total=0 pid v
    for pid in "$@"; do v="$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")"; total=$((total + v)); done
    echo "$total"
}
ramp_for() { awk -v n="$1" -v rate="$RAMP_RATE" 'BEGIN { r = n / rate; if (r < 1) r = 1; print r }'; }
pub_seconds() { awk -v r="$(ramp_for "$1")" -v w="$WARMUP" -v d="$DURATION" 'BEGIN { printf "%d", r + w + d + 60 }'; }

# start_publisher RTMP_URL SECONDS LOG: the bench's publisher, wall clock in every frame
start_publisher() {
    "${RUN[@]}" "$LOAD" publish "$1" --file "$SRC" --loop --duration "$2" --stamp-wallclock >"$3" 2>&1 &
    PUBLISHER_PID=$!
}

# wait_live URL: one probe player until it gets a segment (bounded: 5 tries)
wait_live() {
    for _ in 1 2 3 4 5; do
        kill -0 "$PUBLISHER_PID" 2>/dev/null || { echo "publisher died" >&2; return 1; }
        if timeout 30 "$LOAD" play "$1" -n 1 --ramp 0 --warmup 6 --duration 0.5 --json >/dev/null 2>&1; then
            return 0
        fi
        sleep 1
    done
    echo "stream $1 never went live" >&2; return 1
}

# measure NAME URL N IDLE_RSS_KIB PID...: JSON to $OUT/NAME-N.json
measure() {
    local name="$1" url="$2" n="$3" idle="$4" pids=() pid ramp; shift 4
    # Both servers fill their window of 7 x 2 s segments first, so the RSS the
    # tool samples before its viewers holds the whole stream.
    sleep "$FILL"
    for pid in "$@"; do pids+=(--server-pid "$pid"); done
    ramp="$(ramp_for "$n")"
    echo "  $name N=$n: server pids $*, ramp ${ramp}s, warmup ${WARMUP}s, window ${DURATION}s" >&2
    timeout "$(awk -v r="$ramp" -v w="$WARMUP" -v d="$DURATION" 'BEGIN { printf "%d", r + w + d + 60 }')" \
        "${RUN[@]}" "$LOAD" play "$url" -n "$n" --ramp "$ramp" --warmup "$WARMUP" --duration "$DURATION" \
        --stall "$STALL" --threads "$THREADS" --source-kbps "$SOURCE_KBPS" "${pids[@]}" \
        --json --dump "$OUT/$name-$n.sessions.jsonl" >"$OUT/$name-$n.json" ||
        echo "  $name N=$n: load run failed (rc $?), see $OUT/$name-$n.json" >&2
    # The server's memory before the stream, and the segments it keeps on tmpfs
    # (page cache, outside any RSS), for the memory per stream.
    local disk=0
    [[ -z "$HLS_DIR" ]] || disk="$(du -sb "$HLS_DIR" | cut -f1)"
    printf '{"rss_kib_idle": %s, "segment_files_bytes": %s}\n' "$idle" "$disk" >"$OUT/$name-$n.extra.json"
}

run_nginx() {
    local n="$1" idle
    HLS_DIR="$(mktemp -d /dev/shm/sluice-bench-nginx-hls.XXXXXX)"
    mkdir -p "$PEERS_DIR/nginx"
    sed "s|@HLS_PATH@|$HLS_DIR|g" "$PEERS/nginx-rtmp-hls.conf.in" >"$PEERS_DIR/nginx/nginx-rtmp-hls.conf"
    NGINX_CONF="$PEERS_DIR/nginx/nginx-rtmp-hls.conf" "${RUN[@]}" "$PEERS/start-nginx-rtmp.sh" >/dev/null
    NGINX_UP=1
    idle="$(rss_kib "$(nginx_master)" "$(nginx_worker)")"
    start_publisher "rtmp://127.0.0.1:19350/live/s1" "$(pub_seconds "$n")" "$OUT/nginx-hls-publisher-$n.log"
    wait_live "http://127.0.0.1:18080/hls/s1.m3u8"
    measure nginx-hls "http://127.0.0.1:18080/hls/s1.m3u8" "$n" "$idle" "$(nginx_master)" "$(nginx_worker)"
    cleanup
}

run_sluice() {
    local n="$1" rtmp_port http_port idle url
    rtmp_port="$(free_port)"; http_port="$(free_port)"
    TMP_DATA="$(mktemp -d /tmp/sluice-bench-data.XXXXXX)"
    "${RUN[@]}" "$SLUICE" serve --rtmp-listen "127.0.0.1:$rtmp_port" \
        --http-listen "127.0.0.1:$http_port" --api-listen 127.0.0.1:0 --metrics-listen off \
        --data-dir "$TMP_DATA" --log-level warn >"$OUT/sluice-hls-$n.log" 2>&1 &
    SERVER_PID=$!
    wait_port "$rtmp_port"; wait_port "$http_port"
    idle="$(rss_kib "$SERVER_PID")"
    start_publisher "rtmp://127.0.0.1:$rtmp_port/live/s1" "$(pub_seconds "$n")" "$OUT/sluice-hls-publisher-$n.log"
    url="http://127.0.0.1:$http_port/live/s1.m3u8"
    wait_live "$url"
    measure sluice-hls "$url" "$n" "$idle" "$SERVER_PID"
    cleanup
}

echo "results in $OUT (source ${SOURCE_KBPS} kbit/s, $(nproc) cores shared by server, publisher and load tool${NICE:+, nice $NICE})" >&2
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for n in "${ns[@]}"; do
    if [[ $nginx = 1 ]]; then run_nginx "$n"; sleep 1; fi
    run_sluice "$n"; sleep 1
done
python3 "$here/hls_table.py" "$OUT" | tee "$OUT/table.md"
