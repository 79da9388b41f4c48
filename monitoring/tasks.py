"""Celery tasks of listening: each wraps a service that can also be called directly."""

from celery import shared_task

from . import services


@shared_task(name="monitoring.scan")
def scan() -> int:
    """Beat, every MONITORING_SCAN_SECONDS: open, update and resolve surge alerts."""
    result = services.scan_volumes()
    return len(result.opened)


@shared_task(name="monitoring.alert_on_matches")
def alert_on_matches(question_id: int) -> int:
    """After intake commits: the alerts of the watch rules a question matched."""
    return len(services.alert_on_matches(question_id=question_id))


@shared_task(name="monitoring.announce_alerts")
def announce_alerts(alert_ids: list[int], opened_ids: list[int]) -> int:
    """After an alert is written: notifications, emails and live events."""
    return services.announce_alerts(alert_ids=alert_ids, opened_ids=opened_ids)
