"""The in-process probe: a URL's SQL queries with their times and EXPLAIN (ANALYZE, BUFFERS)
plans, run inside Django in a subprocess of the bench (bench/people.py, bench/feed.py), and
the plans' summaries the benches print.
"""

import json
import re
import statistics
import subprocess
import sys
import time

from bench._common import PYTHON, ROOT, size

ROWS = re.compile(r"actual time=[\d.]+\.\.[\d.]+ rows=(\d+) loops=(\d+)")


def node_of(line: str) -> str:
    return line.strip().removeprefix("->").strip().split("  (")[0]


def plan_flags(plan: list[str]) -> list[str]:
    """Nodes that touch 1,000+ rows: sequential scans, sorts, hashes and joins of the table."""
    flags = []
    for line in plan:
        match = ROWS.search(line)
        rows = int(match.group(1)) * int(match.group(2)) if match else 0
        node = node_of(line)
        if rows >= 1000 and node.startswith(("Seq Scan", "Sort", "Index Scan", "Index Only")):
            flags.append(f"{node} {rows:,} rows")
    return flags


def plan_summary(plan: list[str], limit: int = 14) -> list[str]:
    """The top node, then every scan with its condition, filter and discarded rows."""
    wanted = ("Index Cond", "Filter", "Rows Removed", "Sort Key", "Sort  (", "Execution Time")
    keep = [
        line
        for i, line in enumerate(plan)
        if i == 0 or "Scan" in line or "Aggregate" in line or line.strip().startswith(wanted)
    ]
    if len(keep) > limit:
        keep = keep[: limit - 1] + ["      ...", keep[-1]]
    return [ln[:160] for ln in keep]


def profile_request(
    client, path: str, *, explain=lambda sql: True, runs: int = size(10, 2), before_each=None
) -> dict:
    """One URL inside Django (test client, no server): the median time of `runs` requests,
    and each SQL query with its median time and, where `explain(sql)`, its EXPLAIN
    (ANALYZE, BUFFERS) plan. `before_each()` runs untimed before every request (to empty
    a cache, say). Needs Django set up (call it in the probe subprocess)."""
    from django.db import connection

    client.get(path)  # warm
    timings, totals = [], []
    for _ in range(runs):
        if before_each is not None:
            before_each()
        captured: list[tuple[str, tuple, float]] = []

        def timed(execute, sql, params, many, context, captured=captured):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                captured.append((sql, params, time.perf_counter() - started))

        started = time.perf_counter()
        with connection.execute_wrapper(timed):
            response = client.get(path)
        totals.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
        timings.append(captured)
    queries = []
    for i, (sql, params, _) in enumerate(timings[-1]):
        ms = statistics.median(run[i][2] for run in timings if len(run) > i) * 1000
        plan = []
        if sql.lstrip().upper().startswith("SELECT") and explain(sql):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                plan = [row[0] for row in cursor.fetchall()]
        queries.append({"sql": sql, "ms": ms, "plan": plan})
    return {"path": path, "ms": statistics.median(totals) * 1000, "queries": queries}


def run_probe(script: str, args: list[str], env: dict, timeout: float) -> dict:
    """Run `script` with `args` in a subprocess (its probe mode) and return the JSON it
    prints on its `PROBE-JSON ` line; exit with its output when there is none."""
    result = subprocess.run(
        [PYTHON, script, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    for line in result.stdout.splitlines():
        if line.startswith("PROBE-JSON "):
            return json.loads(line.removeprefix("PROBE-JSON "))
    sys.exit(f"FAILED: query probe\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")


def print_queries(
    urls: list[dict], labels: dict, label_query, *, show_plan, plan_limit: int = 14
) -> list[str]:
    """Each probed URL's queries (time, label, execution time), then the summary of each plan
    for which `show_plan(label)` holds. Returns findings: the plans that read 1,000+ rows."""
    findings = []
    print()
    print("QUERIES per URL: Django test client in one process (no HTTP server, no concurrency),")
    print("median of 10 requests; plans: EXPLAIN (ANALYZE, BUFFERS) of the same SQL and params.")
    for item in urls:
        db = sum(q["ms"] for q in item["queries"])
        print()
        print(
            f"## {labels[item['key']]}: {len(item['queries'])} queries, {db:.1f} ms in SQL"
            f" of {item['ms']:.1f} ms per request ({item['ms'] - db:.1f} ms outside SQL)"
        )
        for q in item["queries"]:
            execution = next((ln for ln in q["plan"] if ln.startswith("Execution Time")), "")
            print(f"   {q['ms']:6.2f} ms  {label_query(q['sql']):<34} {execution.lower()}")
        for q in item["queries"]:
            name = label_query(q["sql"])
            if not q["plan"] or not show_plan(name):
                continue
            flags = plan_flags(q["plan"])
            verdict = "  << " + "; ".join(flags) if flags else "  (index scans over the page)"
            print(f"   -- {name}{verdict}")
            for line in plan_summary(q["plan"], limit=plan_limit):
                print(f"        {line}")
            if flags:
                findings.append(
                    f"{labels[item['key']]}: {name} {q['ms']:.1f} ms — {'; '.join(flags)}"
                )
    return findings
