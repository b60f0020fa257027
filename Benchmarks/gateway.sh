#!/usr/bin/env bash
# Gateway benchmark (issue 2): python echo through the gateway vs. a trivial Hummingbird route
# (the floor), measured in the same run with the same keep-alive client (hey).
#   Benchmarks/gateway.sh [requests]     needs: hey (apt-get install hey), a release build
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-5000}
BIN=${NIMBUS_BIN:-.build/release/nimbus}
[ -x "$BIN" ] || swift build -c release --product nimbus >/dev/null
DATA=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$DATA"' EXIT
BODY='{"message":"bench"}'

latency() {  # hey output → "p50_ms p99_ms rps"
  python3 -c '
import re, sys
text = sys.stdin.read()
p = dict(re.findall(r"\s+(\d+)%+ in ([\d.]+) secs", text))
rps = re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)
print("%.3f %.3f %.0f" % (float(p["50"]) * 1000, float(p["99"]) * 1000, float(rps)))'
}

$BIN bench-floor --port 3998 >/dev/null 2>&1 &
$BIN up Benchmarks/stack/template.yaml --port 3997 --aws-port 3996 --data-dir "$DATA" \
  --api-key k --user u --password p >/dev/null 2>&1 &
for _ in $(seq 100); do curl -sf localhost:3997/health >/dev/null && curl -sf -XPOST localhost:3998/floor >/dev/null && break; sleep 0.1; done
TOKEN=$(curl -s -XPOST localhost:3997/user/auth/v1 -H 'x-api-key: k' \
  -d '{"AuthParameters":{"USERNAME":"u","PASSWORD":"p"}}' | python3 -c 'import json,sys;print(json.load(sys.stdin)["AuthenticationResult"]["IdToken"])')
NIMBUS_PID=$(pgrep -f "up Benchmarks/stack/template.yaml --port 3997" | head -1)
IDLE_RSS_KB=$(ps -o rss= -p "$NIMBUS_PID" | tr -d ' ')

# Warm up both, then measure with one keep-alive connection.
hey -n 500 -c 1 -m POST -d "$BODY" http://127.0.0.1:3998/floor >/dev/null
hey -n 500 -c 1 -m POST -H "Authorization: Bearer $TOKEN" -d "$BODY" http://127.0.0.1:3997/echo >/dev/null
read -r F50 F99 FRPS < <(hey -n "$N" -c 1 -m POST -d "$BODY" http://127.0.0.1:3998/floor | latency)
read -r N50 N99 NRPS < <(hey -n "$N" -c 1 -m POST -H "Authorization: Bearer $TOKEN" -d "$BODY" http://127.0.0.1:3997/echo | latency)
kill "$NIMBUS_PID"; wait "$NIMBUS_PID" 2>/dev/null || true

# Cold starts: idle timeout 0.2 s, so after 0.6 s of quiet the next request starts a worker.
# Measured with the zygote (workers fork from a started interpreter) and without it (every
# worker starts python), in the same run; the first request of each stack is left out (it
# starts the zygote, and its worker directly).
cold_starts() {  # port, extra flags → "p50_ms p99_ms"
  local port=$1; shift
  $BIN up Benchmarks/stack/template.yaml --port "$port" --aws-port $((port - 1)) --data-dir "$DATA" --no-auth --idle-timeout 0.2 "$@" >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 100); do curl -sf "localhost:$port/health" >/dev/null && break; sleep 0.1; done
  curl -s -o /dev/null -XPOST "localhost:$port/echo" -d "$BODY"
  local samples=()
  for _ in $(seq "${COLD_RUNS:-30}"); do
    sleep 0.6
    samples+=("$(curl -s -o /dev/null -w '%{time_total}' -XPOST "localhost:$port/echo" -d "$BODY")")
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  printf '%s\n' "${samples[@]}" | sort -n | awk '{a[NR]=$1*1000} END {i=int(NR*0.99+0.999); printf "%.1f %.1f\n", a[int((NR+1)/2)], a[(i>NR)?NR:i]}'
}
read -r Z50 Z99 < <(cold_starts 3995 --zygote on)
read -r D50 D99 < <(cold_starts 3993 --zygote off)

python3 - "$F50" "$F99" "$FRPS" "$N50" "$N99" "$NRPS" "$Z50" "$Z99" "$D50" "$D99" "$IDLE_RSS_KB" "$N" "${COLD_RUNS:-30}" <<'PY'
import sys
f50, f99, frps, n50, n99, nrps, z50, z99, d50, d99, rss, n, runs = sys.argv[1:]
z50, z99, d50, d99 = map(float, (z50, z99, d50, d99))
f50, f99, n50, n99 = map(float, (f50, f99, n50, n99))
print(f"requests per run: {n}, concurrency 1, keep-alive (hey)")
print(f"| measure | floor (Hummingbird route) | Nimbus python echo | ratio / overhead |")
print(f"| --- | --- | --- | --- |")
print(f"| p50 latency | {f50:.3f} ms | {n50:.3f} ms | {n50/f50:.1f}x, +{n50-f50:.3f} ms (target ≤ +0.5 ms) |")
print(f"| p99 latency | {f99:.3f} ms | {n99:.3f} ms | {n99/f99:.1f}x |")
print(f"| requests/s | {frps} | {nrps} | {float(nrps)/float(frps):.2f}x |")
print(f"| cold start p50 ({runs} runs, curl total), zygote on / off | | {z50:.1f} ms / {d50:.1f} ms | {d50/z50:.1f}x faster with the zygote (target ≤ 15 ms) |")
print(f"| cold start p99, zygote on / off | | {z99:.1f} ms / {d99:.1f} ms | {d99/z99:.1f}x |")
print(f"| idle stack RSS | | {int(rss)/1024:.1f} MB | target ≤ 60 MB |")
PY
