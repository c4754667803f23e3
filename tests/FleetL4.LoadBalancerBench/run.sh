#!/usr/bin/env bash
# FleetL4's local L4 load balancer against HAProxy (mode tcp, roundrobin) on loopback. Each piece is a process of
# its own: two HTTP backends, FleetL4's balancer (shipped defaults), HAProxy; wrk is the load. Rounds alternate
# FleetL4 and HAProxy (keep-alive, then Connection: close), with one backend direct as the ceiling; the summary is
# the median with min-max over rounds and the FleetL4/HAProxy ratio of medians. Every wrk output and the summary
# go to benchmarks/results/load-balancer/<UTC time>/.
# Usage: tests/FleetL4.LoadBalancerBench/run.sh [ROUNDS] [SECONDS]     (installs haproxy and wrk from Debian if missing)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-5}
duration=${2:-10}
# Blocks the test suite (127.128-254.x, LoopbackBlock) and the --demo hub (127.0.6x, 127.0.100) do not use.
backend_ips=(127.0.70.1 127.0.70.2)
fleet_ip=127.0.71.1
haproxy_ip=127.0.72.1
min_share=10 # percent: a run where a backend served less than this is flagged

if ! command -v haproxy >/dev/null || ! command -v wrk >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy wrk >/dev/null
fi
dotnet build tests/FleetL4.LoadBalancerBench -c Release -v q -nologo >/dev/null
bench=(dotnet tests/FleetL4.LoadBalancerBench/bin/Release/net10.0/FleetL4.LoadBalancerBench.dll)

