#!/usr/bin/env bash
# Restores, builds (warnings are errors) and runs every test of the solution.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build FleetL4.sln -c Release
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test FleetL4.sln -c Release --no-build --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" || status=$?
if [ "$status" -ne 0 ]; then
  # Said again at the end, where a CI log's tail shows it: each failed test with its message and stack.
  echo "=== failed tests (repeated from above) ==="
  awk '/^  Failed /{show=1} /^  (Passed|Skipped) /{show=0} show' "$log" | head -n 400
fi
exit "$status"
