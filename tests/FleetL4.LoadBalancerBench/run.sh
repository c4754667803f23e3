#!/usr/bin/env bash
# FleetL4's local L4 load balancer against HAProxy (mode tcp) on loopback: same backends, same load generator
# (wrk), one run. Installs haproxy and wrk from Debian if missing. Usage: tests/FleetL4.LoadBalancerBench/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-20}
if ! command -v haproxy >/dev/null || ! command -v wrk >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy wrk >/dev/null
fi
dotnet build tests/FleetL4.LoadBalancerBench -c Release -v q -nologo >/dev/null
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

mkfifo "$work/stdin"
dotnet tests/FleetL4.LoadBalancerBench/bin/Release/net10.0/FleetL4.LoadBalancerBench.dll 2 <"$work/stdin" >"$work/lb.out" &
exec 3>"$work/stdin"
for _ in $(seq 100); do grep -q READY "$work/lb.out" && break; sleep 0.1; done
ready=$(grep READY "$work/lb.out")
fleet=$(sed -E 's/.*frontend=([^ ]+).*/\1/' <<<"$ready")
backends=$(sed -E 's/.*backends=([^ ]+).*/\1/' <<<"$ready")

{
  printf 'global\n  maxconn 4096\ndefaults\n  mode tcp\n  timeout connect 5s\n  timeout client 60s\n  timeout server 60s\n'
  printf 'frontend fe\n  bind 127.0.72.1:8080\n  default_backend be\nbackend be\n  balance roundrobin\n'
  i=0; for b in ${backends//,/ }; do i=$((i+1)); printf '  server b%d %s\n' "$i" "$b"; done
} >"$work/haproxy.cfg"
haproxy -f "$work/haproxy.cfg" &
sleep 1

run() { # name url extra-args...
  local name=$1 url=$2; shift 2
  wrk -t2 -c64 -d"${duration}s" --latency "$@" "$url" >"$work/$name.txt"
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$name.txt")
  p99=$(awk '$1=="99%" {print $2}' "$work/$name.txt")
  echo "$rps $p99"
}
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), $(haproxy -v | head -1 | cut -d' ' -f1-3), wrk $(wrk -v 2>&1 | head -1 | cut -d' ' -f2)"
echo "load: wrk -t2 -c64 -d${duration}s; backends: 2 Kestrel servers ($backends)"
echo
echo "| path | keep-alive req/s | keep-alive p99 | new connections/s (Connection: close) | p99 |"
echo "|---|---|---|---|---|"
for target in "direct (one backend, no LB)|http://${backends%%,*}/" "FleetL4 local LB|http://$fleet/" "HAProxy 2.6 mode tcp|http://127.0.72.1:8080/"; do
  name=${target%%|*}; url=${target#*|}
  read -r rps p99 < <(run ka "$url")
  read -r cps cp99 < <(run close "$url" -H "Connection: close")
  echo "| $name | $rps | $p99 | $cps | $cp99 |"
done
exec 3>&-
