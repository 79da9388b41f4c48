"""Listening: how often the surge test cries wolf, how fast it sees a real surge, and what
a scan costs at a million questions on PostgreSQL, next to a floor.

Run:  .venv/bin/python bench/monitoring.py           (about 10 minutes)
      .venv/bin/python bench/monitoring.py --smoke   (under a minute: tiny sizes)
      --questions N (default 1,000,000), --scans N (default 30), --keys N (default 20),
      --days N (default 7), --trials N (default 20)

1. False alarms (no database): `--keys` keys, each a steady Poisson stream with its own
   rate (1 to 40 questions an hour, log-uniform) shaped by the hour of the week (business
   hours 1x, evenings 0.4x, nights and weekends 0.15x); five weeks of history, then `--days`
   days scanned every minute through the scan's own code (monitoring.services.scan:
   key_figures, surging, back_to_normal; the settings' windows and thresholds). Prints the
   alerts opened per key-day, with the seasonal baseline (long history), with the EWMA (a
   key born two days before), and, for comparison, with the plain Poisson tail that takes
   the baseline's mean as exact (monitoring.stats.predictive_tail says why it is not used).
2. Detection delay: `--trials` surges per size (the rate times 2, 3 and 5 from a random
   business-hour minute on, for two hours) on the same keys; minutes from the surge's start
   to the alert, median and p95, and the surges missed within two hours.
3. Scan cost: creates the database `socialhub_bench_monitoring` if missing, migrates it,
   and (once; again with a different --questions) inserts `--questions` questions spread
   evenly over the last five weeks, in the order they arrived (as a live table holds them),
   across 10 departments with generate_series, 5% of them tagged and 3% matched by one of
   20 watch rules. Then `--scans` scans (after one warm-up), timed, beside the
   floor: a bare COUNT of the last hour's questions, the same number of times, in the same
   process and run. Prints p50/p95, the ratio, the queries per scan and the load average.
"""

import argparse
import datetime as dt
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import _common, _load  # noqa: E402

DATABASE = "socialhub_bench_monitoring"
VAR = _common.ROOT / "var" / "bench-monitoring"
WEEK = 7 * 24 * 60
T0 = dt.datetime(2026, 1, 5, 0, 0, tzinfo=dt.UTC)  # a Monday


def shape(minute: int) -> float:
    """The hour-of-week profile of a key's rate."""
    when = T0 + dt.timedelta(minutes=minute)
    if when.weekday() >= 5 or when.hour < 7 or when.hour >= 21:
        return 0.15
    return 1.0 if 9 <= when.hour < 18 else 0.4


def stream(rng, rate_per_hour: float, minutes: int, surge=None):
    """Per-minute Poisson counts (numpy), with an optional (start, length, factor) surge."""
    import numpy as np

    profile = np.array([shape(m) for m in range(minutes)])
    lam = rate_per_hour / 60 * profile
    if surge is not None:
        start, length, factor = surge
        lam[start : start + length] *= factor
    return rng.poisson(lam)


