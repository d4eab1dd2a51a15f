#!/usr/bin/env python3
"""Ingest into PostgreSQL against SQLite, in one run. The emulator (its own process) serves an organisation
over loopback; `vigil collect --until-caught-up` backfills it once into SQLite and once into a throwaway
PostgreSQL cluster (scripts/postgres). CPU counts Vigil's process and, for PostgreSQL, every server process
(the postmaster, its background workers and the backends, read from /proc before and after).

Baselines, each engine's own bare insert in the same run:
- SQLite: IngestBaseline (prepared inserts of the same rows into the same schema);
- PostgreSQL: the same rows COPYed back into the same (emptied) partitioned table with psql, the fastest
  way PostgreSQL takes them, server and psql CPU counted.

With --profile the server loads pg_stat_statements (a few per cent of its CPU) and the run ends with the
server's time per statement, per event: where PostgreSQL's share goes.

Usage: scripts/bench ingest-postgres [--users N] [--days D] [--profile]
"""
import argparse, json, os, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(__file__))
from bench_ingest import EVENTS_PER_COMMIT, emulated_account, run_measured, count  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")

def process_cpu(pid):
    """utime+stime of a process and of its reaped children, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[11..14] are utime, stime, cutime, cstime (the 14th..17th of the whole line)
    return sum(int(value) for value in fields[11:15]) / TICKS

def server_cpu(data_directory):
    """CPU of the whole cluster: the postmaster with its reaped children, plus its live children."""
    with open(os.path.join(data_directory, "postmaster.pid")) as f:
        postmaster = int(f.readline())
    total = process_cpu(postmaster)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == postmaster:
                total += sum(int(value) for value in fields[11:13]) / TICKS
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total

def psql(url, *args, **kwargs):
    return subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-Atq", *args], check=True, text=True,
                          capture_output=True, **kwargs)

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bin_dir")
    parser.add_argument("--users", type=int, default=250)
    parser.add_argument("--days", type=int, default=118)
    parser.add_argument("--profile", action="store_true", help="print the server's time per statement")
    options = parser.parse_args()
    vigil = os.path.join(options.bin_dir, "vigil")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    print(f"== backfill of {options.users} users x {options.days} days over loopback, SQLite and PostgreSQL "
          f"(vigil collect --until-caught-up, {EVENTS_PER_COMMIT:,} events per commit)")
    print("   goal (cheap-ingest issue, for both engines): >= 50k events per CPU-s, counting the server's CPU")
    cluster = tempfile.mkdtemp(prefix="vigil-bench-pg-")
    settings = "-c shared_preload_libraries=pg_stat_statements" if options.profile else ""
    server = subprocess.run([os.path.join(root, "scripts/postgres"), "start", cluster], check=True, text=True,
                            capture_output=True, env=dict(os.environ, VIGIL_POSTGRES_SETTINGS=settings)).stdout.strip()
    profile = []
    try:
        data = os.path.join(cluster, "data")
        with emulated_account(vigil, options.users, options.days, real_limits=False) as (directory, config):
            wall, cpu, rss, status = run_measured(
                [vigil, "collect", "--until-caught-up", "--config", config, "--log-level", "error"])
            if status != 0:
                sys.exit(f"vigil collect (SQLite) exited {status}")
            database = os.path.join(directory, "vigil.db")
            events = count(database)
            bare = json.loads(subprocess.run(
                [os.path.join(options.bin_dir, "IngestBaseline"), database, os.path.join(directory, "bare.db"),
                 str(EVENTS_PER_COMMIT)], capture_output=True, text=True, check=True).stdout)
            sqlite_row = (events, wall, cpu, 0.0, bare["rows"], bare["cpu_seconds"])

            psql(server, "-c", "CREATE DATABASE bench")
            url = server.replace("/postgres?", "/bench?")
            if options.profile:
                psql(url, "-c", "CREATE EXTENSION pg_stat_statements")
            with open(config) as f:
                text = f.read()
            with open(config, "w") as f:
                f.write(text.replace("url: sqlite:vigil.db", f"url: {url}"))
            before = server_cpu(data)
            wall, cpu, rss, status = run_measured(
                [vigil, "collect", "--until-caught-up", "--config", config, "--log-level", "error"])
            if status != 0:
                sys.exit(f"vigil collect (PostgreSQL) exited {status}")
            server_seconds = server_cpu(data) - before
            stored = int(psql(url, "-c", "SELECT count(*) FROM events").stdout)
            if options.profile:
                profile = [line.split("|", 3) for line in psql(url, "-c", """
                    SELECT calls, total_exec_time, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 90)
                    FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'
                    ORDER BY total_exec_time DESC LIMIT 14""").stdout.splitlines()]
            # The emulator's organisation lives on in real time: the second run may find a few newer events.
            if not events <= stored <= events * 1.01:
                sys.exit(f"PostgreSQL holds {stored:,} events, SQLite {events:,}")
            # The bare baseline: the same rows, COPYed into the same table by psql.
            dump = os.path.join(cluster, "events.copy")
            os.chmod(cluster, 0o777)
            psql(url, "-c", f"\\copy (SELECT * FROM events) TO '{dump}'")
            psql(url, "-c", "TRUNCATE events")
            before = server_cpu(data)
            bare_wall, bare_cpu, _, bare_status = run_measured(
                ["psql", url, "-v", "ON_ERROR_STOP=1", "-q", "-c", f"\\copy events FROM '{dump}'"])
            if bare_status != 0:
                sys.exit("the bare COPY failed")
            bare_server = server_cpu(data) - before
            postgres_row = (stored, wall, cpu, server_seconds, stored, bare_cpu + bare_server)
    finally:
        subprocess.run([os.path.join(root, "scripts/postgres"), "stop", cluster], check=False)
    for name, (events, wall, cpu, server_seconds, bare_rows, bare_seconds) in (
            ("SQLite", sqlite_row), ("PostgreSQL", postgres_row)):
        total = cpu + server_seconds
        per_core = events / total
        bare_per_core = bare_rows / bare_seconds
        print(f"{name:>11}: {events:,} events in {wall:.1f} s wall; Vigil {cpu:.1f} CPU-s + server "
              f"{server_seconds:.1f} CPU-s = {per_core:,.0f} events per CPU-s (goal 50k: {per_core / 50_000:.2f}x)")
        print(f"{'':>11}  bare insert: {bare_per_core:,.0f} rows per CPU-s; Vigil's cost per event / bare = "
              f"{bare_per_core / per_core:.2f}x")
    if profile:
        total = sum(float(row[1]) for row in profile)
        print(f"   the server's time per statement ({total / 1000:.1f} s in the {len(profile)} costliest), per event stored:")
        print("   | statement | calls | µs per event | share |")
        print("   |---|---|---|---|")
        for calls, milliseconds, rows, query in profile:
            print(f"   | `{query.replace('|', '/')}` | {calls} | {float(milliseconds) * 1000 / postgres_row[0]:.1f} | "
                  f"{float(milliseconds) / total:.0%} |")
    print(f"   PostgreSQL / SQLite, events per CPU-s: "
          f"{(postgres_row[0] / (postgres_row[2] + postgres_row[3])) / (sqlite_row[0] / sqlite_row[2]):.2f}x")

if __name__ == "__main__":
    main()
