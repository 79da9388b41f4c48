"""Community analytics at 1,000,000 posts on PostgreSQL: the group and company reports'
p50/p95 and SQL per figure, next to a floor measured in the same run.

Run:  .venv/bin/python bench/analytics.py      (seeds its own database the first time, as
      bench/feed.py does: about 12 minutes; then about a minute a run)
      --runs N: requests per URL (default 20)   --weeks N: the period (default 12)

What it does, all in-process and bounded:

1. Database `socialhub_analyticsbench`: created if missing, migrated, `seed_demo --employees
   10000`, then bench/feed.py's own seeding (`--seed`: 500 groups, 1,000,000 posts over two
   years by COPY, 200,000 comments, 500,000 reactions; about one post in eight a question,
   since its generated texts that end with "?" are posted as questions). Skipped when there.
2. In a Django process, as the demo admin (token), through the test client: GET
   /api/v1/analytics/company/?weeks=N (every group), /api/v1/groups/<the busiest
   group>/analytics/?weeks=N and /bench/bare/ (the floor: a bare JSON view, same
   middleware), interleaved, --runs times each after 2 warm-ups; p50/p95/max, the ratio of
   p95 to the floor's p95, the number of queries and each query's median time with the
   flags of its EXPLAIN (ANALYZE, BUFFERS) plan.
3. The load average beside the figures: the machine is shared.
   The weeks that are over come from the weekly rollups (analytics.models), stored before
   measuring by `manage.py rollup_analytics --weeks N --group <busiest>` (timed and printed:
   what the clock's nightly job costs per week). The current week: "warm" reads its own
   rollup, stored as the task a report queues stores it (what people see but for the first
   look at a scope each week); "cold" (measured after the warm rows, the current week's
   rollups deleted before each request): the first look of the week, counted from the raw
   rows (and stored again by the task, which runs in the request where Celery is eager).
Goal (warm): company-wide report p95 <= 1,000 ms and group report p95 <= 250 ms at 1M posts.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import _common, _load, _probe  # noqa: E402
from bench import feed as feed_bench  # noqa: E402

DB_NAME = _common.db_name("socialhub_analyticsbench")
VAR_DIR = _common.ROOT / "var" / "bench-analytics"
ENV = _common.bench_env(DB_NAME, VAR_DIR)
EMPLOYEES = _common.size(10_000, _common.SMOKE_EMPLOYEES)
GOALS_MS = {"company": 1000.0, "group": 250.0}


def prepare() -> None:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _common.step(f"database {DB_NAME}: create if missing, migrate, seed {EMPLOYEES:,} employees")
    _common.ensure_database(DB_NAME)
    _common.manage(ENV, "migrate", "--noinput", "--verbosity", "0", timeout=900)
    _common.manage(ENV, "seed_demo", "--employees", str(EMPLOYEES), timeout=1800)
    _common.step(f"content: {feed_bench.POSTS:,} posts (bench/feed.py --seed; skipped when there)")
    result = subprocess.run(
        [_common.PYTHON, str(Path(feed_bench.__file__).resolve()), "--seed"],
        cwd=_common.ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if result.returncode != 0:
        sys.exit(f"FAILED: seeding\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    for line in result.stdout.splitlines():
        print(f"   {line}")
    # bench/feed.py's COPY leaves every reaction at the time of the load and makes few
    # questions (texts ending with "?"): here, once, reactions follow their post by up to
    # three days and one post in eight is a question, so both figures have work to do.
    questions = _common.run_sql(DB_NAME, "SELECT count(*) FROM feeds_post WHERE kind = 'question'")
    if questions[0][0] < feed_bench.POSTS // 20:
        _common.step("spreading reactions over time, one post in eight a question")
        _common.run_sql(
            DB_NAME,
            "UPDATE feeds_reaction r SET created_at = p.created_at + (r.id % 72) * interval"
            " '1 hour' FROM feeds_post p WHERE p.id = r.post_id",
        )
        _common.run_sql(
            DB_NAME, "UPDATE feeds_post SET kind = 'question' WHERE id % 8 = 0 AND kind = 'update'"
        )
        _common.run_sql(DB_NAME, "VACUUM ANALYZE feeds_post")
        _common.run_sql(DB_NAME, "VACUUM ANALYZE feeds_reaction")
    _common.run_sql(DB_NAME, "ANALYZE")


def roll_up(weeks: int) -> float:
    """The weekly rollups of the period for the company and the busiest group, as the clock
    and `manage.py rollup_analytics` store them (every run: the weeks move with the date).
    Returns the seconds it took."""
    busiest = _common.run_sql(
        DB_NAME,
        "SELECT g.slug FROM feeds_post p JOIN groups_group g ON g.id = p.group_id"
        " GROUP BY g.slug ORDER BY count(*) DESC, g.slug LIMIT 1",
    )[0][0]
    _common.step(f"weekly rollups: the last {weeks} weeks, company and group {busiest}")
    t0 = time.perf_counter()
    _common.manage(ENV, "rollup_analytics", "--weeks", str(weeks), "--group", busiest, timeout=3600)
    seconds = time.perf_counter() - t0
    _common.run_sql(DB_NAME, "VACUUM ANALYZE analytics_weeklyfigures")
    _common.run_sql(DB_NAME, "VACUUM ANALYZE analytics_weeklycontribution")
    return seconds


def probe_main(runs: int, weeks: int) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from feeds.models import Post

    admin = get_user_model().objects.get(username="admin")
    client = Client(
        HTTP_HOST="127.0.0.1",
        HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=admin)[0].key}",
        HTTP_ACCEPT="application/json",
    )
    busiest = (
        Post.objects.values("group__slug")
        .annotate(n=Count("id"))
        .order_by("-n", "group__slug")
        .values_list("group__slug", "n")
        .first()
    )
    paths = {
        "floor": "/bench/bare/",
        "company": f"/api/v1/analytics/company/?weeks={weeks}",
        "group": f"/api/v1/groups/{busiest[0]}/analytics/?weeks={weeks}",
    }
    paths["company-cold"] = paths["company"]
    paths["group-cold"] = paths["group"]
    for path in paths.values():
        for _ in range(2):
            assert client.get(path).status_code == 200, path
    # The current week as the task a report queues stores it (no worker runs in this probe).
    from analytics import selectors as analytics
    from analytics import services as rollups
    from analytics.models import WeeklyContribution, WeeklyFigures
    from groups.models import Group

    monday = analytics.period_start(1).date()
    busiest_group = Group.objects.get(slug=busiest[0])
    t0 = time.perf_counter()
    for scope in (None, busiest_group):
        rollups.roll_up_week(group=scope, monday=monday)
    current_rollup_seconds = time.perf_counter() - t0
    times: dict[str, list[float]] = {key: [] for key in paths}
    sql: dict[str, list[list]] = {key: [] for key in paths}
    for key_order in (("floor", "company", "group"), ("company-cold", "group-cold")):
        for _ in range(runs):
            for key in key_order:
                path = paths[key]
                if key.endswith("-cold"):  # the first look of the week, every time
                    for model in (WeeklyFigures, WeeklyContribution):
                        model.objects.filter(week=monday).delete()
                captured: list = []

                def timed(execute, s, params, many, context, captured=captured):
                    t0 = time.perf_counter()
                    try:
                        return execute(s, params, many, context)
                    finally:
                        captured.append((s, params, time.perf_counter() - t0))

                if key.endswith("-cold"):
                    cache.clear()
                t0 = time.perf_counter()
                with connection.execute_wrapper(timed):
                    response = client.get(path)
                times[key].append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200, (path, response.status_code)
                sql[key].append(captured)
    report = {
        "load": _common.load(),
        "rows": {},
        "busiest": busiest,
        "current_rollup_seconds": current_rollup_seconds,
    }
    for key in paths:
        ms = sorted(times[key])
        last = sql[key][-1]
        queries = []
        for i, (s, params, _t) in enumerate(last):
            median = statistics.median(run[i][2] for run in sql[key] if len(run) > i) * 1000
            flags = []
            if s.lstrip().upper().startswith("SELECT") and key != "floor" and median > 5:
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + s, params)
                    flags = _probe.plan_summary([row[0] for row in cursor.fetchall()], limit=8)
            queries.append({"sql": s[:90], "ms": median, "plan": flags})
        report["rows"][key] = {
            "p50": _load.pct(ms, 0.5),
            "p95": _load.pct(ms, 0.95),
            "max": ms[-1],
            "queries": queries,
        }
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(*) FILTER (WHERE kind = 'question') FROM feeds_post")
        report["posts"], report["questions"] = cursor.fetchone()
    print("PROBE-JSON " + json.dumps(report))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=_common.size(20, 3))
    parser.add_argument("--weeks", type=int, default=12)
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe_main(args.runs, args.weeks)
        return
    started = time.perf_counter()
    prepare()
    rollup_seconds = roll_up(args.weeks)
    _common.step(f"probe: {args.runs} requests per URL, weeks={args.weeks}")
    result = subprocess.run(
        [
            _common.PYTHON,
            str(Path(__file__).resolve()),
            "--probe",
            "--runs",
            str(args.runs),
            "--weeks",
            str(args.weeks),
        ],
        cwd=_common.ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    line = next((x for x in result.stdout.splitlines() if x.startswith("PROBE-JSON ")), None)
    if result.returncode != 0 or line is None:
        sys.exit(f"FAILED: probe\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    report = json.loads(line.removeprefix("PROBE-JSON "))
    rows = report["rows"]
    floor = rows["floor"]["p95"]
    print()
    print(
        f"socialhub analytics benchmark: {report['posts']:,} posts ({report['questions']:,}"
        f" questions), database {DB_NAME}; weeks={args.weeks}; busiest group"
        f" {report['busiest'][0]} ({report['busiest'][1]:,} posts)"
    )
    print("command: .venv/bin/python bench/analytics.py; in-process test client, as admin")
    print(f"load average while measuring: {report['load']} (2-core machine, shared)")
    print(
        f"rolling up the {args.weeks} weeks (company + busiest group, `manage.py"
        f" rollup_analytics`): {rollup_seconds:.1f} s, {rollup_seconds / args.weeks:.2f} s a week"
    )
    print(
        "storing the current week (company + busiest group, the task a report queues):"
        f" {report['current_rollup_seconds']:.1f} s"
    )
    head = f"{'url':<13} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'p95/floor':>10}"
    head += f" {'queries':>7}  goal"
    print(head)
    print("-" * len(head))
    for key in ("floor", "company", "group", "company-cold", "group-cold"):
        r = rows[key]
        goal = ""
        if key in GOALS_MS:
            goal = f"p95 <= {GOALS_MS[key]:.0f} ms: " + (
                "met" if r["p95"] <= GOALS_MS[key] else "NOT MET"
            )
        print(
            f"{key:<13} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['max']:>8.1f}"
            f" {r['p95'] / floor:>9.1f}x {len(r['queries']):>7}  {goal}"
        )
    for key in ("company", "group", "company-cold", "group-cold"):
        print()
        print(f"-- {key}: each query's median time (plans of those over 5 ms)")
        for q in rows[key]["queries"]:
            print(f"   {q['ms']:8.1f} ms  {q['sql']}")
            for ln in q["plan"]:
                print(f"                {ln}")
    print(f"(whole run: {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
