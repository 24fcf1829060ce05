#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang++ (ASan + UBSan) and
# runs each for SECONDS (default 60) on a scratch copy of its committed seed
# corpus, one after the other, at the lowest CPU priority.
#   scripts/fuzz.sh [seconds] [target...]      e.g. scripts/fuzz.sh 600 fuzz_amf0
# SLUICE_FUZZ_RUNS=N runs each target for N executions instead of a time.
# A crash, leak or UB report stops the script with libFuzzer's output and the
# reproducer (crash-*, leak-*) in the fuzz build's artifacts/ directory;
# new inputs found along the way stay out of the repository (corpus-new/).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
seconds="${1:-60}"
shift || true
build="${SLUICE_FUZZ_BUILD_DIR:-build-fuzz}"

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DSLUICE_FUZZ=ON -DSLUICE_BUILD_TESTS=OFF -DSLUICE_BUILD_BENCH=OFF >/dev/null
nice -n 19 cmake --build "$build" -j"$(nproc)" --target fuzz_targets

targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=($(sed -n 's/^  \(fuzz_[a-z0-9_]*\)$/\1/p; s/^  \(fuzz_[a-z0-9_]*\))$/\1/p' tests/fuzz/CMakeLists.txt))
fi
limit=(-max_total_time="$seconds")
[ -n "${SLUICE_FUZZ_RUNS:-}" ] && limit=(-runs="$SLUICE_FUZZ_RUNS")

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
mkdir -p "$build/artifacts"
for target in "${targets[@]}"; do
  seeds="$root/tests/fuzz/corpus/$target"
  work="$build/corpus-new/$target"
  mkdir -p "$work"
  dict=()
  [ -f "$root/tests/fuzz/$target.dict" ] && dict=(-dict="$root/tests/fuzz/$target.dict")
  echo "fuzz.sh: $target (${limit[*]})"
  log="$build/artifacts/$target.log"
  status=0
  nice -n 19 "$build/tests/fuzz/$target" "${limit[@]}" "${dict[@]}" -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$target-" "$work" "$seeds" >"$log" 2>&1 || status=$?
  grep -aE '^(#[0-9]+ +(INITED|DONE)|stat::number_of_executed_units|stat::average_exec_per_sec)' "$log" || true
  if [ "$status" -ne 0 ]; then
    echo "fuzz.sh: $target FAILED (exit $status); full output in $log"
    tail -n 60 "$log"
    exit 1
  fi
done
echo "fuzz.sh: all targets ran clean"