class Key:
    """One key's stream and its alert, scanned like monitoring.services.baseline decides."""

    def __init__(self, counts, *, born: int):
        import numpy as np

        self.cum = np.concatenate([[0], np.cumsum(counts)])
        self.born = born
        self.open = False
        self.last_activity = None

    def window(self, t: int, w: int) -> int:
        lo = max(0, t - w)
        return int(self.cum[t] - self.cum[lo]) if t > 0 else 0

    def scan(self, t: int) -> bool:
        """Scan at minute t; True when an alert opens."""
        from django.conf import settings

        from monitoring.services.baseline import back_to_normal, ewma_hours, key_figures, surging

        windows = sorted(set(settings.MONITORING_WINDOWS))
        weeks = settings.MONITORING_BASELINE_WEEKS
        counts = {
            (w, k): self.window(t - k * WEEK, w)
            for w in windows
            for k in range(weeks + 1)
            if t - k * WEEK - w >= 0
        }
        now = T0 + dt.timedelta(minutes=t)
        hour_end_min = ((t - max(windows)) // 60) * 60
        hour_end = T0 + dt.timedelta(minutes=hour_end_min)
        hourly = {}
        for hour in ewma_hours(now=now, hour_end=hour_end):
            start = int((hour - T0).total_seconds() // 60)
            if start >= 0:
                hourly[hour] = int(self.cum[min(start + 60, t)] - self.cum[start])
        figs = key_figures(
            counts,
            hourly,
            key_start=T0 + dt.timedelta(minutes=self.born),
            now=now,
            windows=windows,
            hour_end=hour_end,
        )
        quiet = min(windows)
        if not self.open:
            if surging(figs):
                self.open, self.last_activity = True, t
                return True
            return False
        if surging(figs):
            self.last_activity = t
        elif back_to_normal(figs) and self.last_activity <= t - quiet:
            self.open = False
        return False


def false_alarms(args, *, short_history: bool) -> tuple[float, int, int]:
    import numpy as np

    rng = np.random.default_rng(7 if short_history else 11)
    history = 5 * WEEK
    minutes = history + args.days * 24 * 60
    opened = 0
    for _ in range(args.keys):
        rate = math.exp(rng.uniform(0, math.log(40)))
        key = Key(stream(rng, rate, minutes), born=history - 2 * 24 * 60 if short_history else 0)
        for t in range(history, minutes):
            opened += key.scan(t)
    key_days = args.keys * args.days
    return opened / key_days, opened, key_days


def detection(args, factor: float) -> tuple[list[int], int]:
    import numpy as np

    rng = np.random.default_rng(int(factor * 100))
    pick = random.Random(int(factor * 1000))
    history = 5 * WEEK
    delays, missed = [], 0
    for _ in range(args.trials):
        rate = math.exp(pick.uniform(math.log(1), math.log(40)))
        # A business-hour minute on a weekday of the sixth week.
        day = pick.randrange(5)
        start = history + day * 1440 + pick.randrange(9 * 60, 16 * 60)
        minutes = start + 121
        key = Key(stream(rng, rate, minutes, surge=(start, 120, factor)), born=0)
        # The minutes before the surge, so the state is what a running scan would hold.
        for t in range(start - 60, start):
            key.scan(t)
        if key.open:  # a false alarm was already open: not a fair trial
            continue
        for t in range(start, minutes):
            if key.scan(t):
                delays.append(t - start)
                break
        else:
            missed += 1
    return delays, missed


# --- The scan at scale ------------------------------------------------------------------------

SEED_SQL = """
INSERT INTO people_department (name, slug, description, parent_id)
SELECT 'Bench dept ' || i, 'bench-dept-' || i, '', NULL FROM generate_series(1, 10) i
ON CONFLICT DO NOTHING;
"""


def seed(database: str, n: int) -> None:
    ((have, rules),) = _common.run_sql(
        database,
        "SELECT (SELECT count(*) FROM routing_customerquestion WHERE channel = 'other'),"
        " (SELECT count(*) FROM monitoring_watchrule WHERE name LIKE 'Bench rule v2 %')",
    )
    if have == n and rules == 20:
        print(f"   {n:,} questions already there")
        return
    _common.step(f"seeding {n:,} questions (generate_series)")
    started = time.monotonic()
    statements = [
        "TRUNCATE monitoring_rulematch, monitoring_alert, monitoring_tone, routing_insighttag,"
        " monitoring_watchrule, routing_customerquestion CASCADE",
        SEED_SQL,
        f"""
        INSERT INTO routing_customerquestion (channel, external_id, external_url,
            customer_name, customer_handle, customer_email, text, received_at, priority,
            status, department_id, ranking, routed_by, sla_stage, created_at, updated_at)
        SELECT 'other', 'bench-' || i, '', '', '', '', 'a bench question',
            now() - interval '35 days' + (i - random()) * (interval '35 days' / {int(n)}),
            'normal', 'closed',
            d.ids[1 + i % array_length(d.ids, 1)], '[]', '', 3, now(), now()
        FROM generate_series(1, {int(n)}) i,
            (SELECT array_agg(id ORDER BY id) AS ids FROM people_department) d
        """,  # noqa: S608  (n is an int)
        """
        INSERT INTO routing_insighttag (question_id, tag, created_at)
        SELECT id, (ARRAY['feedback','bug','feature','complaint'])[1 + id % 4], now()
        FROM routing_customerquestion WHERE id % 20 = 0
        """,
        """
        INSERT INTO monitoring_watchrule (name, terms, channel, severity, active,
            created_at, updated_at)
        SELECT 'Bench rule v2 ' || i, ('["bench term ' || i || '"]')::jsonb, '', 'low', true,
            now() - interval '60 days', now()
        FROM generate_series(1, 20) i
        """,
        """
        INSERT INTO monitoring_rulematch (rule_id, question_id, terms, received_at, alerted)
        SELECT (SELECT min(id) FROM monitoring_watchrule) + q.id % 20, q.id, '[]',
            q.received_at, true
        FROM routing_customerquestion q WHERE q.id % 33 = 0
        """,
        "ANALYZE",
    ]
    for statement in statements:
        _common.run_sql(database, statement)
    print(f"   seeded in {time.monotonic() - started:.0f} s")


def scan_cost(args) -> dict:
    import django
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    django.setup()
    from monitoring.services import scan_volumes

    scan_volumes()  # warm-up (and whatever alerts the random data opens)
    with CaptureQueriesContext(connection) as ctx:
        scan_volumes()
    queries = len(ctx.captured_queries)
    scans, floors = [], []
    with connection.cursor() as cursor:
        for _ in range(args.scans):
            started = time.perf_counter()
            cursor.execute(
                "SELECT count(*) FROM routing_customerquestion"
                " WHERE received_at > now() - interval '1 hour'"
            )
            cursor.fetchone()
            floors.append(time.perf_counter() - started)
            started = time.perf_counter()
            scan_volumes()
            scans.append(time.perf_counter() - started)
    scans.sort()
    floors.sort()
    return {"scans": scans, "floors": floors, "queries": queries}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--questions", type=int, default=1_000_000)
    parser.add_argument("--scans", type=int, default=30)
    parser.add_argument("--keys", type=int, default=20)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument(
        "--only", choices=["scan", "alarms"], help="run one part: the scan cost or the simulation"
    )
    args = parser.parse_args()
    if args.smoke:  # tiny sizes, unless given
        given = {a.split("=")[0] for a in sys.argv[1:]}
        for name, value in (("questions", 20_000), ("scans", 5), ("keys", 2), ("days", 1),
                            ("trials", 3)):  # fmt: skip
            if f"--{name}" not in given:
                setattr(args, name, value)
    VAR.mkdir(parents=True, exist_ok=True)
    env = _common.bench_env(DATABASE, VAR)
    os.environ.update(env)

    if args.only != "alarms":
        scan_part(args, env)
    if args.only != "scan":
        alarms_part(args)
    load = os.getloadavg()
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (2 cores, shared)")


def scan_part(args, env) -> None:
    _common.step("database")
    _common.ensure_database(DATABASE)
    _common.manage(env, "migrate", "--noinput", timeout=600)
    seed(DATABASE, args.questions)

    _common.step(f"scan cost at {args.questions:,} questions ({args.scans} scans)")
    cost = scan_cost(args)
    p50, p95 = _load.pct(cost["scans"], 0.5), _load.pct(cost["scans"], 0.95)
    f50, f95 = _load.pct(cost["floors"], 0.5), _load.pct(cost["floors"], 0.95)
    print(f"   scan:  p50 {p50 * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   "
          f"({cost['queries']} queries per scan)")  # fmt: skip
    print(f"   floor: p50 {f50 * 1000:7.1f} ms   p95 {f95 * 1000:7.1f} ms   "
          "(SELECT count(*) of the last hour)")  # fmt: skip
    print(f"   ratio p95 scan / floor: {p95 / f95:.1f}x")


def alarms_part(args) -> None:
    import django

    django.setup()
    from django.conf import settings

    _common.step(
        f"false alarms: {args.keys} steady keys x {args.days} days, scanned every minute "
        f"(windows {settings.MONITORING_WINDOWS} min, p < {settings.MONITORING_SURGE_P}, "
        f"min count {settings.MONITORING_MIN_COUNT})"
    )
    from monitoring import stats

    predictive = stats.predictive_tail
    cases = (
        ("seasonal (5 weeks)", False, predictive),
        ("EWMA (2 days of history)", True, predictive),
        ("seasonal, plain Poisson", False, lambda o, e, x: stats.poisson_tail(o, e)),
    )
    for label, short, tail in cases:
        stats.predictive_tail = tail
        started = time.monotonic()
        rate, opened, key_days = false_alarms(args, short_history=short)
        print(f"   {label:25} {rate:.3f} alerts per key-day ({opened} in {key_days} "
              f"key-days, {time.monotonic() - started:.0f} s)")  # fmt: skip
    stats.predictive_tail = predictive

    _common.step(f"detection delay: {args.trials} surges per size, 2 h each")
    for factor in (2, 3, 5):
        delays, missed = detection(args, factor)
        delays.sort()
        if delays:
            print(f"   x{factor}: median {statistics.median(delays):.0f} min, "
                  f"p95 {_load.pct(delays, 0.95):.0f} min, "
                  f"missed {missed} of {len(delays) + missed}")  # fmt: skip
        else:
            print(f"   x{factor}: missed {missed} of {missed}")


if __name__ == "__main__":
    main()
