"""Publishing a policy version to 10,000 employees on PostgreSQL: the request's answer
next to the bare-view floor, then the bulk job that notifies everyone (core.bulk), chunk by
chunk in a real Celery worker, next to a bare bulk insert of the same rows.

Run:  .venv/bin/python bench/policies.py      (a few minutes after the first seed)
      --redis-db N (default 10: emptied at the start; the broker and the cache)

1. Creates the database `socialhub_polbench` if missing (127.0.0.1:5432, user postgres),
   migrates it and seeds `seed_demo --employees 10000` (bulk, idempotent).
2. Serves the product with gunicorn, 2 sync workers, port 8742, Redis as broker; no Celery
   worker yet, so the jobs wait in Redis. Floor: GET /bench/bare/ 20 times, one at a time.
   Then 2 untimed (warm-up) and 5 timed times: a fresh draft (in this process), then
   POST /api/v1/policies/versions/<n>/publish/ with the admin's token (supersede, audit;
   the job counted and enqueued): median and the ratio to the floor.
3. A Celery worker (prefork, 1 child) starts and runs the 7 jobs: the time from its start
   to the last job's end, per job and per chunk; floor: bulk_create of the same
   number of bare Notification rows, same batch size, rolled back, 5 times.
4. Checks that every job finished with one notification per active employee but the admin
   (exactly once), then times the per-department report (2 queries) and the CSV export.
5. Stops its server and worker (the process groups it started), even on error.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import _common  # noqa: E402
from bench._common import bench_env, db_name, ensure_database, manage, size, step  # noqa: E402

DATABASE = db_name("socialhub_polbench")
EMPLOYEES = size(10_000, _common.SMOKE_EMPLOYEES)
RUNS = size(5, 1)
WARM_UP = size(2, 0)
PORT = 8742


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--redis-db", type=int, default=10)
    args = parser.parse_args()
    var_dir = Path(__file__).resolve().parent.parent / "var" / "polbench"
    var_dir.mkdir(parents=True, exist_ok=True)
    redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    env = {
        **bench_env(DATABASE, var_dir),
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": "dummymail://",
    }
    step(f"database {DATABASE}: migrate and seed {EMPLOYEES:,} employees")
    ensure_database(DATABASE)
    manage(env, "migrate", "--noinput", timeout=600)
    manage(env, "seed_demo", "--employees", str(EMPLOYEES), timeout=900)
    os.environ.update(env)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from core.models import BulkJob
    from demo.people import DEMO_PASSWORD
    from notifications.models import Notification
    from policies import selectors, services

    user_model = get_user_model()
    admin = user_model.objects.get(username="admin")
    active = user_model.objects.filter(is_active=True).count()

    _common.purge_redis(redis_url)
    server = _common.gunicorn("gunicorn", PORT, env, var_dir, conn_max_age=60)
    worker = _common.Worker("polbench", env, var_dir, concurrency=1)
    publish, floor, numbers = [], [], []
    try:
        step("gunicorn, 2 sync workers, port 8742 (no worker yet: the jobs wait in Redis)")
        server.start()
        import requests

        token = requests.post(
            f"http://127.0.0.1:{PORT}/api/v1/auth/token/",
            json={"username": "admin", "password": DEMO_PASSWORD},
            timeout=30,
        )
        token.raise_for_status()
        headers = {"Authorization": f"Token {token.json()['token']}", "Accept": "application/json"}
        for _ in range(10):
            _common.get(PORT, "/bench/bare/")
        for _ in range(20):
            started = time.perf_counter()
            _common.get(PORT, "/bench/bare/")
            floor.append(time.perf_counter() - started)
        step(f"publish a version to {active:,} active employees, {RUNS} times (the request)")
        for i in range(WARM_UP + RUNS):
            draft = services.create_version(actor=admin, title=f"Bench {i}", body=f"Rules {i}")
            started = time.perf_counter()
            status = _common.post(PORT, f"/api/v1/policies/versions/{draft.number}/publish/",
                                  headers)  # fmt: skip
            if status != 200:
                sys.exit(f"FAILED: publishing answered {status}")
            numbers.append(draft.number)
            if i >= WARM_UP:  # the first in each gunicorn worker opens its broker connection
                publish.append(time.perf_counter() - started)

        step("a Celery worker (1 child) runs the jobs")
        worker.start()
        fanout_started = time.perf_counter()
        subjects = [
            selectors.publication_subject(selectors.get_visible_version(admin, n)) for n in numbers
        ]
        jobs = BulkJob.objects.filter(subject__in=subjects)
        deadline = time.monotonic() + 600
        while jobs.filter(status="running").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        fanout = time.perf_counter() - fanout_started
    finally:
        server.stop()
        worker.stop()

    step("floor: bulk_create the same number of bare Notification rows (rolled back)")
    ids = list(user_model.objects.filter(is_active=True).values_list("pk", flat=True))
    insert_floor = []
    for _ in range(RUNS):
        started = time.perf_counter()
        with transaction.atomic():
            Notification.objects.bulk_create(
                [Notification(recipient_id=pk, kind="policy", text="x") for pk in ids],
                batch_size=services.NOTIFY_BATCH,
            )
            insert_floor.append(time.perf_counter() - started)
            transaction.set_rollback(True)

    jobs = list(jobs)
    unfinished = [job for job in jobs if not job.finished]
    counts = {
        job.pk: Notification.objects.filter(
            target_key=f"policy-version:{job.params['version_id']}"
        ).count()
        for job in jobs
    }

    version = selectors.current_version()
    started = time.perf_counter()
    rows = selectors.acknowledgement_report(admin, version)
    report = time.perf_counter() - started
    started = time.perf_counter()
    csv_rows = sum(1 for _ in selectors.acknowledgement_rows(admin, version))
    csv_time = time.perf_counter() - started

    p, f = statistics.median(publish), statistics.median(floor)
    print(f"publish request to {active:,} employees: median {p * 1000:.0f} ms over {RUNS} "
          f"runs (max {max(publish) * 1000:.0f} ms)")  # fmt: skip
    print(f"floor GET /bench/bare/: median {f * 1000:.1f} ms; ratio publish / floor {p / f:.1f}")
    chunks = sum(job.chunks for job in jobs)
    j, fl = fanout / len(jobs), statistics.median(insert_floor)
    print(f"bulk jobs (1 worker child): {len(jobs)} in {fanout * 1000:.0f} ms from the worker's "
          f"start, {j * 1000:.0f} ms per job, {chunks} chunks of {services.NOTIFY_BATCH:,}, "
          f"{fanout / max(chunks, 1) * 1000:.0f} ms per chunk")  # fmt: skip
    print(f"floor (bare bulk insert of {len(ids):,} rows): median {fl * 1000:.0f} ms; "
          f"ratio job / floor {j / fl:.2f}")  # fmt: skip
    print(f"notifications per job: {sorted(set(counts.values()))} (expected {active - 1:,})")
    print(f"department report ({len(rows)} rows): {report * 1000:.0f} ms")
    print(f"CSV rows streamed ({csv_rows:,} people): {csv_time * 1000:.0f} ms")
    if unfinished or set(counts.values()) != {active - 1}:
        sys.exit(f"FAILED: {len(unfinished)} jobs unfinished, notifications {counts}")


if __name__ == "__main__":
    main()
