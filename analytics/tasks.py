"""The clock's part in community analytics: store the weeks that are over
(ANALYTICS_ROLLUP_HOUR), and the weeks a report found missing (after that request)."""

import datetime as dt

from celery import shared_task

from . import services


@shared_task(name="analytics.roll_up_recent", acks_late=True)
def roll_up_recent() -> int:
    return services.roll_up_recent()


@shared_task(name="analytics.roll_up_weeks", acks_late=True)
def roll_up_weeks(group_id: int | None, mondays: list[str]) -> int:
    return services.roll_up_weeks(group_id, [dt.date.fromisoformat(m) for m in mondays])
