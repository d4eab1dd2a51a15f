#!/usr/bin/env python3
"""Search benchmark: dashboard aggregations and selective filters over stores of 1M and 10M events generated
from the emulator's organisation (SearchBench generate), timed in Vigil on SQLite and on PostgreSQL
(SearchBench run: the library entry point, the store opened as `vigil run` opens storage.url) and in DuckDB
(from PyPI) on the same events, in the same run. Prints the median of each query, the ratios to DuckDB, how
each engine's cost grows from the smallest store to the largest, and checks that all three found the same rows.

Usage: scripts/bench_search.py BIN_DIR [--events N[,N…]] [--dir DIR] [--db PATH] [--repeat K] [--no-postgres]
Each size's SQLite store is generated once (DIR/vigil-N.db, default DIR /tmp/vigil-search-bench) and kept;
its DuckDB copy beside it; its PostgreSQL copy (`vigil migrate`, then VACUUM ANALYZE) in a cluster kept in
DIR/pg (scripts/postgres), one database per size. Later runs reuse all of them.
"""
import argparse, csv, json, os, sqlite3, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Memory for the server's cache and sorts: the store is tens of GiB and the machine has 24.
PG_SETTINGS = "-c shared_buffers=2GB -c work_mem=64MB -c effective_cache_size=12GB -c maintenance_work_mem=1GB"

HOUR = 3_600_000_000_000
DAY = 24 * HOUR

COLUMNS = ["event_time", "event_stream", "event_action", "event_outcome", "user_email", "source_ip",
           "geo_country_code", "geo_country_name", "geo_lat", "geo_lon"]

def generate(bin_dir, db, events):
    os.makedirs(os.path.dirname(db), exist_ok=True)
    started = time.perf_counter()
    out = subprocess.run([os.path.join(bin_dir, "SearchBench"), "generate", db, "--events", str(events)],
                         check=True, capture_output=True, text=True).stdout
    print(f"generated: {out.strip()} in {time.perf_counter() - started:.0f} s", file=sys.stderr)

