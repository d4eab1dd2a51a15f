#!/usr/bin/env python3
"""Ingest benchmark: the emulator (its own process) serves a large organisation over loopback and
`vigil collect --until-caught-up` backfills it into a fresh SQLite store. Measured per run of the
collector process (os.wait4): wall time, CPU seconds, peak RSS. Baseline in the same run: the same
rows inserted into the same schema by a minimal prepared-statement loop (IngestBaseline). A last run
collects at the API's real rate limit (600 requests/min), enrichment on, for a fixed time and reports the
CPU share. One more backfill runs with enrichment on (the emulator writes the demo's sources).

Usage: scripts/bench_ingest.py BIN_DIR [--users N ...] [--enrichment-users N] [--real-rate-seconds S]
"""
import argparse, contextlib, json, os, re, signal, sqlite3, subprocess, sys, tempfile, time

def start_emulator(vigil, users, days, directory, real_limits, enrichment):
    token = os.path.join(directory, "token.jwt")
    args = [vigil, "emulator", "--port", "0", "--users", str(users), "--days", str(days), "--seed", "7",
            "--token-file", token, "--log-level", "error"]
    if enrichment:
        args += ["--enrichment-directory", directory]
    if not real_limits:
        args += ["--rate-per-minute", "100000000", "--rate-per-hour", "1000000000"]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    url = None
    for line in process.stdout:
        match = re.search(r"http://127\.0\.0\.1:\d+", line)
        if match and url is None:
            url = match.group(0)
        if "token for" in line:
            break
    if url is None:
        sys.exit("the emulator did not start")
    return process, url, token

@contextlib.contextmanager
def emulated_account(vigil, users, days, real_limits, enrichment=False):
    """A temporary directory with a running emulator and a vigil.yaml for it; yields (directory, config).
    With enrichment, the emulator writes the demo's City/ASN databases, feeds and lookup beside it."""
    with tempfile.TemporaryDirectory(prefix="vigil-bench-") as directory:
        emulator, url, token = start_emulator(vigil, users, days, directory, real_limits, enrichment)
        try:
            yield directory, write_config(directory, url, token, enrichment)
        finally:
            emulator.terminate()
            emulator.wait()

EVENTS_PER_COMMIT = 5_000

def write_config(directory, url, token, enrichment):
    path = os.path.join(directory, "vigil.yaml")
    with open(path, "w") as f:
        f.write(f"data_dir: .\nstorage:\n  url: sqlite:vigil.db\n"
                f"collector:\n  events_per_commit: {EVENTS_PER_COMMIT}\naccounts:\n"
                f"  - name: bench\n    token_file: {token}\n    url: {url}\n")
        if enrichment:
            with open(os.path.join(directory, "enrichment.yaml")) as section:
                f.write(section.read())
    return path

def run_measured(args, stop_after=None):
    """Runs a process; returns (wall seconds, cpu seconds, peak RSS MiB, exit status)."""
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if stop_after is not None:
        time.sleep(stop_after)
        process.send_signal(signal.SIGTERM)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)

def count(database):
    with sqlite3.connect(database) as db:
        return db.execute("SELECT count(*) FROM events").fetchone()[0]

def enriched(database):
    """Share of sign-ins that carry an ASN (from the ASN database): proves enrichment ran."""
    with sqlite3.connect(database) as db:
        total, located = db.execute("SELECT count(*), count(source_as_number) FROM events "
                                    "WHERE event_stream = 'signinattempts'").fetchone()
    return located / max(total, 1)

def backfill(bin_dir, users, days, enrichment=False):
    vigil = os.path.join(bin_dir, "vigil")
    with emulated_account(vigil, users, days, real_limits=False, enrichment=enrichment) as (directory, config):
        wall, cpu, rss, status = run_measured(
            [vigil, "collect", "--until-caught-up", "--config", config, "--log-level", "error"])
        if status != 0:
            sys.exit(f"vigil collect exited {status}")
        database = os.path.join(directory, "vigil.db")
        events = count(database)
        disk = sum(os.path.getsize(database + suffix) for suffix in ("", "-wal") if os.path.exists(database + suffix))
        baseline = subprocess.run([os.path.join(bin_dir, "IngestBaseline"), database,
                                   os.path.join(directory, "baseline.db"), str(EVENTS_PER_COMMIT)],
                                  capture_output=True, text=True, check=True)
        bare = json.loads(baseline.stdout)
        located = enriched(database)
    if enrichment and located < 0.5:
        sys.exit(f"enrichment did not run: {located:.0%} of sign-ins have an ASN")
    return events, wall, cpu, rss, bare, disk

