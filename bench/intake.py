"""Webhook intake: 1,000 signed deliveries from 8 concurrent senders against a real server,
next to the bare-view floor. Checks there is no duplicate and no loss.

Run:  .venv/bin/python bench/intake.py      (about a minute)
      --deliveries N (default 1000), --senders N (default 8), --repeats N (default 100)

What it does, bounded in count and time, all traffic to 127.0.0.1 only:

1. Creates the PostgreSQL database `socialhub_bench_intake` if missing, migrates it and runs
   `seed_demo --employees 200` (departments, experts, seed examples, a trained router), as
   subprocesses with bench.settings (see bench/people.py for the environment).
2. Serves the product with gunicorn, 2 sync workers (WSGI), DATABASE_CONN_MAX_AGE=60, port
   8741, ROUTING_WEBHOOK_SECRET set. Every delivery is classified, routed to an expert and
   notified, as in production (Celery eager: no Redis).
3. Floor: GET /bench/bare/ (a bare JSON view) the same number of times at the same
   concurrency. Then the deliveries: `--deliveries` POSTs of signed JSON, each with its own
   delivery id, from `--senders` threads. `--repeats` of the mentions are sent twice (two
   deliveries of one mention, in flight together, by different senders): they must give one
   question. Prints p50/p95/p99 and requests/s for both, and the ratio.
4. Counts in the database: questions with this run's external ids must equal the distinct
   mentions (no duplicate), and every mention must be there (no loss); every delivery must
   have been answered 201 (new) or 200 (known).
5. Stops its server (the process group it started), even on error.
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


def signed(body: bytes) -> dict:
    ts = str(int(time.time()))
    mac = hmac.new(SECRET.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/json",
        "X-Socialhub-Timestamp": ts,
        "X-Socialhub-Delivery": uuid.uuid4().hex,
        "X-Socialhub-Signature": f"sha256={mac}",
    }


def deliver_all(bodies: list[bytes], senders: int, cap: float):
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
            started = time.perf_counter()
            try:
                conn.request("POST", "/api/v1/questions/webhook/", bodies[n], signed(bodies[n]))
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
    args = parser.parse_args()
    if not (1 <= args.deliveries <= 20_000 and 1 <= args.senders <= 64):
        sys.exit("--deliveries 1..20000, --senders 1..64")
    repeats = max(0, min(args.repeats, args.deliveries // 2))

    var_dir = _common.ROOT / "var" / "bench-intake"
    var_dir.mkdir(parents=True, exist_ok=True)
    env = {**_common.bench_env(DATABASE, var_dir), "ROUTING_WEBHOOK_SECRET": SECRET}
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
    distinct = args.deliveries - repeats
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
    # Each repeated mention is sent again right after itself: two senders hold it at once.
    bodies: list[bytes] = []
    for n, body in enumerate(mentions):
        bodies.append(body)
        if n < repeats:
            bodies.append(body)

    server = _common.gunicorn("gunicorn", PORT, env, var_dir, conn_max_age=60)
    try:
        _common.step("gunicorn, 2 sync workers, port 8741")
        server.start()
        for _ in range(30):  # warm-up: imports, the router loaded in each worker
            _common.get(PORT, "/bench/bare/")
        deliver_all([json.dumps({"channel": "web", "text": "warm-up"}).encode()] * 16, 2, 30)

        _common.step(f"floor: {args.deliveries} GET /bench/bare/, concurrency {args.senders}")
        started = time.perf_counter()
        floor, errors = _common.run_threads(
            PORT, "/bench/bare/", {}, args.deliveries, 120, args.senders
        )
        floor_seconds = time.perf_counter() - started
        _common.step(
            f"intake: {len(bodies)} signed deliveries ({distinct} mentions, {repeats} sent "
            f"twice), {args.senders} senders"
        )
        latencies, statuses, seconds = deliver_all(bodies, args.senders, 300)
    finally:
        server.stop()

    floor_line, floor_rps = line("floor GET /bench/bare/", floor, floor_seconds)
    intake_line, intake_rps = line("POST webhook (signed)", latencies, seconds)
    print(floor_line + (f"  errors {errors}" if errors else ""))
    print(intake_line)
    print(f"  intake / floor throughput: {intake_rps / floor_rps:.2f}" if floor_rps else "")
    print(f"  answers: {dict(sorted(statuses.items()))}")

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
    ok_answers = statuses.get("201", 0) + statuses.get("200", 0)
    duplicate = stored[0] != stored[1]
    lost = stored[1] != distinct or ok_answers != len(bodies)
    print(f"  duplicates: {'YES' if duplicate else 'none'}; loss: {'YES' if lost else 'none'}")
    if duplicate or lost:
        sys.exit(1)


if __name__ == "__main__":
    main()
