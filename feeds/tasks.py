"""The feed's work on the clock. The service is idempotent (each scheduled draft is locked
and published once), so a redelivered or doubled task publishes nothing twice."""

from celery import shared_task

from . import drafts


@shared_task(name="feeds.publish_due_posts")
def publish_due_posts() -> int:
    return drafts.publish_due_posts()
