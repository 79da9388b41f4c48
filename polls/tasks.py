"""The clock's part in polls: close those whose time has come (POLL_CLOSE_CHECK_SECONDS)."""

from celery import shared_task

from . import services


@shared_task(name="polls.close_due_polls", acks_late=True)
def close_due_polls() -> int:
    return services.close_due_polls()