def load_duckdb(db):
    import duckdb
    path = db + ".duckdb"
    if not os.path.exists(path):
        started = time.perf_counter()
        export = db + ".csv"
        with sqlite3.connect(db) as source, open(export, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(COLUMNS)
            cursor = source.execute(f"SELECT {', '.join(COLUMNS)} FROM events")
            while True:
                rows = cursor.fetchmany(100_000)
                if not rows:
                    break
                writer.writerows(rows)
        con = duckdb.connect(path)
        con.execute(f"""CREATE TABLE events AS SELECT * FROM read_csv('{export}', header = true, columns = {{
            'event_time': 'BIGINT', 'event_stream': 'VARCHAR', 'event_action': 'VARCHAR', 'event_outcome': 'VARCHAR',
            'user_email': 'VARCHAR', 'source_ip': 'VARCHAR', 'geo_country_code': 'VARCHAR',
            'geo_country_name': 'VARCHAR', 'geo_lat': 'DOUBLE', 'geo_lon': 'DOUBLE'}})""")
        con.close()
        os.remove(export)
        print(f"DuckDB copy built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return duckdb.connect(path, read_only=True)

def queries(now, user, ip):
    month = now - 30 * DAY + 1234567  # "the last 30 days", not aligned to any bucket
    window = "event_time >= $from AND event_time < $now"
    return [
        ("sign-ins by category, 30 days", "signin | count by action", month,
         f"SELECT event_action, count(*) AS n FROM events WHERE event_stream = 'signinattempts' AND {window} "
         "GROUP BY 1 ORDER BY n DESC, 1", [0, 1]),
        ("top users by failures, 30 days", "signin outcome:failure | top 10 user", month,
         f"SELECT user_email, count(*) AS n FROM events WHERE event_stream = 'signinattempts' "
         f"AND event_outcome = 'failure' AND {window} GROUP BY 1 ORDER BY n DESC, 1 LIMIT 10", [0, 1]),
        ("sign-ins per hour by outcome, 30 days", "signin | timechart span=1h count by outcome", month,
         f"SELECT event_time - event_time % {HOUR} AS t, event_outcome, count(*) AS n FROM events "
         f"WHERE event_stream = 'signinattempts' AND {window} GROUP BY 1, 2 ORDER BY 1, 2", [0, 1, 2]),
        ("sign-ins by country (map), 30 days", "signin | geo", month,
         "SELECT geo_country_code, geo_country_name, count(*) AS n, "
         "avg(CASE WHEN geo_lat IS NOT NULL AND geo_lon IS NOT NULL THEN geo_lat END) FROM events "
         f"WHERE event_stream = 'signinattempts' AND {window} GROUP BY 1, 2 ORDER BY n DESC, 1, 2", [0, 1, 2, 3]),
        ("rarest audit actions, 30 days", "audit | rare 10 action", month,
         f"SELECT event_action, count(*) AS n FROM events WHERE event_stream = 'auditevents' AND {window} "
         "GROUP BY 1 ORDER BY n ASC, 1 LIMIT 10", [0, 1]),
        ("events by stream, all time", "| count by stream", None,
         "SELECT event_stream, count(*) AS n FROM events WHERE event_time < $now GROUP BY 1 ORDER BY n DESC, 1", [0, 1]),
        ("one user's newest 100 events", f'user:"{user}" | limit 100', None,
         f"SELECT event_time, event_action FROM events WHERE user_email = '{user}' AND event_time < $now "
         "ORDER BY event_time DESC LIMIT 100", [0, 2]),
        ("one address's newest 100 events", f"ip:{ip} | limit 100", None,
         f"SELECT event_time, event_action FROM events WHERE source_ip = '{ip}' AND event_time < $now "
         "ORDER BY event_time DESC LIMIT 100", [0, 2]),
    ]

def matches(a, b):
    """Values from DuckDB and from Vigil's JSON agree (floating means up to rounding)."""
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and abs(a - b) <= 1e-6 * max(1.0, abs(a))
    return a == b

def median_ms(function, repeat):
    timings = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return timings[len(timings) // 2], result

def start_postgres(directory):
    env = dict(os.environ, VIGIL_POSTGRES_SETTINGS=PG_SETTINGS)
    url = subprocess.run([os.path.join(ROOT, "scripts", "postgres"), "start", directory], check=True,
                         capture_output=True, text=True, env=env).stdout.strip()
    return url

def psql(url, sql):
    return subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-Atq", "-c", sql], check=True,
                          capture_output=True, text=True).stdout.strip()

def load_postgres(bin_dir, server, db, events):
    """The SQLite store copied into its own database with `vigil migrate` (resumes; a no-op once done)."""
    name = f"vigil_{events}"
    if not psql(server, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
        psql(server, f"CREATE DATABASE {name}")
    url = server.replace("/postgres?", f"/{name}?")
    marker = db + ".pg-loaded"
    if not os.path.exists(marker):
        started = time.perf_counter()
        subprocess.run([os.path.join(bin_dir, "vigil"), "migrate", "--from", f"sqlite:{db}", "--to", url],
                       check=True, stdout=sys.stderr)
        psql(url, "VACUUM ANALYZE")
        open(marker, "w").close()
        print(f"PostgreSQL copy of {os.path.basename(db)} built in {time.perf_counter() - started:.0f} s",
              file=sys.stderr)
    size = int(psql(url, f"SELECT pg_database_size('{name}')")) / 2**30
    return url, size

def run_vigil(bin_dir, store, now, plan, repeat):
    args = [os.path.join(bin_dir, "SearchBench"), "run", store, "--now", str(now), "--repeat", str(repeat)]
    args += [text if start is None else f"{text}@@{start}" for _, text, start, _, _ in plan]
    return json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)

def same_rows(duck_rows, measured, mapping):
    return len(duck_rows) == measured["rows"] and all(
        matches(duck_row[d], vigil_row[v]) for duck_row, vigil_row in zip(duck_rows, measured["head"])
        for d, v in enumerate(mapping))

def ratio(a, b):
    return f"{a / b:.2f}x" if b > 0 else "-"

def measure(options, events, db, server):
    if not os.path.exists(db):
        generate(options.bin_dir, db, events)
    with sqlite3.connect(db) as connection:
        count, newest = connection.execute("SELECT count(*), max(event_time) FROM events").fetchone()
        user = connection.execute("SELECT user_email FROM events WHERE sequence = ?", (count // 2,)).fetchone()[0]
        ip = connection.execute("SELECT source_ip FROM events WHERE sequence = ? ", (count // 3,)).fetchone()[0]
    sqlite_size = os.path.getsize(db) / 2**30
    now = newest + 1
    duck = load_duckdb(db)
    plan = queries(now, user, ip)
    engines = {"SQLite": run_vigil(options.bin_dir, db, now, plan, options.repeat)}
    pg_size = None
    if server:
        url, pg_size = load_postgres(options.bin_dir, server, db, events)
        engines["PostgreSQL"] = run_vigil(options.bin_dir, url, now, plan, options.repeat)
    sizes = f"SQLite {sqlite_size:.1f} GiB" + (f", PostgreSQL {pg_size:.1f} GiB" if pg_size else "")
    print(f"\n{count:,} events ({sizes}); medians of {options.repeat} warm runs")
    names = list(engines)
    print("| query | " + " | ".join(f"{n} ms" for n in names) + " | DuckDB ms | "
          + " | ".join(f"{n} / DuckDB" for n in names) + " | rows |")
    print("|---" * (2 + 2 * len(names)) + "|---|")
    results = []
    for index, (name, text, start, sql, mapping) in enumerate(plan):
        bound = sql.replace("$from", str(start or 0)).replace("$now", str(now))
        duck_ms, rows = median_ms(lambda: duck.execute(bound).fetchall(), options.repeat)
        measured = {n: engines[n][index] for n in names}
        agree = all(same_rows(rows, m, mapping) for m in measured.values())
        row_counts = " / ".join(str(m["rows"]) for m in measured.values()) + f" / {len(rows)}"
        print(f"| {name} (`{text}`) | " + " | ".join(f"{m['median_ms']:.2f}" for m in measured.values())
              + f" | {duck_ms:.2f} | " + " | ".join(ratio(m["median_ms"], duck_ms) for m in measured.values())
              + f" | {row_counts}{'' if agree else ' MISMATCH'} |")
        results.append(dict({n: m["median_ms"] for n, m in measured.items()}, DuckDB=duck_ms, name=name))
    duck.close()
    return count, results

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bin_dir")
    parser.add_argument("--events", default="1000000,10000000", help="store sizes, comma-separated")
    parser.add_argument("--dir", default="/tmp/vigil-search-bench")
    parser.add_argument("--db", help="one store's path (with a single size)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--postgres", action=argparse.BooleanOptionalAction, default=True)
    options = parser.parse_args()
    sizes = [int(text) for text in options.events.split(",")]
    os.makedirs(options.dir, exist_ok=True)
    server = start_postgres(os.path.join(options.dir, "pg")) if options.postgres else None
    try:
        measured = []
        for events in sizes:
            db = options.db if options.db and len(sizes) == 1 else os.path.join(options.dir, f"vigil-{events}.db")
            measured.append(measure(options, events, db, server))
    finally:
        if server:
            subprocess.run([os.path.join(ROOT, "scripts", "postgres"), "halt", os.path.join(options.dir, "pg")])
    if len(measured) > 1:
        (small, first), (large, last) = measured[0], measured[-1]
        engines = [key for key in first[0] if key != "name"]
        print(f"\nGrowth from {small:,} to {large:,} events ({large / small:.1f}x the events): "
              "each engine's time at the larger size over its time at the smaller")
        print("| query | " + " | ".join(engines) + " |")
        print("|---" * (1 + len(engines)) + "|")
        for a, b in zip(first, last):
            print(f"| {a['name']} | " + " | ".join(ratio(b[e], a[e]) for e in engines) + " |")

if __name__ == "__main__":
    main()
