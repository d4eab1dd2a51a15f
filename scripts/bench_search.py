#!/usr/bin/env python3
"""Search benchmark: dashboard aggregations and selective filters over a store of ~10M events generated
from the emulator's organisation (SearchBench generate), timed in Vigil (SearchBench run: the library
entry point on the SQLite store) and in DuckDB (from PyPI) on the same events in the same run.
Prints the median of each query and the ratio Vigil / DuckDB, and checks that both found the same rows.

Usage: scripts/bench_search.py BIN_DIR [--events N] [--db PATH] [--repeat K]
The generated store is kept (default /tmp/vigil-search-bench/vigil.db) and reused by later runs.
"""
import argparse, csv, json, os, sqlite3, subprocess, sys, time

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

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bin_dir")
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--db", default="/tmp/vigil-search-bench/vigil.db")
    parser.add_argument("--repeat", type=int, default=7)
    options = parser.parse_args()
    if not os.path.exists(options.db):
        generate(options.bin_dir, options.db, options.events)
    with sqlite3.connect(options.db) as db:
        count, newest = db.execute("SELECT count(*), max(event_time) FROM events").fetchone()
        user = db.execute("SELECT user_email FROM events WHERE sequence = ?", (count // 2,)).fetchone()[0]
        ip = db.execute("SELECT source_ip FROM events WHERE sequence = ? ", (count // 3,)).fetchone()[0]
        size = os.path.getsize(options.db) / 2**30
    now = newest + 1
    duck = load_duckdb(options.db)
    plan = queries(now, user, ip)
    vigil_args = [os.path.join(options.bin_dir, "SearchBench"), "run", options.db, "--now", str(now),
                  "--repeat", str(options.repeat)]
    vigil_args += [text if start is None else f"{text}@@{start}" for _, text, start, _, _ in plan]
    vigil = json.loads(subprocess.run(vigil_args, check=True, capture_output=True, text=True).stdout)
    print(f"{count:,} events ({size:.1f} GiB SQLite file); medians of {options.repeat} runs, warm")
    print(f"| query | Vigil ms | DuckDB ms | Vigil / DuckDB | rows (Vigil / DuckDB) |")
    print(f"|---|---|---|---|---|")
    for (name, text, start, sql, mapping), measured in zip(plan, vigil):
        bound = sql.replace("$from", str(start or 0)).replace("$now", str(now))
        duck_ms, rows = median_ms(lambda: duck.execute(bound).fetchall(), options.repeat)
        same = len(rows) == measured["rows"] and all(
            matches(duck_row[d], vigil_row[v]) for duck_row, vigil_row in zip(rows, measured["head"])
            for d, v in enumerate(mapping))
        ratio = measured["median_ms"] / duck_ms if duck_ms > 0 else float("inf")
        print(f"| {name} (`{text}`) | {measured['median_ms']:.2f} | {duck_ms:.2f} | {ratio:.2f}x | "
              f"{measured['rows']} / {len(rows)}{'' if same else ' MISMATCH'} |")

if __name__ == "__main__":
    main()
