"""Previews are made after the upload commits, off the request (PDF rendering takes a
moment). Each task takes an id, re-reads the row and does nothing twice."""

from celery import shared_task

from . import services


@shared_task(name="library.tasks.make_version_preview", acks_late=True)
def make_version_preview(version_id: int) -> bool:
    return services.make_version_preview(version_id=version_id)


@shared_task(name="library.tasks.make_attachment_preview", acks_late=True)
def make_attachment_preview(attachment_id: int) -> bool:
    return services.make_attachment_preview(attachment_id=attachment_id)
