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
repo="$(cd "$here/.." && pwd)"
PEERS="${PEERS:-$here/peers}"
source "$PEERS/lib.sh"   # PEERS_DIR, SRC, nginx_master, nginx_worker

SLUICE_BUILD="${SLUICE_BUILD:-build}"
[[ "$SLUICE_BUILD" = /* ]] || SLUICE_BUILD="$repo/$SLUICE_BUILD"
SLUICE="$SLUICE_BUILD/src/sluice"
LOAD="$SLUICE_BUILD/bench/sluice-load"
WARMUP="${WARMUP:-5}"; DURATION="${DURATION:-20}"; THREADS="${THREADS:-1}"
PUBLISHER="${PUBLISHER:-sluice-load}"; RAMP_RATE="${RAMP_RATE:-200}"
RUN=(); [[ -z "${NICE:-}" ]] || RUN=(nice -n "$NICE")
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
for bin in "$SLUICE" "$LOAD"; do
    [[ -x "$bin" ]] || { echo "missing $bin (build: cmake --build $SLUICE_BUILD --target sluice sluice-load)" >&2; exit 2; }
done
mkdir -p "$OUT"

SERVER_PID=""; PUBLISHER_PID=""; NGINX_UP=0; TMP_DATA=""
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

# start_publisher RTMP_URL SECONDS LOG
start_publisher() {
    if [[ "$PUBLISHER" = ffmpeg ]]; then
        timeout "$2" "${RUN[@]}" ffmpeg -hide_banner -nostdin -loglevel error -re -stream_loop -1 \
            -i "$SRC" -c copy -f flv "$1" >"$3" 2>&1 &
    else
        "${RUN[@]}" "$LOAD" publish "$1" --file "$SRC" --loop --duration "$2" >"$3" 2>&1 &
    fi
    PUBLISHER_PID=$!
}

# wait_live URL: one short probe viewer until it sees video (bounded: 5 tries)
wait_live() {
    for _ in 1 2 3 4 5; do
        kill -0 "$PUBLISHER_PID" 2>/dev/null || { echo "publisher died" >&2; return 1; }
        if timeout 20 "$LOAD" play "$1" -n 1 --ramp 0 --warmup 3 --duration 0.5 --json >/dev/null 2>&1; then
            return 0
        fi
        sleep 1
    done
    echo "stream $1 never went live" >&2; return 1
}

ramp_for() { awk -v n="$1" -v rate="$RAMP_RATE" 'BEGIN { r = n / rate; if (r < 1) r = 1; print r }'; }

# measure NAME URL N PID... : the load run, JSON to $OUT/NAME-N.json
measure() {
    local name="$1" url="$2" n="$3"; shift 3
    local pids=() pid ramp
    for pid in "$@"; do pids+=(--server-pid "$pid"); done
    ramp="$(ramp_for "$n")"
    echo "  $name N=$n: server pids $*, ramp ${ramp}s, warmup ${WARMUP}s, window ${DURATION}s" >&2
    timeout "$(awk -v r="$ramp" -v w="$WARMUP" -v d="$DURATION" 'BEGIN { printf "%d", r + w + d + 60 }')" \
        "${RUN[@]}" "$LOAD" play "$url" -n "$n" --ramp "$ramp" --warmup "$WARMUP" --duration "$DURATION" \
        --threads "$THREADS" --source-kbps "$SOURCE_KBPS" "${pids[@]}" \
        --json --dump "$OUT/$name-$n.sessions.jsonl" >"$OUT/$name-$n.json" ||
        echo "  $name N=$n: load run failed (rc $?), see $OUT/$name-$n.json" >&2
}

pub_seconds() { awk -v r="$(ramp_for "$1")" -v w="$WARMUP" -v d="$DURATION" 'BEGIN { printf "%d", r + w + d + 40 }'; }

run_nginx() {
    local n="$1" url="rtmp://127.0.0.1:19350/live/s1"
    "${RUN[@]}" "$PEERS/start-nginx-rtmp.sh" >/dev/null
    NGINX_UP=1
    start_publisher "$url" "$(pub_seconds "$n")" "$OUT/nginx-publisher-$n.log"
    wait_live "$url"
    measure nginx-rtmp "$url" "$n" "$(nginx_master)" "$(nginx_worker)"
    cleanup
}

# run_sluice N rtmp|http-flv [play-auth]
run_sluice() {
    local n="$1" kind="$2" auth="${3:-}" rtmp_port http_port url name="sluice-$2" config=()
    rtmp_port="$(free_port)"; http_port="$(free_port)"
    TMP_DATA="$(mktemp -d /tmp/sluice-bench-data.XXXXXX)"
    if [[ -n "$auth" ]]; then
        name="$name-play-auth"
        printf '[[vhost]]\nname = "__defaultVhost__"\nplay_key = "bench-play-key"\n' >"$TMP_DATA/sluice.toml"
        config=(--config "$TMP_DATA/sluice.toml")
    fi
    # API on a free port and no metrics listener, so no fixed port can clash.
    "${RUN[@]}" "$SLUICE" serve "${config[@]}" --rtmp-listen "127.0.0.1:$rtmp_port" \
        --http-listen "127.0.0.1:$http_port" --api-listen 127.0.0.1:0 --metrics-listen off \
        --data-dir "$TMP_DATA" --log-level warn >"$OUT/$name-$n.log" 2>&1 &
    SERVER_PID=$!
    wait_port "$rtmp_port"; wait_port "$http_port"
    start_publisher "rtmp://127.0.0.1:$rtmp_port/live/s1" "$(pub_seconds "$n")" "$OUT/$name-publisher-$n.log"
    if [[ -n "$auth" ]]; then
        # One signed URL (an hour) for every viewer: each play is still checked.
        local urls
        mapfile -t urls < <("$SLUICE" play-url live/s1 --key bench-play-key --for 1h \
            --rtmp-address "127.0.0.1:$rtmp_port" --http-address "127.0.0.1:$http_port")
        if [[ "$kind" = rtmp ]]; then url="${urls[0]}"; else url="${urls[1]}"; fi
    elif [[ "$kind" = rtmp ]]; then url="rtmp://127.0.0.1:$rtmp_port/live/s1"
    else url="http://127.0.0.1:$http_port/live/s1.flv"; fi
    wait_live "$url"
    measure "$name" "$url" "$n" "$SERVER_PID"
    cleanup
}

echo "results in $OUT (source ${SOURCE_KBPS} kbit/s, publisher $PUBLISHER, $(nproc) cores shared by server and load tool${NICE:+, nice $NICE})" >&2
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for n in "${ns[@]}"; do
    if [[ $nginx = 1 ]]; then run_nginx "$n"; sleep 1; fi
    run_sluice "$n" rtmp; sleep 1
    if [[ $play_auth = 1 ]]; then run_sluice "$n" rtmp play-auth; sleep 1; fi
    if [[ $http_flv = 1 ]]; then run_sluice "$n" http-flv; sleep 1; fi
    if [[ $http_flv = 1 && $play_auth = 1 ]]; then run_sluice "$n" http-flv play-auth; sleep 1; fi
done
python3 "$here/fanout_table.py" "$OUT" | tee "$OUT/table.md"
