"""Celery tasks of people: they take ids and wrap a service (people.personal_data)."""

from celery import shared_task

from . import personal_data


@shared_task(name="people.tasks.build_data_export", acks_late=True)
def build_data_export(export_id: int) -> None:
    """Build a copy of someone's data; a second delivery finds it built and does nothing."""
    personal_data.build_data_export(export_id=export_id)
