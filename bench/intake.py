"""Webhook intake: 1,000 signed deliveries from 8 concurrent senders against a real server,
next to the bare-view floor, with a real Celery worker routing the questions after commit.
Checks there is no duplicate and no loss, and measures the time from intake to assignment.

Run:  .venv/bin/python bench/intake.py      (a few minutes; PostgreSQL and Redis on 127.0.0.1)
      --deliveries N (default 1000), --senders N (default 8), --repeats N (default 100),
      --trickle N (default 60),
      --redis-db N (default 11: emptied at the start; the broker and the cache)

What it does, bounded in count and time, all traffic to 127.0.0.1 only:

1. Creates the PostgreSQL database `socialhub_bench_intake` if missing, migrates it and runs
   `seed_demo --employees 200` (departments, experts, seed examples, a trained router), as
   subprocesses with bench.settings (see bench/people.py for the environment).
2. Serves the product with gunicorn, 2 sync workers (WSGI), DATABASE_CONN_MAX_AGE=60, port
   8741, ROUTING_WEBHOOK_SECRET set, Redis as broker and cache. The request stores the
   question and answers; routing.tasks.route_question (classify, match the rules, listen,
   route to an expert, notify) runs after commit in a Celery worker. The experts' office
   hours and capacity are lifted (SQL, and ROUTING_EXPERT_CAPACITY for the worker) so that
   every routed question can be assigned whenever the bench runs.
3. Throughput, with no worker running (the tasks wait in Redis; the floor has none either):
   floor GET /bench/bare/ (a bare JSON view) the same number of times at the same
   concurrency; then `--deliveries` POSTs of signed JSON from `--senders` threads.
   `--repeats` mentions are sent in two deliveries back to back (two senders hold them at
   once): one question; as many deliveries are retried with their own delivery id (a
   sender's retry): 202, nothing done again. p50/p95/p99, requests/s, the ratio.
4. One Celery worker (prefork, 1 child) starts and routes the queued questions: how long.
5. Time from intake to assignment, separately: `--trickle` deliveries, 4 a second, one
   sender, the worker idle: p50/p95/p99 of assigned_at minus the row's insert time (and
   of the routed row's save, for those left in triage).
6. Counts in the database: questions with this run's external ids must equal the distinct
   mentions (no duplicate), every mention must be there and routed (no loss), at most one
   assignment per question; every delivery answered 201 (new), 200 (known) or 202 (retry).
7. Stops its server and worker (the process groups it started), even on error.
"""

import argparse
import hashlib
import hmac
import http.client
import itertools
import json
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import _common, _load  # noqa: E402

DATABASE = _common.db_name("socialhub_bench_intake")
PORT = _common.port(8741)
SECRET = "bench-webhook-secret"
TEXTS = [
    "@brand I was charged twice this month, where is my refund?",
    "@brand your app crashes when I open settings",
    "@brand are you hiring engineers in Lisbon?",
    "@brand my parcel has not arrived after two weeks",
    "@brand do you have a discount for nonprofits?",
    "@brand please delete my personal data",
    "@brand please add a calendar integration",
    "@brand who won the match yesterday?",
]


def signed(body: bytes, delivery: str) -> dict:
    ts = str(int(time.time()))
    mac = hmac.new(SECRET.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/json",
        "X-Socialhub-Timestamp": ts,
        "X-Socialhub-Delivery": delivery,
        "X-Socialhub-Signature": f"sha256={mac}",
    }


def deliver_all(bodies: list[tuple[bytes, str]], senders: int, cap: float):
    tickets = itertools.count()
    deadline = time.monotonic() + cap
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[str, int] = {}

    def sender():
        mine = []
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        while time.monotonic() < deadline:
            n = next(tickets)
            if n >= len(bodies):
                break
            body, delivery = bodies[n]
            started = time.perf_counter()
            try:
                conn.request("POST", "/api/v1/questions/webhook/", body, signed(body, delivery))
                resp = conn.getresponse()
                resp.read()
                status = str(resp.status)
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                status = type(exc).__name__
            mine.append(time.perf_counter() - started)
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=sender) for _ in range(senders)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, statuses, time.perf_counter() - started


