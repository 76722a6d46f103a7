#!/usr/bin/env bash
# CLI start-up: wall time of `bin/tokensink models status` on a generated 10-agent state dir (4
# profiles each: API key, setup token, OAuth, OpenRouter key), measured with hyperfine (2 warm-up
# runs, then BENCH_CLI_RUNS runs; the median is the figure). BENCH_CLI_BEFORE=DIR also measures an
# older build (its quarkus-app dir) with the launcher of that build (BENCH_CLI_BEFORE_BIN), in the
# same hyperfine invocation, so both see the same machine. Writes bench/cli-results.md.
set -euo pipefail
umask 077
RUNS="${BENCH_CLI_RUNS:-10}"
OUT="${BENCH_CLI_OUT:-bench/cli-results.md}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
command -v hyperfine >/dev/null || { echo "hyperfine missing: apt-get install -y hyperfine" >&2; exit 1; }
work="$(mktemp -d /tmp/tokensink-cli-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

for i in $(seq -w 0 9); do
  mkdir -p "$work/state/agents/a$i/agent"
  cat > "$work/state/agents/a$i/agent/auth-profiles.json" <<EOF
{
  "version": 1,
  "profiles": {
    "anthropic:default": { "type": "api_key", "provider": "anthropic", "key": "sk-ant-api03-BENCH-$i-default-key-0000000000" },
    "anthropic:work": { "type": "token", "provider": "anthropic", "token": "sk-ant-oat01-BENCH-$i-work-setup-token-000000000000" },
    "openai-codex:me@example.com": { "type": "oauth", "provider": "openai-codex", "access": "BENCH-access-$i", "refresh": "BENCH-refresh-$i", "expires": 4102444800000, "accountId": "acct-$i" },
    "openrouter:default": { "type": "api_key", "provider": "openrouter", "key": "sk-or-v1-BENCH-$i" }
  }
}
EOF
done

cmds=("bin/tokensink models status --state-dir $work/state")
names=("after")
if [ -n "${BENCH_CLI_BEFORE:-}" ]; then
  cmds+=("env TOKENSINK_APP_DIR=${BENCH_CLI_BEFORE} ${BENCH_CLI_BEFORE_BIN:-bin/tokensink} models status --state-dir $work/state")
  names+=("before")
fi
# the first run writes the class-data archive: not measured
bin/tokensink models status --state-dir "$work/state" > /dev/null
args=()
for i in "${!cmds[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N -w 2 -r "$RUNS" --export-json "$work/h.json" --export-markdown "$work/h.md" "${args[@]}" >&2
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"
{
  echo "# CLI start-up"
  echo
  echo "\`bench/cli.sh\` ($(date -u +%Y-%m-%dT%H:%M:%SZ), commit \`$(git rev-parse --short HEAD)\`, $(nproc) CPUs,"
  echo "load average $load_start at start, $load_end at end): \`models status\` on a 10-agent state dir,"
  echo "$RUNS runs after 2 warm-up runs."
  echo
  python3 - "$work/h.json" <<'PY'
import json, statistics, sys
d = json.load(open(sys.argv[1]))
print("| command | median (s) | mean ± σ (s) | min … max (s) | user / system (s) |")
print("|---|---:|---:|---:|---:|")
for r in d["results"]:
    t = r["times"]
    print(f"| {r['command']} | **{statistics.median(t):.3f}** | {r['mean']:.3f} ± {r['stddev']:.3f} | "
          f"{min(t):.3f} … {max(t):.3f} | {r['user']:.3f} / {r['system']:.3f} |")
PY
} > "$OUT"
cat "$OUT"
