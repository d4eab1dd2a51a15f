#!/usr/bin/env python3
"""Web benchmark: the server time of every built-in dashboard over 30 days of a large store, and the
JSON API under wrk from a second process while the collector ingests.

1. Generates a store from the emulator's organisation (SearchBench generate; kept and reused, like the
   search benchmark's) unless --db names one.
2. Serves it (`vigil serve`, release) and times each dashboard over the last 30 days: the JSON of every
   panel (`/api/dashboards/ID`) and the page with its charts (`/d/ID`), median of --repeat requests,
   first with the panel cache off (every request computes every panel), then with the default one-minute
   cache (the same dashboard again within the minute). The baseline, measured in the same run, is
   `/healthz`: the floor of one request over loopback.
3. Runs `vigil run` on the same store with an emulated account backfilling into it, and meanwhile wrk
   (2 threads, 16 connections) on a search and on the alert list: requests/s and latency percentiles.

Targets (issue 15): each dashboard <= 150 ms; the API p99 <= 100 ms at >= 500 requests/s.

Usage: scripts/bench_web.py BIN_DIR [--events N] [--db PATH] [--repeat K] [--seconds S]
"""
import argparse, hashlib, json, os, re, secrets, shutil, signal, socket, statistics, subprocess, sys, tempfile, time
import http.cookiejar, urllib.parse, urllib.request

DASHBOARDS = ["overview", "signins", "failed-signins", "map", "item-usage", "audit", "threat-intel"]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url, token, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            request(url, token)
            return
        except Exception:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer in {seconds} s")


def request(url, token):
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=600) as response:
        return response.read()


def timed(url, token, repeat):
    request(url, token)  # warm: SQLite's page cache, the first query plan
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        body = request(url, token)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(body)


def password_hash(vigil, directory, password):
    path = os.path.join(directory, "password")
    with open(path, "w") as f:
        f.write(password + "\n")
    out = subprocess.run([vigil, "user", "add", "bench", "--password-file", path, "--cost", "10"], check=True,
                         capture_output=True, text=True).stdout
    return re.search(r"password_hash: '([^']+)'", out).group(1)


