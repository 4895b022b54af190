#!/usr/bin/env bash
# Runs the cargo-fuzz targets for a bounded time each, then prints how many inputs each one
# executed. Exits non-zero on the first crash (a panic, an overflow, a sanitizer report or a
# timeout), leaving the input in fuzz/artifacts/TARGET/ and the full log in fuzz/artifacts/.
#
#   scripts/fuzz.sh SECONDS [TARGET...]      default targets: validators decoders
#
# New inputs that reach new code are kept in fuzz/corpus/TARGET/ (not committed); the
# committed seeds in fuzz/seeds/TARGET/ are read every run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: scripts/fuzz.sh SECONDS [TARGET...]}
shift
[ $# -gt 0 ] || set -- validators decoders
scripts/bootstrap.sh fuzz
FUZZ_ENV= FUZZ_FLAGS=
. .tools/fuzz.env
export PATH="$PWD/.tools/bin:$PATH"
mkdir -p fuzz/artifacts
summary=()
for target in "$@"; do
  mkdir -p "fuzz/corpus/$target"
  log=fuzz/artifacts/$target.log
  echo "fuzz: $target for ${seconds}s ($FUZZ_ENV cargo fuzz run $FUZZ_FLAGS; log in $log)"
  rc=0
  # shellcheck disable=SC2086 # FUZZ_ENV and FUZZ_FLAGS are word lists
  env $FUZZ_ENV cargo fuzz run $FUZZ_FLAGS "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  if [ "$rc" -ne 0 ]; then
    grep -E -A12 'panicked at|ERROR:|SUMMARY' "$log" | head -60 >&2 || tail -40 "$log" >&2
    grep -E 'Test unit written|cargo fuzz run|cargo fuzz tmin' "$log" >&2 || true
    echo "fuzz: $target FAILED after ${execs:-?} executions (exit $rc); full log: $log" >&2
    exit 1
  fi
  grep -E '^#[0-9]+[[:space:]]+DONE' "$log" || true
  summary+=("$target: ${execs:-?} executions in ${seconds}s (${rate:-?}/s), no crash")
done
printf 'fuzz: %s\n' "${summary[@]}"
