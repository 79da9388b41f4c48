"""Webhook intake: 1,000 signed deliveries from 8 concurrent senders against a real server,
next to the bare-view floor, with a real Celery worker routing the questions after commit.
Checks there is no duplicate and no loss, and measures the time from intake to assignment.

Run:  .venv/bin/python bench/intake.py      (about a minute; PostgreSQL and Redis on 127.0.0.1)
      --deliveries N (default 1000), --senders N (default 8), --repeats N (default 100),
      --redis-db N (default 11: emptied at the start; the broker and the cache)

What it does, bounded in count and time, all traffic to 127.0.0.1 only:

1. Creates the PostgreSQL database `socialhub_bench_intake` if missing, migrates it and runs
   `seed_demo --employees 200` (departments, experts, seed examples, a trained router), as
   subprocesses with bench.settings (see bench/people.py for the environment).
2. Serves the product with gunicorn, 2 sync workers (WSGI), DATABASE_CONN_MAX_AGE=60, port
   8741, ROUTING_WEBHOOK_SECRET set, Redis as broker and cache; and one Celery worker
   (prefork, 1 child) on the same machine, as in production: the request stores the
   question and answers; routing.tasks.route_question classifies it, matches the rules,
   routes it to an expert and notifies them after commit.
3. Floor: GET /bench/bare/ (a bare JSON view) the same number of times at the same
   concurrency. Then the deliveries: `--deliveries` POSTs of signed JSON, each with its own
   delivery id, from `--senders` threads. `--repeats` of the mentions are sent twice (two
   deliveries of one mention, in flight together, by different senders): they must give one
   question; as many deliveries again are retried with their own delivery id (a sender's
   retry): they must be answered 202 and change nothing. Prints p50/p95/p99 and requests/s
   for both, and the ratio.
4. Waits (at most 5 minutes) until the worker has routed every question, then prints the time
   from intake (the row's insert) to assignment (assigned_at) and to routing (the routed row's
   save) for this run's questions: p50/p95/p99, and how long after the last answer the last
   one was routed.
5. Counts in the database: questions with this run's external ids must equal the distinct
   mentions (no duplicate), every mention must be there (no loss), each question has at most
   one assignment; every delivery must have been answered 201 (new), 200 (known) or 202
   (a retried delivery id).
6. Stops its server and worker (the process groups it started), even on error.
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

from bench import _common  # noqa: E402

DATABASE = _common.db_name("socialhub_bench_intake")
PORT = 8741
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
    p = [_common.pct(latencies, q) * 1000 for q in (0.5, 0.95, 0.99)]
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
    worker = _common.Worker(f"intake-bench-{run}", env, var_dir, concurrency=1)
    try:
        _common.step("gunicorn, 2 sync workers, port 8741; a Celery worker, 1 child")
        server.start()
        worker.start()
        for _ in range(30):  # warm-up: imports in each worker
            _common.get(PORT, "/bench/bare/")
        warm = json.dumps({"channel": "web", "text": "warm-up"}).encode()
        deliver_all([(warm, uuid.uuid4().hex) for _ in range(16)], 2, 30)

        _common.step(f"floor: {args.deliveries} GET /bench/bare/, concurrency {args.senders}")
        started = time.perf_counter()
        floor, errors = _common.run_threads(
            PORT, "/bench/bare/", {}, args.deliveries, 120, args.senders
        )
        floor_seconds = time.perf_counter() - started
        _common.step(
            f"intake: {len(bodies)} signed deliveries ({distinct} mentions, {repeats} sent "
            f"twice, {repeats} deliveries retried), {args.senders} senders"
        )
        latencies, statuses, seconds = deliver_all(bodies, args.senders, 300)
        answered = time.time()
        _common.step("waiting for the worker to route every question (at most 5 minutes)")
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            waiting = _common.run_sql(
                DATABASE,
                "SELECT count(*) FROM routing_customerquestion "  # noqa: S608 - run is hex
                f"WHERE external_id LIKE 'bench-{run}-%' AND status = 'new'",
            )[0][0]
            if not waiting:
                break
            time.sleep(0.5)
    finally:
        server.stop()
        worker.stop()

    floor_line, floor_rps = line("floor GET /bench/bare/", floor, floor_seconds)
    intake_line, intake_rps = line("POST webhook (signed)", latencies, seconds)
    print(floor_line + (f"  errors {errors}" if errors else ""))
    print(intake_line)
    print(f"  intake / floor throughput: {intake_rps / floor_rps:.2f}" if floor_rps else "")
    print(f"  answers: {dict(sorted(statuses.items()))}")

    timings = _common.run_sql(
        DATABASE,
        "SELECT extract(epoch FROM assigned_at - created_at), "  # noqa: S608 - run is hex
        "extract(epoch FROM updated_at - created_at), extract(epoch FROM updated_at), status "
        f"FROM routing_customerquestion WHERE external_id LIKE 'bench-{run}-%'",
    )
    to_assignment = sorted(float(row[0]) for row in timings if row[0] is not None)
    to_routing = sorted(float(row[1]) for row in timings if row[3] != "new")
    for name, values in (("intake -> assignment", to_assignment), ("intake -> routed", to_routing)):
        p = [_common.pct(values, q) * 1000 for q in (0.5, 0.95, 0.99)]
        print(f"  {name:<28} {len(values):>6}  p50 {p[0]:7.1f} ms  p95 {p[1]:7.1f} ms  "
              f"p99 {p[2]:7.1f} ms")  # fmt: skip
    last = max((float(row[2]) for row in timings if row[3] != "new"), default=answered)
    print(f"  the last question routed {max(0.0, last - answered):.1f} s after the last answer; "
          f"still new: {sum(row[3] == 'new' for row in timings)}")  # fmt: skip

    stored = _common.run_sql(
        DATABASE,
        "SELECT count(*), count(DISTINCT external_id) FROM routing_customerquestion "  # noqa: S608 - run is hex
        f"WHERE external_id LIKE 'bench-{run}-%'",
    )[0]
    routed = _common.run_sql(
        DATABASE,
        "SELECT count(*) FILTER (WHERE assigned_to_id IS NOT NULL), "  # noqa: S608 - run is hex
        "count(*) FILTER (WHERE department_id IS NULL) FROM routing_customerquestion "
        f"WHERE external_id LIKE 'bench-{run}-%'",
    )[0]
    print(f"  stored questions: {stored[0]} rows, {stored[1]} distinct external ids, "
          f"{distinct} mentions sent")  # fmt: skip
    print(f"  assigned to an expert: {routed[0]}, left in triage: {routed[1]}")
    assignments = _common.run_sql(
        DATABASE,
        "SELECT count(*), count(DISTINCT a.question_id) FROM routing_assignment a "  # noqa: S608
        "JOIN routing_customerquestion q ON q.id = a.question_id "
        f"WHERE q.external_id LIKE 'bench-{run}-%'",
    )[0]
    print(f"  assignments: {assignments[0]} for {assignments[1]} questions")
    ok_answers = sum(statuses.get(code, 0) for code in ("201", "200", "202"))
    duplicate = stored[0] != stored[1] or assignments[0] != assignments[1]
    duplicate = duplicate or statuses.get("201", 0) != distinct
    lost = stored[1] != distinct or ok_answers != len(bodies)
    lost = lost or any(row[3] == "new" for row in timings)
    print(f"  duplicates: {'YES' if duplicate else 'none'}; loss: {'YES' if lost else 'none'}")
    if duplicate or lost:
        sys.exit(1)


if __name__ == "__main__":
    main()
