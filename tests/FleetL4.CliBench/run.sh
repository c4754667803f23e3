#!/usr/bin/env bash
# Wall-clock latency of one `fleetl4` call against a local hub (issue 9), beside kubectl's process-start floor.
# Builds the hub and the CLI (Release), publishes the CLI ReadyToRun (framework-dependent, linux-x64), starts a hub
# with the in-memory provider on free 127.0.0.1 ports, joins a virtual cluster and applies the kuard sample, then runs
# every (variant, command) pair once per round in a shuffled order, RUNS rounds after 2 warm-up rounds, and prints
# median and p90 per pair. Everything stays on 127.0.0.1; the hub is stopped with SIGTERM at the end.
#
# Usage: tests/FleetL4.CliBench/run.sh [RUNS]            (default 20)
#   BUILD=0      skip `dotnet build` of src/Silo and src/Cli (use what bin/Release holds)
#   R2R=DIR      use this ReadyToRun publish of the CLI instead of publishing one
#   COMPOSITE=1  also publish and measure a self-contained composite ReadyToRun CLI (minutes; about 200 MB)
#   EXTRA="name=/path/to/fleetl4 ..."  more CLI executables to measure (e.g. a build of a change being tried)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-20}
warmup=2
work=$(mktemp -d /tmp/fleetl4-clibench.XXXXXX)
hub_pid=""
http_pid=""
stop() {
  if [ -n "$hub_pid" ] && kill -0 "$hub_pid" 2>/dev/null; then
    kill -TERM "$hub_pid"
    for _ in $(seq 150); do kill -0 "$hub_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  if [ -n "$http_pid" ]; then kill -TERM "$http_pid" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap stop EXIT

if [ "${BUILD:-1}" = 1 ]; then
  dotnet build src/Silo -c Release -v q -nologo >/dev/null
  dotnet build src/Cli -c Release -v q -nologo >/dev/null
fi
bin=src/Cli/bin/Release/net10.0
# A composite publish and a plain one share this folder, and publish reuses what it holds without checking which
# kind it is: a plain publish after a composite one ships composite parts, and the CLI aborts at start. Clear it first.
r2r_obj=src/Cli/obj/Release/net10.0/linux-x64/R2R
r2r=${R2R:-}
if [ -z "$r2r" ]; then
  # PublishReadyToRun is set in src/Cli/Cli.csproj; -r picks the runtime pack crossgen compiles against.
  rm -rf "$r2r_obj"
  dotnet publish src/Cli -c Release -r linux-x64 --self-contained false -v q -nologo -o "$work/r2r" >/dev/null
  r2r=$work/r2r
fi
if [ "${COMPOSITE:-0}" = 1 ]; then
  rm -rf "$r2r_obj"
  dotnet publish src/Cli -c Release -r linux-x64 --self-contained true -p:PublishReadyToRunComposite=true \
    -v q -nologo -o "$work/composite" >/dev/null
  rm -rf "$r2r_obj" # so that the next plain publish starts clean
fi

# Free loopback ports: the hub API, silo, gateway and dashboard, and the kubectl floor's HTTP server.
read -r api silo gateway dashboard kube < <(python3 - <<'EOF'
import socket
socks = [socket.socket() for _ in range(5)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
for s in socks: s.close()
EOF
)
hub=http://127.0.0.1:$api
dotnet src/Silo/bin/Release/net10.0/FleetL4.Silo.dll --Hub:ApiUrl="$hub" --Hub:SiloPort="$silo" \
  --Hub:GatewayPort="$gateway" --Hub:DashboardUrl="http://127.0.0.1:$dashboard" --FleetL4:Provider=InMemory \
  >"$work/hub.log" 2>&1 &
hub_pid=$!
for _ in $(seq 600); do grep -q "Press Ctrl+C to stop." "$work/hub.log" && break; sleep 0.1; done
grep -q "Press Ctrl+C to stop." "$work/hub.log" || { echo "the hub did not start:" >&2; tail -20 "$work/hub.log" >&2; exit 1; }

"$bin/fleetl4" --hub "$hub" cluster join m1 -l fleet.azure.com/location=eastus >/dev/null
"$bin/fleetl4" --hub "$hub" apply -f samples/kuard/kuard-export-service.yaml --cluster m1 >/dev/null 2>&1

# kubectl's floor: its process start, and one GET against a static file server (there is no API server here).
mkdir -p "$work/www"
echo '{"major":"1","minor":"32","gitVersion":"v1.32.0"}' >"$work/www/version"
python3 -m http.server "$kube" --bind 127.0.0.1 --directory "$work/www" >/dev/null 2>&1 &
http_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$kube/version" >/dev/null 2>&1 && break; sleep 0.1; done
kubectl_raw="kubectl --kubeconfig=/dev/null --cache-dir=$work/kube-cache --server=http://127.0.0.1:$kube get --raw /version"

# name|command; every command must exit 0.
cases=()
add_cli() { # variant-name, how to start the CLI
  local name=$1 start=$2
  cases+=("$name|get serviceexports -A|$start --hub $hub get serviceexports -A")
  cases+=("$name|get clusters|$start --hub $hub get clusters")
  cases+=("$name|apply -f kuard-export-service.yaml|$start --hub $hub apply -f samples/kuard/kuard-export-service.yaml --cluster m1")
  cases+=("$name|--help (no hub call)|$start --help")
}
add_cli "dotnet fleetl4.dll (build)" "dotnet $bin/fleetl4.dll"
add_cli "fleetl4 apphost (build)" "$bin/fleetl4"
add_cli "dotnet fleetl4.dll (R2R publish)" "dotnet $r2r/fleetl4.dll"
add_cli "fleetl4 apphost (R2R publish)" "$r2r/fleetl4"
if [ "${COMPOSITE:-0}" = 1 ]; then add_cli "fleetl4 (self-contained composite R2R)" "$work/composite/fleetl4"; fi
for extra in ${EXTRA:-}; do add_cli "${extra%%=*}" "${extra#*=}"; done
if command -v kubectl >/dev/null; then # the peer's floor, when it is installed
  cases+=("kubectl $(kubectl version --client -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["clientVersion"]["gitVersion"])')|version --client -o json|kubectl version --client -o json")
  cases+=("kubectl|get --raw /version (static HTTP server)|$kubectl_raw")
fi

machine="$(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), .NET SDK $(dotnet --version), runtime $(dotnet --list-runtimes | awk '/NETCore.App/ {v=$2} END {print v}')"
echo "machine: $machine"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $runs runs per command after $warmup warm-up rounds, shuffled per round"

declare -A samples
for round in $(seq $((warmup + runs))); do
  while read -r i; do
    IFS='|' read -r _ _ command <<<"${cases[$i]}"
    start=$EPOCHREALTIME
    rc=0; $command >/dev/null 2>"$work/stderr" || rc=$?
    if [ $rc -ne 0 ]; then echo "failed (exit $rc): $command" >&2; cat "$work/stderr" >&2; exit 1; fi
    end=$EPOCHREALTIME
    if [ "$round" -gt "$warmup" ]; then
      samples[$i]+="$(( (${end/[.,]/} - ${start/[.,]/}) / 100 )) " # tenths of a millisecond
    fi
  done < <(seq 0 $((${#cases[@]} - 1)) | shuf)
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| how the CLI runs | command | median | p90 | min |"
echo "|---|---|---|---|---|"
for i in $(seq 0 $((${#cases[@]} - 1))); do
  IFS='|' read -r name label _ <<<"${cases[$i]}"
  tr ' ' '\n' <<<"${samples[$i]}" | grep . | sort -n | awk -v name="$name" -v label="$label" '
    { v[NR] = $1 / 10 }
    END {
      median = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      p90 = v[int(NR * 0.9 + 0.999999)]
      printf "| %s | `%s` | %.0f ms | %.0f ms | %.0f ms |\n", name, label, median, p90, v[1]
    }'
done
