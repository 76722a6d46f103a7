#!/usr/bin/env bash
# Credential proxy overhead (issue 18): the proxy against calling the same fake upstream directly,
# same run, alternating rounds; 1 and 64 concurrent requests, non-streamed and streamed.
# Prints a markdown table (bench/README.md, "Credential proxy"). Knobs: BENCH_ROUND_SECONDS (3),
# BENCH_REPS (5), BENCH_APP (target/quarkus-app).
set -euo pipefail
umask 077
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
app="${BENCH_APP:-target/quarkus-app}"
if [ ! -f "$app/quarkus-run.jar" ] || [ -n "$(find src pom.xml -newer "$app/quarkus-run.jar" -type f | head -1)" ]; then
  mvn -B -ntp -q -DskipTests package
fi
if [ ! -f target/bench.classpath ] || [ pom.xml -nt target/bench.classpath ]; then
  mvn -B -ntp -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
fi
work="$(mktemp -d /tmp/tokensink-proxy-bench.XXXXXX)"
trap '[ "${BENCH_KEEP:-0}" = "1" ] || rm -rf "$work"' EXIT
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
timeout 1800 java -Xmx512m -cp "$cp" dev.tokensink.bench.ProxyBench "$app" "$work" \
  "${BENCH_ROUND_SECONDS:-3}" "${BENCH_REPS:-5}"
