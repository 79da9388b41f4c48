"""bench/digest.py's weekly run on real Celery workers (tests.processes.celery_worker, as the
worker tests start them): the beat task cuts the run into id ranges, N worker processes
(concurrency 1 each) take the chunks in parallel. Runs in a Django process whose REDIS_URL
is the bench's Redis database and whose email backend drops messages (dummymail://).

Prints: elapsed minutes, chunks per worker and seconds per chunk (from the workers' logs),
the queries of a chunk (measured here on three chunks: fixed reads and claim, plus one
"sent" mark per email), exactly-once checks (one claim per reader, none twice, the same run
again sends nothing) and the floor: as many messages of the same size built and handed to
the same backend with no database and no templates, in one process, divided by N.
"""

import contextlib
import re
import time
from pathlib import Path

from bench._common import load


def run(workers: int, log_dir: Path, goal_minutes: float) -> None:
    import redis
    from django.conf import settings
    from django.core.mail import EmailMultiAlternatives
    from django.db import connection
    from django.utils import timezone

    from notifications import digests, tasks
    from notifications.models import EmailDelivery, EmailSettings
    from tests.processes import celery_worker, wait_for

    EmailDelivery.objects.filter(key__startswith="digest:").delete()
    EmailSettings.objects.update(last_digest_at=None)
    broker = redis.Redis.from_url(settings.REDIS_URL)
    now = timezone.now()

    # Queries of a chunk, on three chunks (reads only: nothing is sent here).
    ranges = digests.run_ranges("weekly")
    queries = {"n": 0}

    def count(execute, sql, params, many, context):
        queries["n"] += 1
        return execute(sql, params, many, context)

    reads, sizes, posts = [], [], 0
    for first, last in ranges[:3]:
        ids = list(digests.subscriber_ids("weekly").filter(pk__gte=first, pk__lte=last))
        with connection.execute_wrapper(count):
            before = queries["n"]
            built = digests.build_digests(ids, frequency="weekly", now=now)
            reads.append((len(ids), queries["n"] - before))
        for digest in built[:100]:
            if not digest.is_empty():
                _, text, html, _ = digests.render_digest(digest, frequency="weekly")
                sizes.append(len(text) + len(html))
                posts += text.count("/posts/")
    avg_size = sum(sizes) // max(len(sizes), 1)

    def finished() -> bool:
        return broker.llen("celery") == 0 and broker.hlen("unacked") == 0

    def dispatch_and_wait() -> float:
        started = time.perf_counter()
        tasks.send_digests.delay("weekly")
        time.sleep(1)
        done = wait_for(finished, timeout=goal_minutes * 60 * 3, step=1.0)
        assert done, "the run did not finish within three times the goal"
        return time.perf_counter() - started

    with contextlib.ExitStack() as stack:
        for n in range(workers):
            stack.enter_context(
                celery_worker(
                    log_dir / f"worker{n}.log",
                    hostname=f"digest{n}",
                    concurrency=1,
                    ready_timeout=300,  # a loaded machine starts Django slowly
                    env={"LOG_LEVEL": "INFO"},  # "ready" and each chunk's time are INFO lines
                )
            )
        print(f"{workers} workers ready  [{load()}]", flush=True)
        elapsed = dispatch_and_wait()
        load_after = load()
        rows = EmailDelivery.objects.filter(key__startswith="digest:")
        claims = rows.count()
        recipients = rows.values("recipient_id").distinct().count()
        sent = rows.filter(state="sent").count()
        # Each worker's chunks of this run, before the same run again adds its own lines.
        per_worker = []
        for n in range(workers):
            text = (log_dir / f"worker{n}.log").read_text()
            secs = [
                float(s) for s in re.findall(r"digest_range\[[^\]]+\] succeeded in ([\d.]+)s", text)
            ]
            per_worker.append(secs)
        again_started = rows.count()
        dispatch_and_wait()  # the same run again (same ISO week: the same keys)
        again = rows.count() - again_started

    message = "x" * (avg_size // 2)
    t = time.perf_counter()
    for i in range(sent):
        email = EmailMultiAlternatives("Your weekly digest", message, to=[f"u{i}@example.com"])
        email.attach_alternative(message, "text/html")
        email.send()
    floor = (time.perf_counter() - t) / workers

    subscribers = len(list(digests.subscriber_ids("weekly")))
    print(f"subscribers: {subscribers:,}; chunks of {settings.DIGEST_CHUNK_SIZE}: {len(ranges)}")
    measured = ", ".join(f"{q} for {n} readers" for n, q in reads)
    print(f"queries per chunk (3 chunks measured here): reads {measured}; then 1 claim "
          "INSERT, 1 'sent' UPDATE per email, 1 upsert of last-digest times")  # fmt: skip
    for n, secs in enumerate(per_worker):
        if secs:
            print(f"worker {n}: {len(secs)} chunks, {sum(secs):.1f} s busy, "
                  f"{sum(secs) / len(secs):.2f} s per chunk (max {max(secs):.2f})")  # fmt: skip
    print(f"average email: {avg_size:,} characters, "
          f"{posts / max(len(sizes), 1):.1f} post links")  # fmt: skip
    print(f"exactly once: {claims:,} claims for {recipients:,} readers, {sent:,} sent; "
          f"the same run again: {again} more")  # fmt: skip
    verdict = "met" if elapsed < goal_minutes * 60 else "NOT met"
    print(f"TOTAL: {elapsed / 60:.2f} min ({elapsed:.1f} s) for {sent:,} digests with "
          f"{workers} workers = {sent / elapsed:,.0f} emails/s (goal < {goal_minutes:.0f} min: "
          f"{verdict})  [{load_after}]")  # fmt: skip
    ratio = elapsed / max(floor, 1e-9)
    print(f"floor (same count and size, no DB, no templates, one process / {workers}): "
          f"{floor:.2f} s; ratio {ratio:.1f}x the floor  [{load()}]")  # fmt: skip
    assert claims == recipients == sent and again == 0, "a digest was claimed twice or left unsent"