def line(name: str, latencies: list[float], seconds: float) -> tuple[str, float]:
    latencies = sorted(latencies)
    rps = len(latencies) / seconds if seconds else 0.0
    p = [_load.pct(latencies, q) * 1000 for q in (0.5, 0.95, 0.99)]
    return (
        f"  {name:<28} {len(latencies):>6}  p50 {p[0]:7.1f} ms  p95 {p[1]:7.1f} ms  "
        f"p99 {p[2]:7.1f} ms  {rps:8.1f} req/s",
        rps,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deliveries", type=int, default=_common.size(1000, 40))
    parser.add_argument("--senders", type=int, default=_common.size(8, 4))
    parser.add_argument("--repeats", type=int, default=_common.size(100, 5))
    parser.add_argument("--trickle", type=int, default=_common.size(60, 8))
    parser.add_argument("--redis-db", type=int, default=11)
    args = parser.parse_args()
    if not (1 <= args.deliveries <= 20_000 and 1 <= args.senders <= 64):
        sys.exit("--deliveries 1..20000, --senders 1..64")
    repeats = max(0, min(args.repeats, args.deliveries // 3))

    var_dir = _common.ROOT / "var" / "bench-intake"
    var_dir.mkdir(parents=True, exist_ok=True)
    redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    env = {
        **_common.bench_env(DATABASE, var_dir),
        "ROUTING_WEBHOOK_SECRET": SECRET,
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": "dummymail://",
        "ROUTING_INTAKE_RATE": "100000/min",  # the bench's one client address is many senders
    }
    _common.step(f"database {DATABASE}: migrate, seed_demo --employees 200")
    _common.ensure_database(DATABASE)
    _common.manage(env, "migrate", "--noinput", timeout=600)
    _common.manage(
        env,
        "seed_demo",
        "--employees",
        str(_common.size(200, _common.SMOKE_EMPLOYEES)),
        timeout=600,
    )

    # The experts at work around the clock and never full, so that every routed question
    # is assigned whatever the day and hour the bench runs at (the demo's experts keep
    # office hours and ROUTING_EXPERT_CAPACITY): the figure is the time to an assignment.
    _common.run_sql(
        DATABASE,
        "UPDATE people_profile SET working_days = '1234567', work_start = '00:00', "
        "work_end = '23:59:59', out_of_office_until = NULL",
    )
    worker_env = {**env, "ROUTING_EXPERT_CAPACITY": "1000000"}
    run = uuid.uuid4().hex[:8]
    distinct = args.deliveries - 2 * repeats
    mentions = [
        json.dumps(
            {
                "channel": "twitter",
                "external_id": f"bench-{run}-{n}",
                "text": f"{TEXTS[n % len(TEXTS)]} (#{n})",
                "customer_handle": f"@customer{n}",
            }
        ).encode()
        for n in range(distinct)
    ]
    # Each repeated mention is sent again right after itself in another delivery: two
    # senders hold it at once; each retried delivery comes again with its own delivery id.
    bodies: list[tuple[bytes, str]] = []
    for n, body in enumerate(mentions):
        bodies.append((body, f"{run}-{n}"))
        if n < repeats:
            bodies.append((body, f"{run}-{n}-other"))
        elif n < 2 * repeats:
            bodies.append((body, f"{run}-{n}"))

    _common.purge_redis(redis_url)
    server = _common.gunicorn("gunicorn", PORT, env, var_dir, conn_max_age=60)
    worker = _common.Worker(f"intake-bench-{run}", worker_env, var_dir, concurrency=1)
    try:
        _common.step(f"gunicorn, 2 sync workers, port {PORT} (no worker yet: tasks queue in Redis)")
        server.start()
        for _ in range(30):  # warm-up: imports in each worker
            _common.get(PORT, "/bench/bare/")
        warm = json.dumps({"channel": "web", "text": "warm-up"}).encode()
        deliver_all([(warm, uuid.uuid4().hex) for _ in range(16)], 2, 30)

        _common.step(f"floor: {args.deliveries} GET /bench/bare/, concurrency {args.senders}")
        started = time.perf_counter()
        floor, errors = _load.run_threads(
            PORT, "/bench/bare/", {}, args.deliveries, 120, args.senders
        )
        floor_seconds = time.perf_counter() - started
        _common.step(
            f"intake: {len(bodies)} signed deliveries ({distinct} mentions, {repeats} sent "
            f"twice, {repeats} deliveries retried), {args.senders} senders"
        )
        latencies, statuses, seconds = deliver_all(bodies, args.senders, 300)

        _common.step("a Celery worker (1 child) starts and routes the queued questions")
        worker.start()
        drain_started = time.perf_counter()
        drained = wait_routed(run, 300)
        drain_seconds = time.perf_counter() - drain_started
        # What routing enqueued in turn (the experts' emails, listening's scan) runs before
        # the trickle, so that its tasks find the worker idle.
        queue = __import__("redis").Redis.from_url(redis_url)
        deadline = time.monotonic() + 300
        while queue.llen("celery") and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(2)

        _common.step(f"intake to assignment: {args.trickle} deliveries, 4 a second, worker idle")
        trickle = []
        for n in range(args.trickle):
            body = json.dumps(
                {"channel": "twitter", "external_id": f"trickle-{run}-{n}",
                 "text": f"{TEXTS[n % len(TEXTS)]} (trickle #{n})"}
            ).encode()  # fmt: skip
            trickle.append((body, f"trickle-{run}-{n}"))
        trickle_latencies: list[float] = []
        trickle_statuses: dict[str, int] = {}
        for item in trickle:
            started = time.perf_counter()
            one, answer, _ = deliver_all([item], 1, 30)
            trickle_latencies += one
            for code, count in answer.items():
                trickle_statuses[code] = trickle_statuses.get(code, 0) + count
            time.sleep(max(0.0, 0.25 - (time.perf_counter() - started)))
        wait_routed(f"trickle-{run}", 120, prefix="")
    finally:
        server.stop()
        worker.stop()

    floor_line, floor_rps = line("floor GET /bench/bare/", floor, floor_seconds)
    intake_line, intake_rps = line("POST webhook (signed)", latencies, seconds)
    print(floor_line + (f"  errors {errors}" if errors else ""))
    print(intake_line)
    print(f"  intake / floor throughput: {intake_rps / floor_rps:.2f}" if floor_rps else "")
    print(f"  answers: {dict(sorted(statuses.items()))}")
    rate = distinct / drain_seconds
    print(f"  routing by 1 worker child: {distinct} queued questions in {drain_seconds:.1f} s "
          f"({rate:.1f}/s){'' if drained else ' - NOT ALL ROUTED'}")  # fmt: skip

    timings = _common.run_sql(
        DATABASE,
        "SELECT extract(epoch FROM assigned_at - created_at), "  # noqa: S608 - run is hex
        "extract(epoch FROM updated_at - created_at), status "
        f"FROM routing_customerquestion WHERE external_id LIKE 'trickle-{run}-%'",
    )
    to_assignment = sorted(float(row[0]) for row in timings if row[0] is not None)
    to_routing = sorted(float(row[1]) for row in timings if row[2] != "new")
    p = [_load.pct(sorted(trickle_latencies), q) * 1000 for q in (0.5, 0.95, 0.99)]
    print(f"  {'trickle POST webhook':<28} {len(trickle_latencies):>6}  p50 {p[0]:7.1f} ms  "
          f"p95 {p[1]:7.1f} ms  p99 {p[2]:7.1f} ms  answers {trickle_statuses}")  # fmt: skip
    for name, values in (("intake -> assignment", to_assignment), ("intake -> routed", to_routing)):
        p = [_load.pct(values, q) * 1000 for q in (0.5, 0.95, 0.99)]
        print(f"  {name:<28} {len(values):>6}  p50 {p[0]:7.1f} ms  p95 {p[1]:7.1f} ms  "
              f"p99 {p[2]:7.1f} ms")  # fmt: skip

    stored = _common.run_sql(
        DATABASE,
        "SELECT count(*), count(DISTINCT external_id), "  # noqa: S608 - run is hex
        "count(*) FILTER (WHERE assigned_to_id IS NOT NULL), "
        "count(*) FILTER (WHERE department_id IS NULL), count(*) FILTER (WHERE status = 'new') "
        f"FROM routing_customerquestion WHERE external_id LIKE 'bench-{run}-%'",
    )[0]
    assignments = _common.run_sql(
        DATABASE,
        "SELECT count(*), count(DISTINCT a.question_id) FROM routing_assignment a "  # noqa: S608
        "JOIN routing_customerquestion q ON q.id = a.question_id "
        f"WHERE q.external_id LIKE 'bench-{run}-%'",
    )[0]
    print(f"  stored questions: {stored[0]} rows, {stored[1]} distinct external ids, "
          f"{distinct} mentions sent; still new: {stored[4]}")  # fmt: skip
    print(f"  assigned to an expert: {stored[2]}, left in triage: {stored[3]}; "
          f"assignments: {assignments[0]} for {assignments[1]} questions")  # fmt: skip
    ok_answers = sum(statuses.get(code, 0) for code in ("201", "200", "202"))
    duplicate = stored[0] != stored[1] or assignments[0] != assignments[1]
    duplicate = duplicate or statuses.get("201", 0) != distinct
    lost = stored[1] != distinct or ok_answers != len(bodies) or stored[4] != 0
    print(f"  duplicates: {'YES' if duplicate else 'none'}; loss: {'YES' if lost else 'none'}")
    if duplicate or lost:
        sys.exit(1)


def wait_routed(run: str, cap: float, prefix: str = "bench-") -> bool:
    """Until no question of this run is new any more (the worker routed them all)."""
    deadline = time.monotonic() + cap
    while time.monotonic() < deadline:
        waiting = _common.run_sql(
            DATABASE,
            "SELECT count(*) FROM routing_customerquestion "  # noqa: S608 - run is hex
            f"WHERE external_id LIKE '{prefix}{run}-%' AND status = 'new'",
        )[0][0]
        if not waiting:
            return True
        time.sleep(0.2)
    return False


if __name__ == "__main__":
    main()
