"""Monitoring's retention rule (core.retention) and what it adds to /metrics (core.metrics),
registered in MonitoringConfig.ready."""

from django.conf import settings
from django.db.models import Count
from prometheus_client.core import GaugeMetricFamily

from core.retention import days_ago

from .models import Alert


def resolved_alerts(now):
    """Alerts resolved more than RETENTION_RESOLVED_ALERTS_DAYS ago (open and acknowledged
    ones always stay; an incident keeps its own timeline of the alert)."""
    cutoff = days_ago(now, settings.RETENTION_RESOLVED_ALERTS_DAYS)
    if cutoff is None:
        return None
    return Alert.objects.filter(status=Alert.Status.RESOLVED, resolved_at__lt=cutoff)


def alert_figures():
    """Alerts by status and kind: one grouped query per scrape."""
    family = GaugeMetricFamily(
        "socialhub_alerts", "Listening alerts, by status and kind.", labels=["status", "kind"]
    )
    rows = Alert.objects.order_by().values_list("status", "kind").annotate(n=Count("id"))
    for status, kind, n in sorted(rows):
        family.add_metric([status, kind], n)
    return [family]
