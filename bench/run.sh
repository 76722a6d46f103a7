#!/usr/bin/env bash
# tokensink benchmark: builds the jar if needed, seeds state dirs, starts the service and a strict
# OAuth provider on free loopback ports, drives load from separate processes (h2load, a grpc-java
# client JVM) and writes bench/results.md. Every figure is a ratio or count measured in this run.
# Bounded: each phase has a fixed duration or count and a timeout; all processes it started are
# stopped on exit. See bench/README.md for the knobs (environment variables below).
set -euo pipefail
umask 077   # the work dir holds state dirs with secrets; serve refuses a state dir others can read

ROUND_SECONDS="${BENCH_ROUND_SECONDS:-2}"       # one h2load measurement
REPS="${BENCH_REPS:-6}"                         # alternating health/GetCredential pairs per level
SOAK_SECONDS="${BENCH_SOAK_SECONDS:-150}"       # steady soak with 30 s token lifetimes
FANOUT="${BENCH_FANOUT:-1000 10000}"            # subscriber counts; the last also gives the heap figure
MEM_AGENTS="${BENCH_MEM_AGENTS:-100}"           # 100 agents x 100 API keys = 10 000 profiles
MEM_PER_AGENT="${BENCH_MEM_PER_AGENT:-100}"
SKIP_COALESCING="${BENCH_SKIP_COALESCING:-0}"
SERVER_OPTS="${BENCH_SERVER_OPTS:--Xmx1g}"
PHASES="${BENCH_PHASES:-a b c}"                 # which phases run (c is also skipped by BENCH_SKIP_COALESCING=1)

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar="${BENCH_APP:-target/quarkus-app}/quarkus-run.jar"   # BENCH_APP: another build, e.g. a copy of main's
work="$(mktemp -d /tmp/tokensink-bench.XXXXXX)"
results="$work/results.txt"
: > "$results"
pids=()

