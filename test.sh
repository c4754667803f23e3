#!/usr/bin/env bash
# Restores, builds (warnings are errors) and runs every test of the solution.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build FleetL4.sln -c Release
dotnet test FleetL4.sln -c Release --no-build --logger "console;verbosity=normal" "$@"
