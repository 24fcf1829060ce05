#!/usr/bin/env bash
# Soak: one sluice for DURATION seconds (default 1800) under a churning
# viewer population and publishers that keep leaving and coming back, while
# its RSS, fds, CPU, threads and connections are sampled; then a verdict.
#
#   nice -n 10 bench/soak.sh            # 30 minutes; DURATION=180 for a short run
#
# Load (all on 127.0.0.1, a fresh data dir, free ports):
#  - two streams, live/s1 fed by `sluice-load publish`, live/s2 by ffmpeg -c copy,
#    both with bench/peers/make-src.sh's source (2.5 Mbit/s). Each publisher lives
#    PUB_MIN_LIFE..PUB_MAX_LIFE s (60..90), then is gone for a gap that
#    alternates between 1 s (it returns within media.unpublish_grace_ms, 5 s, even
#    with a slow start-up: the viewers stay) and 7..10 s (after the grace: the viewers
#    are closed; new viewers wait for it, up to media.play_wait_timeout_ms);
#  - `sluice-load churn`: VIEWERS (80) viewers at all times over RTMP and HTTP-FLV
#    of both streams, each living MIN_LIFE..MAX_LIFE s (5..60) and then replaced;
#    SLOW (6) of them stop reading after 3 s and stay connected until the server
#    drops them or their life ends.
# Samples every INTERVAL s (10) by bench/soak_sampler.py; bench/soak_report.py
# then writes soak.json and soak.md to OUT (default /tmp/sluice-soak/<timestamp>)
# and exits 1 if a check fails.
# env: SLUICE_BUILD (build), DURATION, VIEWERS, SLOW, MIN_LIFE, MAX_LIFE,
#      PUB_MIN_LIFE, PUB_MAX_LIFE, INTERVAL, SEED (1), OUT, PEERS_DIR (/tmp/peers)
# Everything it starts is remembered by PID and ended by that PID on exit.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
source "$here/peers/lib.sh"  # PEERS_DIR, SRC

