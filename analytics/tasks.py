"""The clock's part in community analytics: store the weeks that are over
(ANALYTICS_ROLLUP_HOUR), and the weeks a report found missing (after that request)."""

import datetime as dt

from celery import shared_task

from groups.models import Group

from . import services


@shared_task(name="analytics.roll_up_recent", acks_late=True)
def roll_up_recent() -> int:
    return services.roll_up_recent()


@shared_task(name="analytics.roll_up_weeks", acks_late=True)
def roll_up_weeks(group_id: int | None, mondays: list[str]) -> int:
    group = None
    if group_id is not None:
        group = Group.objects.filter(pk=group_id).first()
        if group is None:
            return 0
    weeks = [dt.date.fromisoformat(m) for m in mondays]
    for monday in weeks:
        services.roll_up_week(group=group, monday=monday)
    return len(weeks)
