#!/usr/bin/env bash
# The status page's cost on the request path: GetCredential throughput and latency with no page
# open and with one page open (its event stream, /status/events), in alternating pairs of short
# h2load runs against one packaged service. While h2load runs, every second's usage flush updates
# the served agent, so the open page receives that agent's view once a second (what a page costs
# under load). Prints the median of the per-pair ratios (page open ÷ no page) and writes
# bench/status-page.md. Needs h2load (nghttp2-client), curl, python3 and the built jar.
set -euo pipefail
umask 077

ROUND_SECONDS="${BENCH_ROUND_SECONDS:-3}"
REPS="${BENCH_REPS:-6}"
STREAMS="${BENCH_STREAMS:-16}"
PROFILES="${BENCH_PROFILES:-20}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar=target/quarkus-app/quarkus-run.jar
[ -f "$jar" ] || mvn -B -ntp -q -DskipTests package
command -v h2load >/dev/null || { echo "h2load missing: apt-get install -y nghttp2-client" >&2; exit 1; }
work="$(mktemp -d /tmp/tokensink-status-bench.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { printf '[status-bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# agent "bench": PROFILES API keys of provider anthropic, written in the store's JSON layout
python3 - "$work/state" "$PROFILES" <<'PY'
import json, os, sys
root, n = sys.argv[1], int(sys.argv[2])
d = os.path.join(root, "agents", "bench", "agent")
os.makedirs(d, mode=0o700)
for p in (root, os.path.join(root, "agents"), os.path.join(root, "agents", "bench"), d):
    os.chmod(p, 0o700)
profiles = {f"anthropic:k{i}": {"type": "api_key", "provider": "anthropic",
            "key": f"sk-ant-api03-status-bench-{i:04d}-{'x' * 24}"} for i in range(n)}
f = os.path.join(d, "auth-profiles.json")
with open(f, "w") as out:
    json.dump({"version": 1, "profiles": profiles}, out)
os.chmod(f, 0o600)
PY

grpc_port=$(free_port); http_port=$(free_port)
java ${BENCH_SERVER_OPTS:--Xmx512m} -Dtokensink.grpc.port="$grpc_port" -Dtokensink.http.port="$http_port" \
  -Dtokensink.proxy.port=0 -jar "$jar" serve --state-dir "$work/state" > "$work/server.log" 2>&1 &
server_pid=$!; pids+=("$server_pid")
for _ in $(seq 1 900); do
  curl -fs "http://127.0.0.1:$http_port/q/health/ready" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs "http://127.0.0.1:$http_port/q/health/ready" >/dev/null || { tail -30 "$work/server.log" >&2; exit 1; }

body="$work/cred.bin"
python3 - "$body" <<'PY'
import struct, sys
def s(f, v): v = v.encode(); return bytes([f << 3 | 2, len(v)]) + v
m = s(1, "bench") + s(2, "anthropic")
open(sys.argv[1], "wb").write(b"\x00" + struct.pack(">I", len(m)) + m)
PY
url="http://127.0.0.1:$grpc_port/tokensink.v1.CredentialBroker/GetCredential"
st=$(nghttp -v -H 'content-type: application/grpc' -H 'te: trailers' -d "$body" "$url" 2>&1 | grep -a -o 'grpc-status: [0-9]*' | head -1)
[ "$st" = "grpc-status: 0" ] || { echo "GetCredential answered '$st'" >&2; exit 1; }

run() { # run NAME: one h2load run, prints "rps p50_us p99_us cpu_us_per_request" (service CPU from /proc)
  local t0 t1
  t0=$(awk '{print $14 + $15}' /proc/"$server_pid"/stat)
  h2load -c 1 -m "$STREAMS" -D "$ROUND_SECONDS" -H 'content-type: application/grpc' -H 'te: trailers' \
    -d "$body" --log-file="$work/$1.tsv" "$url" > "$work/$1.h2" 2>&1 || { cat "$work/$1.h2" >&2; exit 1; }
  t1=$(awk '{print $14 + $15}' /proc/"$server_pid"/stat)
  python3 - "$work/$1.h2" "$work/$1.tsv" "$((t1 - t0))" "$(getconf CLK_TCK)" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"finished in [^,]+, ([0-9.]+) req/s", text).group(1))
d = sorted(int(l.split("\t")[2]) for l in open(sys.argv[2]) if l.strip() and l.split("\t")[1] == "200")
cpu_us = int(sys.argv[3]) * 1e6 / int(sys.argv[4]) / max(1, len(d))
print(rps, d[len(d) // 2], d[min(len(d) - 1, int(len(d) * 0.99))], round(cpu_us, 2))
PY
}

log "warm-up (JIT): ${WARMUP_RUNS:-12} runs"
for _ in $(seq 1 "${WARMUP_RUNS:-12}"); do run warm >/dev/null; done
open_page() {
  curl -sN "http://127.0.0.1:$http_port/status/events" > "$work/page.sse" &
  page_pid=$!; pids+=("$page_pid")
  for _ in $(seq 1 100); do grep -q '^event: snapshot' "$work/page.sse" 2>/dev/null && return 0; sleep 0.1; done
  echo "the page's stream did not start" >&2; exit 1
}
close_page() { kill "$page_pid" 2>/dev/null || true; wait "$page_pid" 2>/dev/null || true; }

: > "$work/pairs"
for rep in $(seq 1 "$REPS"); do
  log "pair $rep of $REPS"
  if [ $((rep % 2)) -eq 1 ]; then
    without=$(run "without_$rep"); open_page; with=$(run "with_$rep"); close_page
  else
    open_page; with=$(run "with_$rep"); close_page; without=$(run "without_$rep")
  fi
  echo "$without $with" >> "$work/pairs"
done
updates=$(grep -c '^event: agent' "$work/page.sse" || true)

python3 - "$work/pairs" "$STREAMS" "$ROUND_SECONDS" "$PROFILES" "$updates" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY' | tee "$root/bench/status-page.md"
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
tp = [w[4] / w[0] for w in rows]; p50 = [w[5] / w[1] for w in rows]; p99 = [w[6] / w[2] for w in rows]
cpu = [w[7] / w[3] for w in rows]
print("# Status page cost on GetCredential (bench/status-page.sh)\n")
print(f"One agent with {sys.argv[4]} API keys; h2load, 1 connection, {sys.argv[2]} streams, {sys.argv[3]} s runs, "
      f"{len(rows)} alternating pairs (no page / one page open on /status/events). Machine: {sys.argv[6]} cores, "
      f"load average at the end {sys.argv[7]}. The page received {sys.argv[5]} agent updates in its last run.\n")
print("| pair | GetCredential/s no page | with page | ratio | p50 µs no page / page | p99 µs no page / page | service CPU µs/request no page / page |")
print("|---|---|---|---|---|---|---|")
for i, w in enumerate(rows, 1):
    print(f"| {i} | {w[0]:.0f} | {w[4]:.0f} | {w[4]/w[0]:.3f} | {w[1]:.0f} / {w[5]:.0f} | {w[2]:.0f} / {w[6]:.0f} | {w[3]:.1f} / {w[7]:.1f} |")
print(f"\n**Median ratio with one open page ÷ without: throughput {statistics.median(tp):.3f}, "
      f"p50 {statistics.median(p50):.3f}, p99 {statistics.median(p99):.3f}, service CPU per request {statistics.median(cpu):.3f}.**")
PY