def real_rate(bin_dir, users, days, seconds):
    vigil = os.path.join(bin_dir, "vigil")
    with emulated_account(vigil, users, days, real_limits=True, enrichment=True) as (directory, config):
        wall, cpu, rss, _ = run_measured(
            [vigil, "collect", "--config", config, "--log-level", "error"], stop_after=seconds)
        database = os.path.join(directory, "vigil.db")
        events = count(database)
        located = enriched(database)
    if located < 0.5:
        sys.exit(f"enrichment did not run: {located:.0%} of sign-ins have an ASN")
    return events, wall, cpu, rss

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bin_dir")
    parser.add_argument("--users", type=int, nargs="+", default=[250, 1000],
                        help="organisation sizes (118 days each; ~1,600 events per user: 1,900 users make 3M)")
    parser.add_argument("--days", type=int, default=118)
    parser.add_argument("--real-rate-seconds", type=float, default=60)
    parser.add_argument("--events-per-commit", type=int, default=5_000,
                        help="collector.events_per_commit (1000 commits each page alone, as before batching)")
    parser.add_argument("--enrichment-users", type=int, default=200,
                        help="size of the extra run with enrichment on (0: none)")
    options = parser.parse_args()
    global EVENTS_PER_COMMIT
    EVENTS_PER_COMMIT = options.events_per_commit
    print(f"   events per commit: {EVENTS_PER_COMMIT:,} (collector and bare loop alike)")
    print("== backfill over loopback into SQLite (vigil collect --until-caught-up), baseline: bare prepared inserts")
    print("   goals (cheap-ingest issue): >= 50k events per CPU-s, collector <= 1.3x bare, RSS <= 150 MiB, "
          "disk <= 600 B per event, cost per event flat with size (<= 1.2x), <= 20% of a core at the real rate")
    costs = []
    runs = [(users, False) for users in options.users]
    if options.enrichment_users > 0:
        runs.append((options.enrichment_users, True))
    for users, enrichment in runs:
        events, wall, cpu, rss, bare, disk = backfill(options.bin_dir, users, options.days, enrichment)
        if enrichment:
            print(f"   with enrichment on (the demo's City and ASN databases, Tor and threat feeds, network lookup):")
        per_core = events / cpu
        bare_per_core = bare["rows"] / bare["cpu_seconds"]
        ratio = bare_per_core / per_core
        if not enrichment:
            costs.append((events, cpu / events))
        print(f"{events:>9,} events: {events / wall:>9,.0f} events/s wall, {per_core:>9,.0f} events per CPU-second "
              f"(goal 50k: {per_core / 50_000:.2f}x), {cpu * 100_000 / events:.2f} CPU-s per 100k events")
        print(f"{'':>9}  bare insert loop: {bare['rows'] / bare['seconds']:>9,.0f} rows/s wall, "
              f"{bare_per_core:>9,.0f} rows per CPU-second; collector CPU per event / bare = "
              f"{ratio:.2f}x (goal 1.3x: {ratio / 1.3:.2f}x)")
        print(f"{'':>9}  peak RSS {rss:.0f} MiB (goal 150: {rss / 150:.2f}x); disk {disk / events:,.0f} bytes per "
              f"event (goal 600: {disk / events / 600:.2f}x)")
    if len(costs) > 1:
        (small, small_cost), (large, large_cost) = costs[0], costs[-1]
        print(f"   cost per event at {large:,} events / at {small:,}: {large_cost / small_cost:.2f}x "
              f"(goal 1.2x: {large_cost / small_cost / 1.2:.2f}x)")
    if options.real_rate_seconds > 0:
        print(f"== at the API's real limits (600 requests/min), {options.real_rate_seconds:.0f} s, enrichment on")
        events, wall, cpu, rss = real_rate(options.bin_dir, options.users[-1], options.days, options.real_rate_seconds)
        share = 100 * cpu / wall
        print(f"{events:,} events in {wall:.1f} s ({events / wall:,.0f}/s): {cpu:.2f} CPU-s = "
              f"{share:.1f}% of one core (goal 20%: {share / 20:.2f}x), peak RSS {rss:.0f} MiB")

if __name__ == "__main__":
    main()
