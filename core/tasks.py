from celery import shared_task

from . import retention


@shared_task(name="core.retention")
def apply_retention() -> None:
    """Daily (CELERY_BEAT_SCHEDULE["core-retention"]): delete what has outlived its use."""
    retention.run()
