import datetime as dt

from celery import shared_task
from django.conf import settings

from . import after_commit, bulk, retention


@shared_task(name="core.retention")
def apply_retention() -> None:
    """Daily (CELERY_BEAT_SCHEDULE["core-retention"]): delete what has outlived its use."""
    retention.run()


@shared_task(name="core.bulk_chunk")
def bulk_chunk(job_id: int, cursor: int) -> bool:
    """One chunk of a bulk job (core.bulk): exactly once, then the next one."""
    return bulk.run_chunk(job_id=job_id, cursor=cursor)


@shared_task(name="core.resume_bulk_jobs")
def resume_bulk_jobs() -> int:
    """Beat, every minute: running bulk jobs that have not moved for BULK_STALLED_SECONDS
    get their next chunk sent again (a task lost with the broker or a worker)."""
    return bulk.resume_stalled(older_than=dt.timedelta(seconds=settings.BULK_STALLED_SECONDS))


@shared_task(name=after_commit.DRAIN_TASK)
def drain_coalesced(task: str) -> int:
    """The ids queued for `task` by enqueue_id_coalesced_on_commit, each run once here."""
    return after_commit.drain_coalesced(task)
