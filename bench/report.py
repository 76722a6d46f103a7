#!/usr/bin/env python3
"""Helpers of bench/run.sh: `h2 NAME STDOUT LOG` summarizes one h2load run; `md RESULTS [COALESCING]`
writes bench/results.md from the collected `key value` lines."""
import re
import statistics
import sys


def pct(sorted_values, p):
    if not sorted_values:
        return float("nan")
    i = min(len(sorted_values) - 1, max(0, int(round(p / 100.0 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[i]


def h2(name, stdout_file, log_file, ticks=None, clk_tck=None):
    out = open(stdout_file, encoding="utf-8", errors="replace").read()
    rps = float(re.search(r"finished in [^,]+, ([0-9.]+) req/s", out).group(1))
    req = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored", out)
    failed = int(req.group(5)) + int(req.group(6)) if req else -1
    durations = []
    for line in open(log_file, encoding="utf-8"):
        parts = line.split("\t")
        if len(parts) >= 3 and parts[1].strip() == "200":
            durations.append(int(parts[2]))
    durations.sort()
    print(f"h2_{name}_rps {rps}")
    print(f"h2_{name}_p50_us {pct(durations, 50)}")
    print(f"h2_{name}_p99_us {pct(durations, 99)}")
    print(f"h2_{name}_failed {failed}")
    print(f"h2_{name}_n {len(durations)}")
    if ticks is not None and durations:
        print(f"h2_{name}_cpu_us {int(ticks) * 1e6 / int(clk_tck) / len(durations):.2f}")


def load(path):
    r = {}
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if " " in line:
            k, v = line.split(" ", 1)
            r[k] = v
    return r


def mean_of(r, prefix, metric):
    vals = [float(v) for k, v in r.items() if k.startswith(prefix) and k.endswith("_" + metric)]
    return statistics.mean(vals) if vals else float("nan")


def mib(b):
    return float(b) / (1024 * 1024)


def scale(results_path):
    """bench/scale-results.md from bench/scale.sh's `key value` lines."""
    r = load(results_path)
    g = lambda k, d="n/a": r.get(k, d)
    n = int(g("profiles"))
    per_second = {}
    if g("per_second", "-") != "-":
        for kv in g("per_second").split(","):
            k, v = kv.split(":")
            per_second[int(k)] = int(v)
    lines = []
    w = lines.append
    w("# tokensink scale run")
    w("")
    w(f"One run of `bench/scale.sh` ({g('started_utc')} \u2192 {g('finished_utc')}, commit `{g('git_commit')}`), "
      f"{g('machine_nproc')} CPUs, load average (1/5/15 min) {g('machine_load_start')} at start, "
      f"{g('machine_load_end')} at end.")
    w("")
    w(f"State: {n:,} OAuth profiles ({g('profiles_served')} seen by the service), one-hour tokens whose "
      f"expiries all fall in one minute, on the file store ({int(g('state_dir_bytes', 0)) / 1048576:.1f} MiB on disk, "
      f"generated in {int(g('generate_ms', 0)) / 1000:.1f} s); a fake token endpoint that answers at once.")
    w("")
    w("| figure | value | target |")
    w("|---|---:|---|")
    w(f"| start-up to ready, {n:,} profiles: wall / the service's CPU time | **{int(g('startup_ms')) / 1000:.1f} s** / {int(g('startup_cpu_ms', 0)) / 1000:.1f} s | \u2264 10 s |")
    w(f"| start-up to ready, empty state dir: wall / CPU | {int(g('startup_ms_empty')) / 1000:.1f} s / {int(g('startup_cpu_ms_empty', 0)) / 1000:.1f} s | |")
    heap = int(g("heap_bytes_fleet")) - int(g("heap_bytes_empty"))
    w(f"| heap after GC: empty / fleet / fleet after every profile was refreshed (MiB) | "
      f"{mib(g('heap_bytes_empty')):.1f} / {mib(g('heap_bytes_fleet')):.1f} / {mib(g('heap_bytes_fleet_after_refresh')):.1f} | |")
    w(f"| heap per profile (fleet \u2212 empty) / n | **{heap / n / 1024:.2f} KiB** | \u2264 2 KiB |")
    after = int(g("heap_bytes_fleet_after_refresh")) - int(g("heap_bytes_empty"))
    w(f"| same, after every profile was refreshed once | {after / n / 1024:.2f} KiB | |")
    w(f"| GetCredential, random agent of the fleet \u00f7 one agent (median of pairs) | **{g('scale_random_over_one')}\u00d7** | \u2265 0.9\u00d7 |")
    w(f"| calls/s one agent / random agent, per pair | {g('scale_rps_one_vs_random')} | |")
    if per_second:
        first, last = min(per_second), max(per_second)
        window = last - first + 1
        total = sum(per_second.values())
        peak = max(per_second.values())
        mean = total / window
        w(f"| token calls in the refresh window | {total:,} in {window} s | {n:,} |")
        w(f"| peak second \u00f7 mean over the window | **{peak / mean:.2f}** ({peak} / {mean:.0f} per s) | \u2264 2 |")
    ep = dict(kv.split("=") for kv in g("endpoint", "").split(",") if "=" in kv)
    w(f"| most token calls in flight at once (at the endpoint) | **{ep.get('maxInFlight', 'n/a')}** | \u2264 tokensink.refresh.max-in-flight |")
    w(f"| refresh-token reuses / unknown tokens at the endpoint | {ep.get('reuses', 'n/a')} / {ep.get('unknown', 'n/a')} | 0 / 0 |")
    w(f"| callers that waited on a refresh / refreshes on the request path | {g('refresh_waiters')} / {g('refreshes_serve')} | |")
    w(f"| proactive refreshes (tokensink's count) | {g('refreshes_proactive')} | |")
    w(f"| service RSS at the end | {int(g('server_rss_kib', 0)) / 1024:.0f} MiB | |")
    if per_second:
        w("")
        w("Token calls per second over the window (endpoint clock):")
        w("")
        w("```")
        row = []
        for s in range(min(per_second), max(per_second) + 1):
            row.append(str(per_second.get(s, 0)))
        for i in range(0, len(row), 20):
            w(" ".join(f"{v:>4}" for v in row[i:i + 20]))
        w("```")
    print("\n".join(lines))


def md(results_path, coalescing_path=None):
    r = load(results_path)
    g = lambda k, d="n/a": r.get(k, d)
    lines = []
    w = lines.append
    w("# tokensink benchmark results")
    w("")
    w(f"One full run of `bench/run.sh` ({g('started_utc')} → {g('finished_utc')}, commit `{g('git_commit')}`).")
    w("")
    w("## Machine")
    w("")
    w(f"- {g('machine_nproc')} CPUs: {g('machine_cpu').replace('_', ' ')}")
    w(f"- RAM: {g('machine_ram_gib')} GiB")
    w(f"- Java: {g('machine_java').replace('_', ' ')}")
    w(f"- Load average (1/5/15 min) at start: {g('machine_load_start')}, at end: {g('machine_load_end')}")
    w("")
    w("This machine is shared: other engineers compile and test on the same 2 cores while the bench runs, so "
      "absolute numbers move from run to run. Each figure below is therefore a **ratio of two measurements "
      "taken in the same run, interleaved** (GetCredential against `grpc.health.v1.Health/Check` on the same "
      "server, pairs run in alternating order), or a count that does not depend on speed.")
    w("")
    w("## GetCredential (cached API key) vs Health/Check")
    w("")
    reps = int(g("bench_reps", "1"))
    w(f"h2load, one HTTP/2 connection, N concurrent streams. Per level, {reps} pairs of {g('bench_round_seconds')} s "
      "runs, Health/Check and GetCredential back to back in alternating order after a JIT warm-up; each ratio is "
      "the **median of the per-pair ratios** (GetCredential ÷ Health/Check), so a burst of load from another "
      "process spoils one pair, not the figure. Service CPU per request is the service's user+system time "
      "(/proc) over the requests of the run. Targets: throughput ratio ≥ 0.9, p99 ratio ≤ 1.2.")
    w("")
    w("| streams | throughput ratio | p50 ratio | p99 ratio | CPU/request ratio | req/s Health / GetCredential | p50 µs H / G | p99 µs H / G | CPU µs/req H / G |")
    w("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    def pair(s, metric):
        out = []
        for i in range(1, reps + 1):
            h, c = r.get(f"h2_health_{s}_{i}_{metric}"), r.get(f"h2_cred_{s}_{i}_{metric}")
            if h and c and float(h) > 0:
                out.append(float(c) / float(h))
        return statistics.median(out) if out else float("nan")
    def med(prefix, metric):
        vals = [float(v) for k, v in r.items() if k.startswith(prefix) and k.endswith("_" + metric)]
        return statistics.median(vals) if vals else float("nan")
    for s in (1, 16, 64):
        hr, cr = med(f"h2_health_{s}_", "rps"), med(f"h2_cred_{s}_", "rps")
        h50, c50 = med(f"h2_health_{s}_", "p50_us"), med(f"h2_cred_{s}_", "p50_us")
        h99, c99 = med(f"h2_health_{s}_", "p99_us"), med(f"h2_cred_{s}_", "p99_us")
        hc, cc = med(f"h2_health_{s}_", "cpu_us"), med(f"h2_cred_{s}_", "cpu_us")
        w(f"| {s} | **{pair(s, 'rps'):.2f}×** | {pair(s, 'p50_us'):.2f}× | **{pair(s, 'p99_us'):.2f}×** | "
          f"{pair(s, 'cpu_us'):.2f}× | {hr:,.0f} / {cr:,.0f} | {h50:,.0f} / {c50:,.0f} | {h99:,.0f} / {c99:,.0f} | "
          f"{hc:.1f} / {cc:.1f} |")
    w("")
    w("Absolute columns are medians over the runs of that level.")
    failed = sum(int(float(v)) for k, v in r.items() if k.startswith("h2_") and k.endswith("_failed"))
    w("")
    w(f"Failed or errored h2load requests: {failed}. GetCredential answers during the runs: "
      f"{g('a_served_ok')} OK, {g('a_served_not_ok')} not OK (from `tokensink_credentials_served_total`). "
      f"The service held {g('a_profiles')} profiles.")
    w("")
    w("## Refresh coalescing")
    w("")
    if coalescing_path:
        try:
            rows = [l.split() for l in open(coalescing_path, encoding="utf-8") if l.strip()]
            w("Token-endpoint calls per rotation against the strict provider (rotating refresh tokens, reuse "
              "revokes the grant), `refresh/CrossProcessRefreshTest`: N JVMs on one state dir, each with C "
              "concurrent callers holding an expired credential, 3 rotations. Target: exactly 1.")
            w("")
            head = rows[0]
            w("| " + " | ".join(head) + " |")
            w("|" + "---:|" * len(head))
            for row in rows[1:]:
                w("| " + " | ".join(row) + " |")
        except OSError:
            w("(not run in this invocation: BENCH_SKIP_COALESCING=1)")
    else:
        w("(not run in this invocation: BENCH_SKIP_COALESCING=1)")
    w("")
    w("## Soak: callers that waited on a refresh")
    w("")
    w(f"{g('soak_seconds')} s of GetCredential on an OAuth profile whose access tokens live 30 s (real clock, "
      "h2load at 50 req/s over 4 streams); the proactive refresh (1 s scheduler) must renew before a caller "
      "finds the token inside its serving margin. Target: 0 waiting callers.")
    w("")
    w("| callers that waited (`tokensink_refresh_waiters_total`) | proactive refreshes | refreshes on the request path | served OK | failed | provider |")
    w("|---:|---:|---:|---:|---:|---|")
    w(f"| **{g('soak_waiters')}** | {g('soak_proactive_refreshes')} | {g('soak_serve_refreshes')} | "
      f"{g('soak_served_ok')} | {g('soak_served_failed')} | {g('soak_provider').replace(',', ', ')} |")
    w("")
    w("## StreamExpiryEvents fan-out")
    w("")
    w("A grpc-java client JVM opens N streams (500 per connection) on the refreshed profile, then three times "
      "reports AUTH_FAILED and times until every subscriber has its REFRESHED event (the forced refresh's "
      "token call included); median of the three rounds, next to one GetCredential round trip measured "
      "just before by the same client.")
    w("")
    w("| subscribers | GetCredential round trip (µs) | first event (ms) | last subscriber's event (ms) | last / round trip | rounds (ms) |")
    w("|---:|---:|---:|---:|---:|---|")
    for n in sorted({int(k.split("_")[1]) for k in r if k.startswith("fanout_")}):
        rtt = float(g(f"fanout_{n}_getcredential_rtt_us", "nan"))
        first = float(g(f"fanout_{n}_first_event_us", "nan")) / 1000
        last = float(g(f"fanout_{n}_last_event_us", "nan")) / 1000
        rounds = "/".join(f"{int(x) / 1000:.1f}" for x in g(f"fanout_{n}_last_event_us_rounds", "0").split("/"))
        w(f"| {n:,} | {rtt:,.0f} | {first:.1f} | **{last:.1f}** | {last * 1000 / rtt:,.0f}× | {rounds} |")
    w("")
    w("## Memory")
    w("")
    w("Heap in use after a full GC (`jcmd GC.run`, then `jvm_memory_used_bytes{area=\"heap\"}`), service "
      f"started with `-Xmx1g`; process RSS at the end of phase A: {int(g('a_server_rss_kib', '0')) / 1024:.0f} MiB.")
    w("")
    w("| state | heap after GC (MiB) |")
    w("|---|---:|")
    w(f"| 1 agent, 2 profiles, after the soak | {mib(g('heap_bytes_small_state', 'nan')):.1f} |")
    w(f"| + {g('a_profiles')} profiles in total, after the load runs, 0 streams | {mib(g('heap_bytes_0_streams', 'nan')):.1f} |")
    big = max((int(k.split("_")[2]) for k in r if re.fullmatch(r"heap_bytes_\d+_streams", k) and k != "heap_bytes_0_streams"), default=None)
    if big:
        h0, hn = float(g("heap_bytes_0_streams")), float(g(f"heap_bytes_{big}_streams"))
        w(f"| same, {big:,} open streams ({g('streams_open_at_heap')} registered) | {mib(hn):.1f} |")
        w("")
        w(f"Per open stream: {(hn - h0) / big / 1024:.1f} KiB. Per profile: "
          f"{(h0 - float(g('heap_bytes_small_state'))) / max(1, int(g('a_profiles')) - 2) / 1024:.2f} KiB.")
    print("\n".join(lines))


if __name__ == "__main__":
    if sys.argv[1] == "h2":
        h2(*sys.argv[2:])
    elif sys.argv[1] == "scale":
        scale(sys.argv[2])
    elif sys.argv[1] == "md":
        md(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