def browser_session(base, password):
    """A signed-in cookie jar, as a browser gets it: the login form's token, then the form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login", timeout=60).read().decode()
    csrf = re.search(r'name="_csrf" value="([0-9a-f]+)"', page).group(1)
    form = urllib.parse.urlencode({"_csrf": csrf, "name": "bench", "password": password}).encode()
    opener.open(base + "/login", data=form, timeout=60).read()
    return opener


def timed_page(opener, url, repeat):
    opener.open(url, timeout=600).read()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        body = opener.open(url, timeout=600).read()
        times.append((time.perf_counter() - started) * 1000)
    if b"<h1>" not in body or b'action="/login"' in body:
        raise SystemExit(f"{url} did not answer with the page")
    return statistics.median(times), len(body)


def write_config(directory, db, port, token, account=None, user_hash=None, panel_cache="1m"):
    lines = [f"data_dir: {directory}", "storage:", f"  url: sqlite://{db}", "retention:", "  days: 3650",
             "web:", f"  listen: 127.0.0.1:{port}", f"  panel_cache: '{panel_cache}'", "  api_tokens:",
             f"    - {{name: bench, token_hash: 'sha256:{hashlib.sha256(token.encode()).hexdigest()}'}}"]
    if user_hash:
        lines += ["  users:", f"    - {{name: bench, password_hash: '{user_hash}'}}"]
    if account:
        lines += ["accounts:", "  - name: live", f"    token_file: {account[0]}", f"    url: {account[1]}"]
    else:
        lines += ["accounts:", "  - {name: unused, token_env: VIGIL_BENCH_UNUSED}"]
    path = os.path.join(directory, "vigil.yaml")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def wrk(url, token, seconds):
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", "-H", f"Authorization: Bearer {token}", url],
        check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {}
    for percentile, value, unit in re.findall(r"\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\b", out):
        latency[percentile] = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, latency, int(errors.group(1)) if errors else 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bin_dir")
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--db", default=None)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--panels", type=int, default=15, help="how many of the slowest panels to list")
    parser.add_argument("--skip-wrk", action="store_true", help="dashboards only")
    args = parser.parse_args()
    vigil = os.path.join(args.bin_dir, "vigil")
    db = args.db or f"/tmp/vigil-web-bench/{args.events}/vigil.db"
    if not os.path.exists(db):
        os.makedirs(os.path.dirname(db), exist_ok=True)
        started = time.perf_counter()
        out = subprocess.run([os.path.join(args.bin_dir, "SearchBench"), "generate", db, "--events", str(args.events)],
                             check=True, capture_output=True, text=True).stdout
        print(f"generated: {out.strip()} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    events = subprocess.run(["sqlite3", db, "SELECT count(*), max(event_time) FROM events"], capture_output=True,
                            text=True).stdout.strip() if shutil.which("sqlite3") else "?"
    directory = tempfile.mkdtemp(prefix="vigil-web-bench-")
    token = "vgl_" + secrets.token_hex(24)
    password = secrets.token_hex(12)
    port = free_port()
    user_hash = password_hash(vigil, directory, password)
    results = {"store": {"path": db, "events_and_newest": events}, "dashboards": {}, "wrk": {}}
    # Twice: with the panel cache off (every request computes every panel: the cold cost), then with
    # the default cache (a dashboard opened again within the minute).
    for cache in ["off", "1m"]:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        config = write_config(directory, db, port, token, user_hash=user_hash, panel_cache=cache)
        server = subprocess.Popen([vigil, "serve", "--config", config, "--log-level", "warning"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            wait_for(base + "/api/health", token)
            # Dashboards over the store's last 30 days: the generator's data ends at its newest event, so
            # the range is anchored there rather than at the wall clock.
            health = json.loads(request(base + "/api/health", token))
            newest = max((s.get("newest_event", "") for s in health["streams"]), default="")
            window = "last=30d"
            if newest:
                import datetime
                end = datetime.datetime.strptime(newest[:19], "%Y-%m-%dT%H:%M:%S") + datetime.timedelta(seconds=1)
                start = end - datetime.timedelta(days=30)
                window = urllib.parse.urlencode({"from": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                                 "to": end.strftime("%Y-%m-%dT%H:%M:%SZ")})
            opener = browser_session(base, password)
            floor, _ = timed(base + "/healthz", token, max(args.repeat, 20))
            if cache == "off":
                print(f"baseline /healthz: {floor:.2f} ms (median of {max(args.repeat, 20)})")
                print("computed: panel_cache off, every request runs every panel")
            else:
                print("cached: panel_cache 1m, the same dashboard again within the minute")
            print(f"{'dashboard':<16}{'JSON ms':>10}{'page ms':>10}{'page/healthz':>14}{'target':>10}")
            for dashboard in DASHBOARDS:
                data, _ = timed(f"{base}/api/dashboards/{dashboard}?{window}", token, args.repeat)
                page, size = timed_page(opener, f"{base}/d/{dashboard}?{window}", args.repeat)
                entry = results["dashboards"].setdefault(dashboard, {})
                entry["computed" if cache == "off" else "cached"] = {"json_ms": round(data, 1),
                                                                     "page_ms": round(page, 1)}
                verdict = "ok" if max(data, page) <= 150 else "MISSED"
                print(f"{dashboard:<16}{data:>10.1f}{page:>10.1f}{page / floor:>13.0f}x{verdict:>10}")
            if cache == "off":
                # Where the computed time goes: each panel's query alone through /api/search.
                panels = []
                for dashboard in DASHBOARDS:
                    document = json.loads(request(f"{base}/api/dashboards/{dashboard}?{window}", token))
                    for panel in document["panels"]:
                        query = urllib.parse.quote(panel["query"])
                        took, _ = timed(f"{base}/api/search?q={query}&{window}&limit=20", token, 3)
                        panels.append((took, dashboard, panel["query"]))
                panels.sort(reverse=True)
                results["panels"] = [{"ms": round(t, 1), "dashboard": d, "query": q} for t, d, q in panels]
                print("slowest panels (median of 3 through /api/search):")
                for took, dashboard, query in panels[:args.panels]:
                    print(f"  {took:>8.1f} ms  {dashboard:<15} {query}")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)

    if args.skip_wrk:
        shutil.rmtree(directory, ignore_errors=True)
        print(json.dumps(results))
        return
    # The API under load while the collector backfills an emulated account into the same store.
    api_port = free_port()
    token_file = os.path.join(directory, "emulator.jwt")
    emulator = subprocess.Popen([vigil, "emulator", "--port", str(api_port), "--users", "500", "--days", "60",
                                 "--token-file", token_file], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
    runner = None
    try:
        deadline = time.time() + 60
        while not os.path.exists(token_file) and time.time() < deadline:
            time.sleep(0.2)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        config = write_config(directory, db, port, token, account=(token_file, f"http://127.0.0.1:{api_port}"))
        runner = subprocess.Popen([vigil, "run", "--config", config, "--log-level", "warning"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        wait_for(base + "/healthz", token)
        # A failed-sign-in listing filters on a field with no index (it reads every event of the day);
        # the newest sign-ins stop after the first hundred; the dashboard is what a wall display polls.
        for name, path in [("search failures", "/api/search?q=signin+outcome%3Afailure&last=24h&limit=100"),
                           ("search newest", "/api/search?q=signin&last=24h&limit=100"),
                           ("alerts", "/api/alerts?status=open"),
                           ("dashboard", "/api/dashboards/overview?last=24h")]:
            request(base + path, token)  # warm, as a poller's later requests are
            before = json.loads(request(base + "/api/health", token))
            rate, latency, errors = wrk(base + path, token, args.seconds)
            after = json.loads(request(base + "/api/health", token))
            stored = sum(s["events_stored"] for s in after["streams"] if s["account"] == "live") - sum(
                s["events_stored"] for s in before["streams"] if s["account"] == "live")
            results["wrk"][name] = {"requests_per_s": rate, "latency_ms": latency, "non_2xx": errors,
                                    "events_ingested_meanwhile": stored}
            verdict = "ok" if latency.get("99", 1e9) <= 100 and rate >= 500 else "MISSED"
            print(f"wrk {name}: {rate:.0f} req/s, p50 {latency.get('50', 0):.1f} ms, p99 {latency.get('99', 0):.1f} ms, "
                  f"{errors} non-2xx, {stored} events ingested meanwhile ({verdict})")
    finally:
        for process in [runner, emulator]:
            if process:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(directory, ignore_errors=True)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
