#!/usr/bin/env bash
# Pool benchmark (issue 4): python echo through the gateway at concurrency 1, 8, 64 with 1, 2 and
# 4 workers (wrk: keep-alive, one thread, light enough to leave the 2 cores to Nimbus), idle
# worker memory (USS/PSS) and the stack's RSS with 0 and 50 idle workers.
#   Benchmarks/pools.sh [seconds per cell]   needs: wrk, a release build (NIMBUS_BIN)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_CELL=${1:-5}
BIN=${NIMBUS_BIN:-.build/release/nimbus}
[ -x "$BIN" ] || swift build -c release --product nimbus >/dev/null
DATA=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$DATA"' EXIT
BODY='{"message":"bench"}'

start() {  # start PORT EXTRA... → sets PID, TOKEN
  local port=$1; shift
  "$BIN" up Benchmarks/pool-stack/template.yaml --port "$port" --aws-port $((port + 1)) --data-dir "$DATA" \
    --api-key k --user u --password p "$@" >/dev/null 2>&1 &
  PID=$!
  for _ in $(seq 300); do curl -sf "localhost:$port/health" >/dev/null && break; sleep 0.1; done
  TOKEN=$(curl -s -XPOST "localhost:$port/user/auth/v1" -H 'x-api-key: k' \
    -d '{"AuthParameters":{"USERNAME":"u","PASSWORD":"p"}}' | python3 -c 'import json,sys;print(json.load(sys.stdin)["AuthenticationResult"]["IdToken"])')
}

stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; }

SCRIPT="$DATA/post.lua"
cat > "$SCRIPT" <<LUA
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
LUA

load() {  # load PORT CONNECTIONS SECONDS → wrk --latency output
  wrk -t1 -c"$2" -d"$3"s --latency -s "$SCRIPT" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$1/echo"
}

summary() {  # wrk --latency output → "rps p50_ms p99_ms non2xx"
  python3 -c '
import re, sys
text = sys.stdin.read()
def ms(label):
    value, unit = re.search(label + r"%\s+([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
errors = re.search(r"Socket errors: .*", text)
print("%.0f %.2f %.2f %d%s" % (rps, ms("50"), ms("99"), int(bad.group(1)) if bad else 0, " (" + errors.group(0) + ")" if errors else ""))'
}

echo "| workers | concurrency | requests/s | p50 ms | p99 ms | non-2xx |"
echo "| --- | --- | --- | --- | --- | --- |"
for workers in 1 2 4; do
  start 4100 --max-workers "$workers"
  load 4100 "$workers" 2 >/dev/null  # warm: every worker started
  for concurrency in 1 8 64; do
    read -r RPS P50 P99 BAD < <(load 4100 "$concurrency" "$SECONDS_PER_CELL" | summary)
    echo "| $workers | $concurrency | $RPS | $P50 | $P99 | $BAD |"
  done
  stop
done

rss_kb() { ps -o rss= -p "$1" | tr -d ' '; }
start 4200
sleep 1
RSS0=$(rss_kb "$PID")
stop
start 4200 --parameter Provisioned=50
for _ in $(seq 600); do
  ready=$(curl -s -H "Authorization: Bearer $TOKEN" localhost:4200/metrics/pools | python3 -c 'import json,sys;print(next(p["idle"] for p in json.load(sys.stdin)["pools"] if p["function_name"]=="pool-idle"))')
  [ "$ready" -ge 50 ] && break; sleep 0.2
done
sleep 1
RSS50=$(rss_kb "$PID")
python3 - "$PID" "$RSS0" "$RSS50" "$ready" <<'PY'
import os, sys
nimbus, rss0, rss50, ready = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
def children(pid):
    out = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            out += [int(c) for c in open(f"/proc/{pid}/task/{task}/children").read().split()]
        except OSError:
            pass
    return out
todo, candidates = children(nimbus), []
while todo:
    pid = todo.pop()
    todo += children(pid)
    try:
        cmd = open(f"/proc/{pid}/cmdline", "rb").read()
    except OSError:
        continue
    if (b"bootstrap.py" in cmd or b"zygote.py" in cmd) and b"python" in cmd.split(b"\0")[0]:
        candidates.append(pid)
# Forked workers carry their zygote's command line: a zygote is the candidate with candidate children.
zygotes = {pid for pid in candidates if any(child in candidates for child in children(pid))}
workers = [pid for pid in candidates if pid not in zygotes]
def rollup(pid):
    fields = {}
    for line in open(f"/proc/{pid}/smaps_rollup"):
        parts = line.split()
        if len(parts) >= 3 and parts[2] == "kB":
            fields[parts[0].rstrip(":")] = int(parts[1])
    return fields
rollups = [rollup(p) for p in workers]
uss = sorted(r.get("Private_Clean", 0) + r.get("Private_Dirty", 0) for r in rollups)
pss = sorted(r.get("Pss", 0) for r in rollups)
mid = len(uss) // 2
print()
print(f"| memory | value | target |")
print(f"| --- | --- | --- |")
print(f"| stack RSS, 0 workers | {rss0/1024:.1f} MB | ≤ 60 MB idle stack |")
print(f"| stack RSS, {ready} idle workers (Nimbus process only) | {rss50/1024:.1f} MB | |")
if uss:
    print(f"| idle python worker USS (median of {len(uss)}) | {uss[mid]/1024:.1f} MB | ≤ 12 MB |")
    print(f"| idle python worker PSS (median) | {pss[mid]/1024:.1f} MB | |")
PY
stop