out=benchmarks/results/load-balancer/$(date -u +%Y-%m-%dT%H-%M-%SZ)
mkdir -p "$out"
work=$(mktemp -d)
pids=()
wrk_pid=""
cleanup() {
  # Only the processes this script started, by id; each exits cleanly on SIGTERM.
  if [[ -n $wrk_pid ]]; then kill -TERM "$wrk_pid" 2>/dev/null || true; fi
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# A TCP port below the ephemeral range that no socket on this machine uses, on any address.
free_port() {
  local port
  for _ in $(seq 200); do
    port=$((20000 + RANDOM % 12000))
    [[ -z $(ss -Htan "( sport = :$port )") ]] && { echo "$port"; return; }
  done
  echo "no free port" >&2; return 1
}

# Waits (with a deadline) for a READY line in a process' output and prints it.
ready() { # file pid
  for _ in $(seq 300); do
    grep -m1 READY "$1" 2>/dev/null && return
    kill -0 "$2" 2>/dev/null || { echo "process $2 died: $(cat "$1")" >&2; return 1; }
    sleep 0.1
  done
  echo "no READY in $1 after 30 s" >&2; return 1
}

# Backends: the first takes a free port, the second the same port on its address (FleetL4 sends to one backend port).
backend_port=0
for i in "${!backend_ips[@]}"; do
  "${bench[@]}" backend "${backend_ips[$i]}" "$backend_port" >"$work/backend$i.out" 2>&1 &
  pids+=($!)
  line=$(ready "$work/backend$i.out" $!)
  backend_port=$(sed -E 's/.*port=([0-9]+).*/\1/' <<<"$line")
done

fleet_port=$(free_port)
"${bench[@]}" balancer "$fleet_ip" "$fleet_port" "$backend_port" "${backend_ips[@]}" >"$work/fleet.out" 2>&1 &
pids+=($!)
ready "$work/fleet.out" $! >/dev/null

haproxy_port=$(free_port)
{
  printf 'global\n  maxconn 4096\ndefaults\n  mode tcp\n  timeout connect 5s\n  timeout client 60s\n  timeout server 60s\n'
  printf 'frontend fe\n  bind %s:%s\n  default_backend be\nbackend be\n  balance roundrobin\n' "$haproxy_ip" "$haproxy_port"
  for i in "${!backend_ips[@]}"; do printf '  server b%d %s:%s\n' "$i" "${backend_ips[$i]}" "$backend_port"; done
} >"$out/haproxy.cfg"
haproxy -db -f "$out/haproxy.cfg" >"$work/haproxy.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [[ -n $(ss -Htln "( sport = :$haproxy_port )") ]] && break; sleep 0.1; done
[[ -n $(ss -Htln "( sport = :$haproxy_port )") ]] || { echo "haproxy did not listen: $(cat "$work/haproxy.out")" >&2; exit 1; }

counts() { for ip in "${backend_ips[@]}"; do curl -sf "http://$ip:$backend_port/count"; echo -n ' '; done; echo; }
to_ms() { awk '{v=$1; if (v ~ /us$/) v/=1000; else if (v ~ /ms$/) v+=0; else if (v ~ /s$/) v*=1000; printf "%.2f", v}' <<<"$1"; }

targets=(
  "FleetL4|$fleet_ip:$fleet_port"
  "HAProxy|$haproxy_ip:$haproxy_port"
  "direct|${backend_ips[0]}:$backend_port"
)
{
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), $(haproxy -v | head -1 | cut -d' ' -f1-3), wrk $(wrk -v 2>&1 | head -1 | cut -d' ' -f2), dotnet $(dotnet --version)"
  echo "load: wrk -t2 -c64 -d${duration}s --latency; $rounds rounds; backends ${backend_ips[*]} port $backend_port; FleetL4 $fleet_ip:$fleet_port; HAProxy $haproxy_ip:$haproxy_port"
  echo "started: $(date -u +%FT%TZ), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$out/machine.txt"
cat "$out/machine.txt"

printf 'round\tpath\tmode\treq_per_s\tp99_ms\tsocket_errors\tnon_2xx_3xx\tshares\tloadavg\tflag\n' >"$out/results.tsv"
for round in $(seq "$rounds"); do
  for mode in keep-alive close; do
    for target in "${targets[@]}"; do
      name=${target%%|*}; address=${target#*|}
      file="$out/r$round-$name-$mode.txt"
      extra=(); if [[ $mode == close ]]; then extra=(-H "Connection: close"); fi
      read -ra before < <(counts)
      wrk -t2 -c64 -d"${duration}s" --latency "${extra[@]}" "http://$address/" >"$file" &
      wrk_pid=$!
      sleep $((duration / 2)) # a snapshot (top, over 0.5 s) of what else ran mid-run: other engineers' builds share these cores
      { echo "== round $round $name $mode $(date -u +%T)"; top -b -c -n2 -d0.5 -w 160 | awk '/^top -/ {f++} f == 2' | sed -n '1,3p;7,16p' || true; } >>"$out/cpu-mid-run.txt"
      wait "$wrk_pid"
      wrk_pid=""
      read -ra after < <(counts)
      rps=$(awk '/Requests\/sec/ {print $2}' "$file")
      p99=$(to_ms "$(awk '$1=="99%" {print $2}' "$file")")
      socket_errors=$(awk '/Socket errors/ {gsub(",", ""); print $4+$6+$8+$10}' "$file"); socket_errors=${socket_errors:-0}
      non2xx=$(awk '/Non-2xx or 3xx responses/ {print $NF}' "$file"); non2xx=${non2xx:-0}
      total=0; for i in "${!backend_ips[@]}"; do total=$((total + after[i] - before[i])); done
      shares=""; flag=""
      for i in "${!backend_ips[@]}"; do
        share=$(( total > 0 ? 100 * (after[i] - before[i]) / total : 0 ))
        shares+="${shares:+/}$share"
        if [[ $name != direct && $share -lt $min_share ]]; then flag+="b$i-share-$share% "; fi
      done
      if ((socket_errors > 0)); then flag+="socket-errors "; fi
      if ((non2xx > 0)); then flag+="non-2xx "; fi
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$name" "$mode" "$rps" "$p99" "$socket_errors" "$non2xx" "$shares" \
        "$(cut -d' ' -f1 /proc/loadavg)" "${flag:-ok}" >>"$out/results.tsv"
      echo "round $round $name $mode: $rps req/s, p99 $p99 ms, errors $socket_errors/$non2xx, backend shares $shares% ${flag:+FLAGGED $flag}"
    done
  done
done
echo "finished: $(date -u +%FT%TZ), load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/machine.txt"

# Median and min-max of one column over the rounds of one path and mode.
stat() { # path mode column
  awk -F'\t' -v p="$1" -v m="$2" -v c="$3" 'NR > 1 && $2 == p && $3 == m {print $c}' "$out/results.tsv" | sort -g |
    awk '{v[NR]=$1} END {med = NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2; printf "%.2f %.2f %.2f\n", med, v[1], v[NR]}'
}
cell() { # path mode column: req/s whole, p99 to 0.01 ms
  local format='%.2f (%.2f-%.2f)'; [[ $3 == 4 ]] && format='%.0f (%.0f-%.0f)'
  read -r med lo hi < <(stat "$@"); printf "$format" "$med" "$lo" "$hi"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a / b}'; }
{
  echo "| path | keep-alive req/s | keep-alive p99 ms | Connection: close req/s | close p99 ms | flagged runs |"
  echo "|---|---|---|---|---|---|"
  for target in "${targets[@]}"; do
    name=${target%%|*}
    flagged=$(awk -F'\t' -v p="$name" 'NR > 1 && $2 == p && $10 != "ok"' "$out/results.tsv" | wc -l)
    echo "| $name | $(cell "$name" keep-alive 4) | $(cell "$name" keep-alive 5) | $(cell "$name" close 4) | $(cell "$name" close 5) | $flagged of $((2 * rounds)) |"
  done
  echo
  echo "median (min-max) over $rounds rounds of ${duration} s; FleetL4/HAProxy of medians:"
  echo
  echo "| FleetL4 / HAProxy | keep-alive | Connection: close |"
  echo "|---|---|---|"
  for metric in "req/s:4" "p99:5"; do
    col=${metric#*:}
    read -r fk _ < <(stat FleetL4 keep-alive "$col"); read -r hk _ < <(stat HAProxy keep-alive "$col")
    read -r fc _ < <(stat FleetL4 close "$col"); read -r hc _ < <(stat HAProxy close "$col")
    echo "| ${metric%%:*} | $(ratio "$fk" "$hk") | $(ratio "$fc" "$hc") |"
  done
} >"$out/summary.md"
echo
cat "$out/summary.md"
echo
echo "raw outputs: $out"
