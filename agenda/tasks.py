"""The clock's part in events: reminders (EVENT_REMINDER_CHECK_SECONDS)."""

from celery import shared_task

from . import services


@shared_task(name="agenda.send_due_reminders", acks_late=True)
def send_due_reminders() -> int:
    return services.send_due_reminders()