cleanup() {
  for p in "${pids[@]:-}"; do
    [ -n "$p" ] && kill "$p" 2>/dev/null || true
  done
  for p in "${pids[@]:-}"; do
    [ -n "$p" ] && wait "$p" 2>/dev/null || true
  done
  [ "${BENCH_KEEP:-0}" = "1" ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
res() { printf '%s %s\n' "$1" "$2" >> "$results"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

command -v h2load >/dev/null || { echo "h2load missing: apt-get install -y nghttp2-client" >&2; exit 1; }
command -v jcmd >/dev/null || { echo "jcmd missing (a JDK is needed)" >&2; exit 1; }

# --- build -----------------------------------------------------------------------------------------
if [ -z "${BENCH_APP:-}" ] && { [ ! -f "$jar" ] || [ ! -d target/test-classes/dev/tokensink/bench ] \
    || [ -n "$(find src proto pom.xml -newer "$jar" -type f 2>/dev/null | head -1)" ]; }; then
  log "building (mvn -B -ntp -DskipTests package)"
  mvn -B -ntp -q -DskipTests package
fi
if [ ! -f target/bench.classpath ] || [ pom.xml -nt target/bench.classpath ]; then
  mvn -B -ntp -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
fi
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"

# --- helpers ---------------------------------------------------------------------------------------
# start_provider NAME AGENTS PER_AGENT LIFETIME: the strict OAuth server + seeding, in its own JVM
start_provider() {
  local name=$1
  mkfifo "$work/$name.in"
  java -cp "$cp" dev.tokensink.bench.BenchProvider "$work/$name-state" "$2" "$3" "$4" \
    < "$work/$name.in" > "$work/$name.out" 2> "$work/$name.err" &
  pids+=($!)
  exec {prov_fd}> "$work/$name.in"   # keeps the provider's stdin open until we close it
  for _ in $(seq 1 600); do
    grep -q '^ready ' "$work/$name.out" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "provider $name did not start" >&2; cat "$work/$name.err" >&2; exit 1
}

# start_server NAME: the packaged service on free ports, waits for readiness
start_server() {
  local name=$1
  grpc_port=$(free_port); http_port=$(free_port)
  # one loopback caller opens every fan-out stream: lift the per-caller stream limit above BENCH_FANOUT
  # shellcheck disable=SC2086
  java $SERVER_OPTS -Dtokensink.grpc.port="$grpc_port" -Dtokensink.http.port="$http_port" \
    -Dtokensink.grpc.max-streams-per-caller=20000 \
    -jar "$jar" serve --state-dir "$work/$name-state" > "$work/$name-server.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  for _ in $(seq 1 600); do
    curl -fs "http://127.0.0.1:$http_port/q/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "server $name did not become ready" >&2; tail -50 "$work/$name-server.log" >&2; exit 1
}

stop_server() { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }

# grpc_body FILE HEXMESSAGE: one length-prefixed gRPC message
grpc_body() { python3 - "$1" "$2" <<'PY'
import sys, struct
msg = bytes.fromhex(sys.argv[2])
open(sys.argv[1], "wb").write(b"\x00" + struct.pack(">I", len(msg)) + msg)
PY
}
pb_str() { python3 -c 'import sys; f=int(sys.argv[1]); s=sys.argv[2].encode(); print(bytes([f<<3|2, len(s)]).hex()+s.hex())' "$1" "$2"; }

metrics() { curl -fs "http://127.0.0.1:$http_port/q/metrics"; }
metric_sum() { # metric_sum NAME [LABEL-SUBSTRING...]
  local name=$1; shift
  metrics | python3 -c '
import sys
name, labels = sys.argv[1], sys.argv[2:]
t = 0.0
for line in sys.stdin:
    if line.startswith("#") or not (line.startswith(name + " ") or line.startswith(name + "{")): continue
    if all(l in line for l in labels): t += float(line.rsplit(" ", 1)[1])
print(int(t) if t == int(t) else t)' "$name" "$@"
}

# check_grpc_ok URL BODY: one call with nghttp, asserts grpc-status 0
check_grpc_ok() {
  local st
  st=$(nghttp -v -H 'content-type: application/grpc' -H 'te: trailers' -d "$2" "$1" 2>&1 | grep -a -o 'grpc-status: [0-9]*' | head -1)
  [ "$st" = "grpc-status: 0" ] || { echo "$1 answered '$st', not grpc-status 0" >&2; exit 1; }
}

# server CPU time (user + system) in clock ticks
server_ticks() { awk '{print $14 + $15}' /proc/"$server_pid"/stat; }

# h2run NAME URL BODY STREAMS: one measured h2load run; records rps, p50, p99 (microseconds) and the
# service's CPU time per request
h2run() {
  local name=$1 url=$2 body=$3 streams=$4 t0 t1
  t0=$(server_ticks)
  h2load -c 1 -m "$streams" -D "$ROUND_SECONDS" \
    -H 'content-type: application/grpc' -H 'te: trailers' -d "$body" \
    --log-file="$work/$name.tsv" "$url" > "$work/$name.h2" 2>&1 || { cat "$work/$name.h2" >&2; exit 1; }
  t1=$(server_ticks)
  python3 "$root/bench/report.py" h2 "$name" "$work/$name.h2" "$work/$name.tsv" "$((t1 - t0))" "$(getconf CLK_TCK)" \
    >> "$results"
}

# --- machine ---------------------------------------------------------------------------------------
res machine_nproc "$(nproc)"
res machine_cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' | tr ' ' '_')"
res machine_ram_gib "$(awk '/MemTotal/ {printf "%.1f", $2/1048576}' /proc/meminfo)"
res machine_java "$(java -version 2>&1 | head -1 | tr ' ' '_')"
res machine_load_start "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')"
res bench_reps "$REPS"
res bench_round_seconds "$ROUND_SECONDS"
res git_commit "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml || echo '+dirty')"
res started_utc "$(date -u +%Y-%m-%dT%H:%M:%SZ)"

has_phase() { [[ " $PHASES " == *" $1 "* ]]; }

# --- phase A: request path, fan-out, memory (10 000 extra profiles, 1 h token lifetime) -------------
if has_phase a; then
log "phase A: seeding $((MEM_AGENTS * MEM_PER_AGENT)) profiles, starting provider and service"
start_provider a "$MEM_AGENTS" "$MEM_PER_AGENT" 3600
start_server a
res a_profiles "$(metric_sum tokensink_profiles)"
health_body="$work/health.bin"; grpc_body "$health_body" ""
cred_body="$work/cred.bin"; grpc_body "$cred_body" "$(pb_str 1 bench)$(pb_str 2 anthropic)"
health_url="http://127.0.0.1:$grpc_port/grpc.health.v1.Health/Check"
cred_url="http://127.0.0.1:$grpc_port/tokensink.v1.CredentialBroker/GetCredential"
check_grpc_ok "$health_url" "$health_body"
check_grpc_ok "$cred_url" "$cred_body"
log "warm-up (JIT): 3 x (4 s GetCredential, 4 s Health/Check)"
for _ in 1 2 3; do
  h2load -c 1 -m 16 -D 4 -H 'content-type: application/grpc' -H 'te: trailers' -d "$cred_body" "$cred_url" >/dev/null 2>&1
  h2load -c 1 -m 16 -D 4 -H 'content-type: application/grpc' -H 'te: trailers' -d "$health_body" "$health_url" >/dev/null 2>&1
done
served_before=$(metric_sum tokensink_credentials_served_total 'agent="bench"' 'code="OK"')
for streams in 1 16 64; do
  for rep in $(seq 1 "$REPS"); do
    log "h2load: $streams stream(s), pair $rep of $REPS"
    if [ $((rep % 2)) -eq 1 ]; then
      h2run "health_${streams}_$rep" "$health_url" "$health_body" "$streams"
      h2run "cred_${streams}_$rep" "$cred_url" "$cred_body" "$streams"
    else
      h2run "cred_${streams}_$rep" "$cred_url" "$cred_body" "$streams"
      h2run "health_${streams}_$rep" "$health_url" "$health_body" "$streams"
    fi
  done
done
served_after=$(metric_sum tokensink_credentials_served_total 'agent="bench"' 'code="OK"')
res a_served_ok "$((served_after - served_before))"
res a_served_not_ok "$(metric_sum tokensink_credentials_served_total 'agent="bench"' | python3 -c "import sys; print(int(float(sys.stdin.read())) - $served_after)")"
log "fan-out: $FANOUT subscribers; heap"
# shellcheck disable=SC2086
timeout 900 java -Xmx1g -cp "$cp" dev.tokensink.bench.BenchClient "$grpc_port" "$http_port" "$server_pid" $FANOUT \
  2> "$work/client.err" | tee "$work/client.out" | grep '^RESULT ' | cut -d' ' -f2- >> "$results" \
  || { cat "$work/client.err" >&2; exit 1; }
res a_server_rss_kib "$(awk '/VmRSS/ {print $2}' /proc/"$server_pid"/status)"
stop_server
exec {prov_fd}>&-
fi

# --- phase B: soak with 30 s access tokens, real clock ---------------------------------------------
if has_phase b; then
log "phase B: ${SOAK_SECONDS}s soak, 30 s token lifetime, GetCredential on the OAuth profile at 50/s"
start_provider b 0 0 30
start_server b
soak_body="$work/soak.bin"; grpc_body "$soak_body" "$(pb_str 1 bench)$(pb_str 2 strict)"
soak_url="http://127.0.0.1:$grpc_port/tokensink.v1.CredentialBroker/GetCredential"
check_grpc_ok "$soak_url" "$soak_body"
sleep 2
w0=$(metric_sum tokensink_refresh_waiters_total)
p0=$(metric_sum tokensink_refreshes_total 'mode="proactive"' 'result="refreshed"')
s0=$(metric_sum tokensink_refreshes_total 'mode="serve"')
ok0=$(metric_sum tokensink_credentials_served_total 'provider="strict"' 'code="OK"')
all0=$(metric_sum tokensink_credentials_served_total 'provider="strict"')
h2load -c 1 -m 4 --rps 50 -D "$SOAK_SECONDS" -H 'content-type: application/grpc' -H 'te: trailers' \
  -d "$soak_body" "$soak_url" > "$work/soak.h2" 2>&1 || { cat "$work/soak.h2" >&2; exit 1; }
w1=$(metric_sum tokensink_refresh_waiters_total)
p1=$(metric_sum tokensink_refreshes_total 'mode="proactive"' 'result="refreshed"')
s1=$(metric_sum tokensink_refreshes_total 'mode="serve"')
ok1=$(metric_sum tokensink_credentials_served_total 'provider="strict"' 'code="OK"')
all1=$(metric_sum tokensink_credentials_served_total 'provider="strict"')
echo stats >&"$prov_fd"
sleep 1
res soak_seconds "$SOAK_SECONDS"
res soak_waiters "$((w1 - w0))"
res soak_proactive_refreshes "$((p1 - p0))"
res soak_serve_refreshes "$((s1 - s0))"
res soak_served_ok "$((ok1 - ok0))"
res soak_served_failed "$(( (all1 - ok1) - (all0 - ok0) ))"
res soak_provider "$(grep '^stats ' "$work/b.out" | tail -1 | cut -d' ' -f2- | tr ' ' ',')"
jcmd "$server_pid" GC.run >/dev/null
sleep 0.5
res heap_bytes_small_state "$(metric_sum jvm_memory_used_bytes 'area="heap"')"
stop_server
exec {prov_fd}>&-
fi

# --- phase C: refresh coalescing (CrossProcessRefreshTest: 1-3 JVMs x 1/100/1000 callers) ----------
if [ "$SKIP_COALESCING" != "1" ] && has_phase c; then
  log "phase C: refresh coalescing (mvn test -Dtest=CrossProcessRefreshTest)"
  rm -f target/refresh-rotation-calls.txt
  mvn -B -ntp -q test -Dtest=CrossProcessRefreshTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dtest.port.base="$(free_port)" -Dtest.http.port="$(free_port)" > "$work/coalescing.log" 2>&1 \
    || { tail -40 "$work/coalescing.log" >&2; exit 1; }
  cp target/refresh-rotation-calls.txt "$work/coalescing.txt"
fi

res machine_load_end "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')"
res finished_utc "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
out="${BENCH_OUT:-bench/results.md}"
if [ "$PHASES" = "a b c" ] && [ "$SKIP_COALESCING" != "1" ]; then
  python3 bench/report.py md "$results" "$work/coalescing.txt" > "$out"
  log "wrote $out"
  cat "$out"
else
  log "partial run (phases: $PHASES): raw figures only"
  cat "$results"
fi
