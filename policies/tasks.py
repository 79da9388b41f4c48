"""Policy reminders on the beat schedule. The service is idempotent (one reminder row per
person, version and reminder period), so a redelivered or doubled task reminds nobody twice."""

from celery import shared_task

from . import services


@shared_task(name="policies.send_acknowledgement_reminders")
def send_acknowledgement_reminders() -> int:
    return services.send_acknowledgement_reminders()