SLUICE_BUILD="${SLUICE_BUILD:-build}"
[[ "$SLUICE_BUILD" = /* ]] || SLUICE_BUILD="$repo/$SLUICE_BUILD"
SLUICE="$SLUICE_BUILD/src/sluice"
LOAD="$SLUICE_BUILD/bench/sluice-load"
DURATION="${DURATION:-1800}"; VIEWERS="${VIEWERS:-80}"; SLOW="${SLOW:-6}"
MIN_LIFE="${MIN_LIFE:-5}"; MAX_LIFE="${MAX_LIFE:-60}"
PUB_MIN_LIFE="${PUB_MIN_LIFE:-60}"; PUB_MAX_LIFE="${PUB_MAX_LIFE:-90}"
INTERVAL="${INTERVAL:-10}"; SEED="${SEED:-1}"
GRACE_S=5  # media.unpublish_grace_ms, the default the server runs with here
OUT="${OUT:-/tmp/sluice-soak/$(date +%Y%m%d-%H%M%S)}"

for bin in "$SLUICE" "$LOAD"; do
    [[ -x "$bin" ]] || { echo "missing $bin (build: cmake --build $SLUICE_BUILD --target sluice sluice-load)" >&2; exit 2; }
done
mkdir -p "$OUT"
RANDOM="$SEED"

SERVER_PID=""; SAMPLER_PID=""; CHURN_PID=""; PUBLOOP_PIDS=(); DATA_DIR=""
stop_pid() {  # TERM, up to 5 s, then KILL
    local pid="$1"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    local pid
    stop_pid "$CHURN_PID"; CHURN_PID=""
    for pid in "${PUBLOOP_PIDS[@]}"; do stop_pid "$pid"; done
    PUBLOOP_PIDS=()
    stop_pid "$SAMPLER_PID"; SAMPLER_PID=""
    stop_pid "$SERVER_PID"; SERVER_PID=""
    if [[ -n "$DATA_DIR" ]]; then rm -rf "$DATA_DIR"; DATA_DIR=""; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$here/peers/make-src.sh" >/dev/null

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() {  # bounded: 5 s
    for _ in $(seq 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    echo "nothing listening on 127.0.0.1:$1" >&2; return 1
}
now() { date +%s.%N | cut -c1-14; }

# publisher_loop NAME KIND: publish, leave, come back, until END_AT. Runs in a
# subshell; on TERM it ends its current publisher (by PID) and exits.
publisher_loop() {
    local name="$1" kind="$2" url="rtmp://127.0.0.1:$RTMP_PORT/live/$1" cycle=0 child="" life gap left
    trap '[[ -z "$child" ]] || { kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; }; exit 0' TERM
    while :; do
        left=$(( END_AT - $(date +%s) ))
        (( left > 5 )) || break
        life=$(( PUB_MIN_LIFE + RANDOM % (PUB_MAX_LIFE - PUB_MIN_LIFE + 1) ))
        (( life < left )) || life="$left"
        if [[ "$kind" = ffmpeg ]]; then
            timeout "$life" ffmpeg -hide_banner -nostdin -loglevel error -re -stream_loop -1 \
                -i "$SRC" -c copy -f flv "$url" >>"$OUT/publisher-$name.log" 2>&1 &
        else
            "$LOAD" publish "$url" --file "$SRC" --loop --duration "$life" >>"$OUT/publisher-$name.log" 2>&1 &
        fi
        child=$!
        echo "$(now) $name start cycle=$cycle life=$life" >>"$OUT/publishers.log"
        wait "$child" || true
        child=""
        if (( cycle % 2 == 0 )); then gap=1; kind_of_gap=within_grace
        else gap=$(( GRACE_S + 2 + RANDOM % 4 )); kind_of_gap=after_grace; fi
        echo "$(now) $name stop cycle=$cycle gap=$gap $kind_of_gap" >>"$OUT/publishers.log"
        sleep "$gap" & child=$!; wait "$child" || true; child=""
        cycle=$(( cycle + 1 ))
    done
}

RTMP_PORT="$(free_port)"; HTTP_PORT="$(free_port)"; API_PORT="$(free_port)"
DATA_DIR="$(mktemp -d /tmp/sluice-soak-data.XXXXXX)"
"$SLUICE" serve --rtmp-listen "127.0.0.1:$RTMP_PORT" --http-listen "127.0.0.1:$HTTP_PORT" \
    --api-listen "127.0.0.1:$API_PORT" --data-dir "$DATA_DIR" --log-level info \
    >"$OUT/sluice.log" 2>&1 &
SERVER_PID=$!
wait_port "$RTMP_PORT"; wait_port "$HTTP_PORT"
python3 "$here/soak_sampler.py" --pid "$SERVER_PID" --out "$OUT/samples.csv" \
    --interval "$INTERVAL" --max-seconds "$(( DURATION + 300 ))" &
SAMPLER_PID=$!
echo "soak: sluice pid $SERVER_PID (rtmp $RTMP_PORT, http $HTTP_PORT), $DURATION s, $VIEWERS viewers ($SLOW slow), results in $OUT" >&2
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
sleep "$(( INTERVAL + 1 ))"  # the baseline sample: no client yet

CLIENTS_START="$(now)"
END_AT=$(( $(date +%s) + DURATION ))
publisher_loop s1 sluice-load & PUBLOOP_PIDS+=($!)
publisher_loop s2 ffmpeg & PUBLOOP_PIDS+=($!)
sleep 2  # first GOP, so the first viewers find the streams live
"$LOAD" churn "rtmp://127.0.0.1:$RTMP_PORT/live/s1" "http://127.0.0.1:$HTTP_PORT/live/s1.flv" \
    "rtmp://127.0.0.1:$RTMP_PORT/live/s2" "http://127.0.0.1:$HTTP_PORT/live/s2.flv" \
    -n "$VIEWERS" --slow "$SLOW" --min-life "$MIN_LIFE" --max-life "$MAX_LIFE" \
    --duration "$(( DURATION - 2 ))" --report-every "$INTERVAL" --seed "$SEED" >"$OUT/churn.jsonl" &
CHURN_PID=$!
wait "$CHURN_PID" || echo "churn ended with rc $?" >&2
CHURN_PID=""
for pid in "${PUBLOOP_PIDS[@]}"; do stop_pid "$pid"; done
PUBLOOP_PIDS=()
CLIENTS_END="$(now)"
echo "soak: clients gone; waiting $(( GRACE_S + 2 * INTERVAL )) s for the after-sample" >&2
sleep "$(( GRACE_S + 2 * INTERVAL ))"
stop_pid "$SAMPLER_PID"; SAMPLER_PID=""
stop_pid "$SERVER_PID"; SERVER_PID=""
cat >"$OUT/run.json" <<EOF
{"duration_s": $DURATION, "viewers": $VIEWERS, "slow": $SLOW, "min_life_s": $MIN_LIFE,
 "max_life_s": $MAX_LIFE, "pub_min_life_s": $PUB_MIN_LIFE, "pub_max_life_s": $PUB_MAX_LIFE,
 "interval_s": $INTERVAL, "grace_s": $GRACE_S, "clients_start": $CLIENTS_START,
 "clients_end": $CLIENTS_END, "cores": $(nproc), "load_average_end": "$(cut -d' ' -f1-3 /proc/loadavg)"}
EOF
python3 "$here/soak_report.py" "$OUT"
