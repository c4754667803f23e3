#!/usr/bin/env bash
# Time from SIGKILL of one of three hub silos (Azure Storage membership on Azurite, endpoint churn from the client)
# until every cluster, export, import and MCS answers again: SiloFaultTests' kill test, ROUNDS times (default 5).
# Built first: dotnet build FleetL4.sln -c Release. Results: benchmarks/results/silo-failure/<UTC date-time>/.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${1:-5}
out="$repo/benchmarks/results/silo-failure/$(date -u +%Y-%m-%dT%H%MZ)"
mkdir -p "$out"
{
  echo "nproc: $(nproc)"; free -h; uname -sr; echo "dotnet --version: $(dotnet --version)"
  grep -m1 "model name" /proc/cpuinfo || true; echo "commit: $(git -C "$repo" rev-parse HEAD)"
} > "$out/machine.txt"
test="FullyQualifiedName~SiloFaultTests.Killing_one_of_three_silos_mid_churn"
for i in $(seq 1 "$rounds"); do
  echo "== round $i start $(date -u +%FT%TZ) loadavg $(cat /proc/loadavg)" >> "$out/load.txt"
  dotnet test "$repo/tests/FleetL4.Tests" -c Release --no-build --filter "$test" --logger "console;verbosity=detailed" > "$out/round-$i.txt" 2>&1 || true
  echo "== round $i end $(date -u +%FT%TZ) loadavg $(cat /proc/loadavg)" >> "$out/load.txt"
  grep -h -o "every grain answered [0-9.]* s" "$out/round-$i.txt" | head -1 | tee -a "$out/answered.txt" || echo "round $i: failed (see round-$i.txt)" | tee -a "$out/answered.txt"
done
echo "results in ${out#"$repo/"}"
