"""The load generator and its tables: GETs from threads, interleaved rounds, percentiles and
the table of each URL beside the floor measured in the same run (bench/people.py,
bench/feed.py, bench/search.py, bench/intake.py...). Everything talks to 127.0.0.1 only and is
bounded in count and time.
"""

import http.client
import itertools
import json
import math
import statistics
import sys
import threading
import time
import urllib.parse

from bench._common import get


def run_threads(port, path, headers, total, cap, concurrency) -> tuple[list[float], dict]:
    """`total` GETs from `concurrency` threads, each with its own connection (kept alive
    when the server allows it: daphne does, gunicorn's sync workers close it every time)."""
    tickets = itertools.count()
    deadline = time.monotonic() + cap
    lock = threading.Lock()
    latencies: list[float] = []
    errors: dict[str, int] = {}

    def worker():
        mine = []
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while next(tickets) < total and time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                resp = conn.getresponse()
                resp.read()
                status = resp.status
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                status = type(exc).__name__
            elapsed = time.perf_counter() - started
            if status == 200:
                mine.append(elapsed)
            else:
                with lock:
                    errors[str(status)] = errors.get(str(status), 0) + 1
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors


def pct(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[max(0, math.ceil(q * len(sorted_values)) - 1)]


def follow_next(port: int, headers: dict, path: str, pages: int) -> str:
    """The path (with its cursor) that an API list's `next` leads to after `pages` pages."""
    for _ in range(pages):
        status, body = get(port, path, headers)
        if status != 200:
            sys.exit(f"FAILED: GET {path} answered {status}: {body[:300]!r}")
        parts = urllib.parse.urlsplit(json.loads(body)["next"])
        path = f"{parts.path}?{parts.query}"
    return path


def cursor_of(path: str) -> str:
    return urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)["cursor"][0]


def measure(
    runs: list[dict],
    endpoints: list[tuple],
    paths: dict,
    headers: dict,
    *,
    check,
    warmup: int,
    rounds: int,
    cap: float,
) -> dict:
    """For each run (a port, a count of GETs per URL, a concurrency): the figures per URL.

    `endpoints` are (key, label, path, kind, goal) rows, the first of them the floor;
    `check(port, key, path, headers)` makes sure a URL answers what a signed-in person sees
    before it is measured. The GETs are made in `rounds` rounds; each round visits every URL
    in turn and, for each URL, every run in turn. A burst of noise on this shared machine so
    hits the floor and the pages, WSGI and ASGI alike, rather than one of them.
    """
    for run in runs:
        for key, _label, _path, kind, _goal in endpoints:
            check(run["port"], key, paths[key], headers[kind])
            run_threads(run["port"], paths[key], headers[kind], warmup, cap, run["concurrency"])
    acc = {
        run["name"]: {
            key: {"lat": [], "wall": 0.0, "cpu": 0.0, "errors": {}, "rounds": []}
            for key, *_ in endpoints
        }
        for run in runs
    }
    floor = endpoints[0][0]
    for round_number in range(rounds):
        for key, _label, _path, kind, _goal in endpoints:
            for run in runs:
                per_round = math.ceil(run["total"] / rounds)
                n = max(0, min(per_round, run["total"] - round_number * per_round))
                cpu0, wall0 = time.process_time(), time.perf_counter()
                lat, errors = run_threads(
                    run["port"], paths[key], headers[kind], n, cap / rounds, run["concurrency"]
                )
                wall = time.perf_counter() - wall0
                a = acc[run["name"]][key]
                a["lat"] += lat
                a["wall"] += wall
                a["cpu"] += time.process_time() - cpu0
                a["rounds"].append(len(lat) / wall)
                for name, count in errors.items():
                    a["errors"][name] = a["errors"].get(name, 0) + count
        floors = ", ".join(f"{r['name']} {acc[r['name']][floor]['rounds'][-1]:.0f}" for r in runs)
        print(f"   round {round_number + 1}/{rounds} done; floor req/s: {floors}", flush=True)
    results = {}
    for run in runs:
        results[run["name"]] = {}
        for key, a in acc[run["name"]].items():
            lat = sorted(a["lat"])
            results[run["name"]][key] = {
                "n": len(lat),
                "capped": len(lat) + sum(a["errors"].values()) < run["total"],
                "errors": a["errors"],
                "rps": len(lat) / a["wall"],
                "p50": pct(lat, 0.50) * 1000,
                "p95": pct(lat, 0.95) * 1000,
                "p99": pct(lat, 0.99) * 1000,
                "client_cpu": a["cpu"] / a["wall"],
                "rounds": a["rounds"],
            }
    return results


def print_table(
    title: str,
    endpoints: list[tuple],
    results: dict,
    *,
    cap: float,
    goal: tuple[str, object] | None = None,
) -> None:
    """One run's rows: p50/p95/p99, req/s and both beside the floor (the first endpoint).
    `goal` is (column head, met(result, ratio to the floor's req/s) -> bool): a column
    saying met or NOT MET on the rows whose endpoint has a goal."""
    floor = results[endpoints[0][0]]
    print()
    print(title)
    head = (
        f"{'endpoint':<38} {'n':>5} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'req/s':>7}"
        f" {'req/s vs floor':>14} {'p95 vs floor':>12}"
    )
    if goal:
        head += f"  {goal[0]}"
    print(head)
    print("-" * len(head))
    for key, label, _path, _kind, has_goal in endpoints:
        r = results[key]
        ratio = r["rps"] / floor["rps"]
        line = (
            f"{label:<38} {r['n']:>5} {r['p50']:>7.1f} {r['p95']:>7.1f} {r['p99']:>7.1f}"
            f" {r['rps']:>7.1f} {ratio:>13.2f}x {r['p95'] / floor['p95']:>11.1f}x"
        )
        if goal and has_goal:
            line += f"  {'met' if goal[1](r, ratio) else 'NOT MET'}"
        if r["capped"]:
            line += f"  (stopped by the {cap:.0f} s cap)"
        if r["errors"]:
            line += f"  errors: {r['errors']}"
        print(line.rstrip())
    rounds = " / ".join(f"{x:.0f}" for x in floor["rounds"])
    cpu = statistics.mean(r["client_cpu"] for r in results.values())
    print(f"(floor req/s round by round: {rounds}; the load generator used {cpu * 100:.0f}%")
    print(" of one core on average, on the same 2 cores as the server and PostgreSQL)")
