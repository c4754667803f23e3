#!/usr/bin/env bash
# Runs the control-plane benchmarks (built: dotnet build FleetL4.sln -c Release) and keeps their raw output, the
# command lines, the machine's facts and how busy it was under benchmarks/results/control-plane/<UTC date-time>/.
# Usage: run-results.sh [apply] [mid] [full] [mid-azurite] (default: apply mid full). Extra flags for the hub
# benchmark: BENCH_FLAGS. mid-azurite: the mid run with memory storage and with Azurite (--storage azurite),
# alternating, ROUNDS rounds (default 2); installs tests/azurite (npm ci) if it is missing.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
out="$repo/benchmarks/results/control-plane/$(date -u +%Y-%m-%dT%H%MZ)"
mkdir -p "$out"
dll="$repo/tests/FleetL4.Benchmarks/bin/Release/net10.0/FleetL4.Benchmarks.dll"
child=""
trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; wait' INT TERM

{
  echo "nproc: $(nproc)"
  free -h
  uname -sr
  echo "dotnet --version: $(dotnet --version)"
  grep -m1 "model name" /proc/cpuinfo || true
  echo "commit: $(git -C "$repo" rev-parse HEAD)"
} > "$out/machine.txt"

# One run: its stdout+stderr to NAME.txt; the load average and the busiest other processes before and after to load.txt.
run() {
  local name=$1; shift
  echo "dotnet ${dll#"$repo/"} $*" >> "$out/commands.txt"
  { echo "== $name start $(date -u +%FT%TZ) loadavg $(cat /proc/loadavg)"; ps -eo pcpu,etime,comm --sort=-pcpu | head -6; } >> "$out/load.txt"
  dotnet "$dll" "$@" > "$out/$name.txt" 2>&1 &
  child=$!
  local rc=0
  wait "$child" || rc=$?
  child=""
  { echo "== $name end $(date -u +%FT%TZ) exit $rc loadavg $(cat /proc/loadavg)"; ps -eo pcpu,etime,comm --sort=-pcpu | head -6; } >> "$out/load.txt"
}

mid=(--clusters 20 --services 200 --endpoints 10 --updates 30000 --warmup-seconds 35 --latency-samples 1000)
full=(--clusters 100 --services 1000 --endpoints 10 --updates 200000 --warmup-seconds 35 --latency-samples 1000 --load-clusters 4)
for what in "${@:-apply mid full}"; do
  for w in $what; do
    case $w in
      apply) run apply-to-route apply-to-route --rounds 20 --logs "$out/apply-to-route-logs" ;;
      mid)
        run mid-default "${mid[@]}" ${BENCH_FLAGS:-}
        run mid-window0 "${mid[@]}" --coalescing-window 00:00:00 ${BENCH_FLAGS:-} ;;
      full) run full-default "${full[@]}" ${BENCH_FLAGS:-} ;;
      mid-azurite)
        [ -x "$repo/tests/azurite/node_modules/.bin/azurite" ] || npm ci --prefix "$repo/tests/azurite" --no-audit --no-fund
        for r in $(seq 1 "${ROUNDS:-2}"); do
          run "mid-memory-$r" "${mid[@]}" --storage memory ${BENCH_FLAGS:-}
          run "mid-azurite-$r" "${mid[@]}" --storage azurite ${BENCH_FLAGS:-}
        done ;;
      *) echo "unknown: $w (apply, mid, full, mid-azurite)" >&2; exit 2 ;;
    esac
  done
done
echo "$out"
