"""Publishing a policy version to 10,000 employees, and the acknowledgement report, on
PostgreSQL, next to a floor measured in the same run.

Run:  .venv/bin/python bench/policies.py      (about 1 minute after the first seed)

1. Creates the database `socialhub_polbench` if missing (127.0.0.1:5432, user postgres),
   migrates it and seeds `seed_demo --employees 10000` (bulk, idempotent).
2. Publishes a fresh draft 3 times (each run: supersede, audit, one Notification row per
   active employee written with bulk_create in batches of 2,000) and prints the median.
   Floor: bulk_create of the same number of bare Notification rows, same batch size, in a
   transaction that is rolled back, 3 times; median and ratio.
3. Times the per-department report (2 queries) and streaming every row of the CSV export.
"""

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
RUNS = size(3, 1)


def main() -> None:
    var_dir = Path(__file__).resolve().parent.parent / "var" / "polbench"
    var_dir.mkdir(parents=True, exist_ok=True)
    env = bench_env(DATABASE, var_dir)
    step(f"database {DATABASE}: migrate and seed {EMPLOYEES:,} employees")
    ensure_database(DATABASE)
    manage(env, "migrate", "--noinput", timeout=600)
    manage(env, "seed_demo", "--employees", str(EMPLOYEES), timeout=900)
    os.environ.update(env)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from notifications.models import Notification
    from policies import selectors, services

    user_model = get_user_model()
    admin = user_model.objects.get(username="admin")
    active = user_model.objects.filter(is_active=True).count()

    step(f"publish a version to {active:,} active employees, {RUNS} times")
    publish = []
    for i in range(RUNS):
        draft = services.create_version(actor=admin, title=f"Bench {i}", body=f"Rules {i}")
        started = time.perf_counter()
        services.publish_version(actor=admin, version=draft)
        publish.append(time.perf_counter() - started)

    step("floor: bulk_create the same number of bare Notification rows (rolled back)")
    ids = list(user_model.objects.filter(is_active=True).values_list("pk", flat=True))
    floor = []
    for _ in range(RUNS):
        started = time.perf_counter()
        with transaction.atomic():
            Notification.objects.bulk_create(
                [Notification(recipient_id=pk, kind="policy", text="x") for pk in ids],
                batch_size=services.NOTIFY_BATCH,
            )
            floor.append(time.perf_counter() - started)
            transaction.set_rollback(True)

    version = selectors.current_version()
    started = time.perf_counter()
    rows = selectors.acknowledgement_report(admin, version)
    report = time.perf_counter() - started
    started = time.perf_counter()
    csv_rows = sum(1 for _ in selectors.acknowledgement_rows(admin, version))
    csv_time = time.perf_counter() - started

    p, f = statistics.median(publish), statistics.median(floor)
    print(f"publish to {active:,} employees: median {p * 1000:.0f} ms over {RUNS} runs")
    print(f"floor (bare bulk insert of {len(ids):,} rows): median {f * 1000:.0f} ms")
    print(f"ratio publish / floor: {p / f:.2f}")
    print(f"department report ({len(rows)} rows): {report * 1000:.0f} ms")
    print(f"CSV rows streamed ({csv_rows:,} people): {csv_time * 1000:.0f} ms")


if __name__ == "__main__":
    main()
