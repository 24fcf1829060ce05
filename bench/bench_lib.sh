# Shared by fanout-vs-nginx.sh and hls-vs-nginx.sh (sourced, not run): the
# build's binaries, the source, free loopback ports, one server and one
# publisher at a time (remembered by PID, ended by that PID), the probe
# viewer and the measured load run.
#
# The caller sets before sourcing: here (bench/), and may set PEERS,
# SLUICE_BUILD, WARMUP, DURATION, THREADS, RAMP_RATE, NICE, PUBLISHER
# (sluice-load | ffmpeg), GOP_S; after sourcing it may set STAMP=1
# (wall-clock SEI in every frame), PLAY_ARGS (extra `sluice-load play`
# options for `measure`), and define bench_cleanup_extra.
repo="$(cd "$here/.." && pwd)"
PEERS="${PEERS:-$here/peers}"
source "$PEERS/lib.sh"   # PEERS_DIR, SRC (GOP_S), nginx_master, nginx_worker

SLUICE_BUILD="${SLUICE_BUILD:-build}"
[[ "$SLUICE_BUILD" = /* ]] || SLUICE_BUILD="$repo/$SLUICE_BUILD"
SLUICE="$SLUICE_BUILD/src/sluice"
LOAD="$SLUICE_BUILD/bench/sluice-load"
PUBLISHER="${PUBLISHER:-sluice-load}"; RAMP_RATE="${RAMP_RATE:-200}"
RUN=(); [[ -z "${NICE:-}" ]] || RUN=(nice -n "$NICE")
STAMP=0; PLAY_ARGS=()

require_binaries() {
    local bin
    for bin in "$SLUICE" "$LOAD"; do
        [[ -x "$bin" ]] || { echo "missing $bin (build: cmake --build $SLUICE_BUILD --target sluice sluice-load)" >&2; exit 2; }
    done
}

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
    if declare -F bench_cleanup_extra >/dev/null; then bench_cleanup_extra; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# make_source: the source file once, and SOURCE_KBPS (its bitrate)
make_source() {
    "$PEERS/make-src.sh" >/dev/null
    SOURCE_KBPS="$(ffprobe -v error -show_entries format=bit_rate -of csv=p=0 "$SRC" | awk '{printf "%.0f", $1 / 1000}')"
}

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
# run_seconds N SLACK: ramp + warmup + window + SLACK, a bound for a run with N viewers
run_seconds() { awk -v r="$(ramp_for "$1")" -v w="$WARMUP" -v d="$DURATION" -v s="$2" 'BEGIN { printf "%d", r + w + d + s }'; }

# start_publisher RTMP_URL SECONDS LOG: the looped source at real time
start_publisher() {
    if [[ "$PUBLISHER" = ffmpeg ]]; then
        timeout "$2" "${RUN[@]}" ffmpeg -hide_banner -nostdin -loglevel error -re -stream_loop -1 \
            -i "$SRC" -c copy -f flv "$1" >"$3" 2>&1 &
    else
        local stamp=(); [[ $STAMP = 1 ]] && stamp=(--stamp-wallclock)
        "${RUN[@]}" "$LOAD" publish "$1" --file "$SRC" --loop --duration "$2" "${stamp[@]}" >"$3" 2>&1 &
    fi
    PUBLISHER_PID=$!
}

# start_sluice LOG [serve options...]: sluice on free loopback ports (API on a
# free port, no metrics listener, so no fixed port can clash), a temporary
# data dir; sets SERVER_PID, RTMP_PORT, HTTP_PORT, TMP_DATA
start_sluice() {
    local log="$1"; shift
    RTMP_PORT="$(free_port)"; HTTP_PORT="$(free_port)"
    [[ -n "$TMP_DATA" ]] || TMP_DATA="$(mktemp -d /tmp/sluice-bench-data.XXXXXX)"
    "${RUN[@]}" "$SLUICE" serve "$@" --rtmp-listen "127.0.0.1:$RTMP_PORT" \
        --http-listen "127.0.0.1:$HTTP_PORT" --api-listen 127.0.0.1:0 --metrics-listen off \
        --data-dir "$TMP_DATA" --log-level warn >"$log" 2>&1 &
    SERVER_PID=$!
    wait_port "$RTMP_PORT"; wait_port "$HTTP_PORT"
}

# wait_live URL PROBE_WARMUP_S: one short probe viewer (with PLAY_ARGS) until
# it gets media (bounded: 5 tries)
wait_live() {
    for _ in 1 2 3 4 5; do
        kill -0 "$PUBLISHER_PID" 2>/dev/null || { echo "publisher died" >&2; return 1; }
        if timeout $(($2 + 20)) "$LOAD" play "$1" "${PLAY_ARGS[@]}" -n 1 --ramp 0 --warmup "$2" \
            --duration 0.5 --json >/dev/null 2>&1; then
            return 0
        fi
        sleep 1
    done
    echo "stream $1 never went live" >&2; return 1
}

# measure NAME URL N PID...: the load run (with PLAY_ARGS), JSON to $OUT/NAME-N.json
measure() {
    local name="$1" url="$2" n="$3" pids=() pid ramp; shift 3
    for pid in "$@"; do pids+=(--server-pid "$pid"); done
    ramp="$(ramp_for "$n")"
    echo "  $name N=$n: server pids $*, ramp ${ramp}s, warmup ${WARMUP}s, window ${DURATION}s" >&2
    timeout "$(run_seconds "$n" 60)" \
        "${RUN[@]}" "$LOAD" play "$url" "${PLAY_ARGS[@]}" -n "$n" --ramp "$ramp" --warmup "$WARMUP" \
        --duration "$DURATION" --threads "$THREADS" --source-kbps "$SOURCE_KBPS" "${pids[@]}" \
        --json --dump "$OUT/$name-$n.sessions.jsonl" >"$OUT/$name-$n.json" ||
        echo "  $name N=$n: load run failed (rc $?), see $OUT/$name-$n.json" >&2
}

print_machine() {
    echo "results in $OUT (source ${SOURCE_KBPS} kbit/s, GOP ${GOP_S} s, publisher $PUBLISHER, $(nproc) cores shared by server, publisher and load tool${NICE:+, nice $NICE})" >&2
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
}
