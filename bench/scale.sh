#!/usr/bin/env bash
# tokensink scale run: 100 000 OAuth profiles (1 000 agents x 100) on the file store, one-hour tokens
# whose expiries all fall in one minute, a fake token endpoint that answers at once. Measures start-up
# to ready, heap after GC per profile, GetCredential for a random agent against one agent, and how the
# proactive scheduler spreads the fleet's refreshes (calls per second, calls in flight at once).
# Bounded: every wait has a timeout; every process it started is stopped on exit. See bench/README.md.
set -euo pipefail
umask 077

AGENTS="${BENCH_SCALE_AGENTS:-1000}"
PER_AGENT="${BENCH_SCALE_PER_AGENT:-100}"
LEAD="${BENCH_SCALE_LEAD:-150}"            # seconds from generation to the first refresh window
PAIRS="${BENCH_SCALE_PAIRS:-5}"            # alternating one-agent / random-agent pairs
ROUND="${BENCH_SCALE_ROUND:-3}"            # seconds per throughput run
STREAMS="${BENCH_SCALE_STREAMS:-16}"       # calls outstanding in the throughput runs
SERVER_OPTS="${BENCH_SERVER_OPTS:--Xmx1g}"
OUT="${BENCH_SCALE_OUT:-bench/scale-results.md}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
app="${BENCH_APP:-target/quarkus-app}"
jar="$app/quarkus-run.jar"
work="$(mktemp -d /tmp/tokensink-scale.XXXXXX)"
results="$work/results.txt"
: > "$results"
pids=()

cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null || true; done
  [ "${BENCH_KEEP:-0}" = "1" ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[scale %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
res() { printf '%s %s\n' "$1" "$2" >> "$results"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
now_ms() { date +%s%3N; }

if [ -z "${BENCH_APP:-}" ] && { [ ! -f "$jar" ] || [ ! -d target/test-classes/dev/tokensink/bench ] \
    || [ -n "$(find src proto pom.xml -newer "$jar" -type f 2>/dev/null | head -1)" ]; }; then
  log "building (mvn -B -ntp -DskipTests package)"
  mvn -B -ntp -q -DskipTests package
fi
if [ ! -f target/bench.classpath ] || [ pom.xml -nt target/bench.classpath ]; then
  mvn -B -ntp -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
fi
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"

# start_server STATE_DIR: the packaged service; sets server_pid, grpc_port, http_port, startup_ms and
# startup_cpu_ms (the service's user + system CPU time until ready: on a loaded machine the wall time
# mostly measures the other processes)
start_server() {
  grpc_port=$(free_port); http_port=$(free_port)
  local t0; t0=$(now_ms)
  # shellcheck disable=SC2086
  java $SERVER_OPTS -Dtokensink.grpc.port="$grpc_port" -Dtokensink.http.port="$http_port" \
    -jar "$jar" serve --state-dir "$1" > "$work/server-$(basename "$1").log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  for _ in $(seq 1 1200); do
    if curl -fs "http://127.0.0.1:$http_port/q/health/ready" >/dev/null 2>&1; then
      startup_ms=$(( $(now_ms) - t0 ))
      startup_cpu_ms=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' /proc/"$server_pid"/stat)
      return 0
    fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "the service did not become ready" >&2; tail -50 "$work/server-$(basename "$1").log" >&2; exit 1
}
stop_server() { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }
metric_sum() { # metric_sum NAME [LABEL-SUBSTRING...]
  local name=$1; shift
  curl -fs "http://127.0.0.1:$http_port/q/metrics" | python3 -c '
import sys
name, labels = sys.argv[1], sys.argv[2:]
t = 0.0
for line in sys.stdin:
    if line.startswith("#") or not (line.startswith(name + " ") or line.startswith(name + "{")): continue
    if all(l in line for l in labels): t += float(line.rsplit(" ", 1)[1])
print(int(t) if t == int(t) else t)' "$name" "$@"
}
heap_after_gc() { jcmd "$server_pid" GC.run >/dev/null; sleep 0.5; metric_sum jvm_memory_used_bytes 'area="heap"'; }

res machine_nproc "$(nproc)"
res machine_load_start "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')"
res git_commit "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml || echo '+dirty')"
res started_utc "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
res profiles "$((AGENTS * PER_AGENT))"

log "empty state dir: start-up and heap of the service alone"
mkdir -p "$work/empty"
start_server "$work/empty"
res startup_ms_empty "$startup_ms"
res startup_cpu_ms_empty "$startup_cpu_ms"
res heap_bytes_empty "$(heap_after_gc)"
stop_server

log "generating $AGENTS agents x $PER_AGENT OAuth profiles; fake token endpoint"
mkfifo "$work/provider.in"
java -cp "$cp" dev.tokensink.bench.ScaleProvider "$work/fleet" "$AGENTS" "$PER_AGENT" "$LEAD" \
  < "$work/provider.in" > "$work/provider.out" 2> "$work/provider.err" &
pids+=($!)
exec {prov_fd}> "$work/provider.in"
gen_started=$(now_ms)
for _ in $(seq 1 6000); do
  grep -q '^ready ' "$work/provider.out" 2>/dev/null && break
  sleep 0.1
done
grep -q '^ready ' "$work/provider.out" || { cat "$work/provider.err" >&2; exit 1; }
res generate_ms "$(grep '^generated ' "$work/provider.out" | cut -d' ' -f2)"
res state_dir_bytes "$(du -sb "$work/fleet" | cut -f1)"

log "service on the fleet: start-up to ready"
start_server "$work/fleet"
res startup_ms "$startup_ms"
res startup_cpu_ms "$startup_cpu_ms"
res profiles_served "$(metric_sum tokensink_profiles)"
res heap_bytes_fleet "$(heap_after_gc)"

log "GetCredential: one agent vs a random agent of $AGENTS ($PAIRS pairs of ${ROUND}s, $STREAMS streams)"
java -cp "$cp" dev.tokensink.bench.ScaleClient "$grpc_port" "$AGENTS" fleet "$ROUND" "$PAIRS" "$STREAMS" \
  2> "$work/client.err" | grep '^RESULT ' | cut -d' ' -f2- >> "$results" || { cat "$work/client.err" >&2; exit 1; }
elapsed=$(( ($(now_ms) - gen_started) / 1000 ))
[ "$elapsed" -lt "$LEAD" ] || log "warning: the throughput runs ended ${elapsed}s after generation, inside the refresh window (BENCH_SCALE_LEAD=$LEAD)"

total=$((AGENTS * PER_AGENT))
deadline=$(( $(date +%s) + LEAD + 900 ))
log "waiting for the fleet's proactive refreshes ($total token calls expected)"
calls=0
while [ "$(date +%s)" -lt "$deadline" ]; do
  echo stats >&"$prov_fd"
  sleep 5
  calls=$(grep '^stats ' "$work/provider.out" | tail -1 | sed -E 's/.*calls=([0-9]+).*/\1/')
  log "token calls so far: $calls"
  [ "$calls" -ge "$total" ] && break
done
sleep 3
echo stats >&"$prov_fd"
sleep 1
grep '^stats ' "$work/provider.out" | tail -1 | cut -d' ' -f2- > "$work/stats.txt"
res endpoint "$(cut -d' ' -f1-4 "$work/stats.txt" | tr ' ' ',')"
res per_second "$(sed -E 's/.*perSecond=//' "$work/stats.txt")"
res refresh_waiters "$(metric_sum tokensink_refresh_waiters_total)"
res refreshes_proactive "$(metric_sum tokensink_refreshes_total 'mode="proactive"' 'result="refreshed"')"
res refreshes_serve "$(metric_sum tokensink_refreshes_total 'mode="serve"')"
res heap_bytes_fleet_after_refresh "$(heap_after_gc)"
res server_rss_kib "$(awk '/VmRSS/ {print $2}' /proc/"$server_pid"/status)"
stop_server
exec {prov_fd}>&-
res machine_load_end "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/')"
res finished_utc "$(date -u +%Y-%m-%dT%H:%M:%SZ)"

python3 "$root/bench/report.py" scale "$results" > "$OUT"
log "wrote $OUT"
cat "$OUT"
