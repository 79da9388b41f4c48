"""Alerts: raised by a watch rule's match (after intake commits) or by the scan, then
acknowledged and resolved by people or resolved by the scan when volume is normal again.

Exactly one unresolved alert per key, also under concurrent writers: the partial unique
constraint `one_open_alert_per_key` decides, and a writer that loses the race updates the
winner's row. New alerts are announced after commit (a task: notification in the app and
by email to the social team and the department's watchers, a live event to their tabs);
updates only send the live event.
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from core import events
from core.after_commit import enqueue_on_commit
from core.errors import ApplicationError
from notifications.models import Notification
from notifications.services import notify

from .. import selectors
from ..models import SEVERITY_RANK, Alert, RuleMatch, Severity

log = logging.getLogger(__name__)

ALERT_EVENT = "alert.changed"


def _unresolved(key: str):
    return Alert.objects.select_for_update().filter(key=key).exclude(status=Alert.Status.RESOLVED)


def _raise_for_rule(rule, *, count: int, now) -> tuple[Alert, bool]:
    """Open the rule's alert, or add `count` matches to the open one. Expects a transaction."""
    alert = _unresolved(rule.key).first()
    if alert is None:
        try:
            with transaction.atomic():
                alert = Alert.objects.create(
                    key=rule.key,
                    kind=Alert.Kind.RULE,
                    title=f"Watch rule “{rule.name}”",
                    trigger=Alert.Trigger.MATCH,
                    severity=rule.severity,
                    department_id=rule.department_id,
                    rule=rule,
                    match_count=count,
                    opened_at=now,
                    updated_at=now,
                    last_activity_at=now,
                )
            return alert, True
        except IntegrityError:
            alert = _unresolved(rule.key).get()
    alert.match_count += count
    if SEVERITY_RANK[rule.severity] > SEVERITY_RANK[alert.severity]:
        alert.severity = rule.severity
    alert.updated_at = alert.last_activity_at = now
    alert.save(update_fields=["match_count", "severity", "updated_at", "last_activity_at"])
    return alert, False


def alert_on_matches(*, question_id: int, now=None) -> list[int]:
    """Raise or update the alert of every medium or high rule the question matched, once
    (the matches are marked: a task run twice raises nothing twice). The alert ids."""
    now = now or timezone.now()
    with transaction.atomic():
        matches = list(
            RuleMatch.objects.select_for_update(of=("self",))
            .filter(question_id=question_id, alerted=False)
            .exclude(rule__severity=Severity.LOW)
            .select_related("rule")
            .order_by("rule_id")
        )
        changed, opened = [], []
        for match in matches:
            alert, created = _raise_for_rule(match.rule, count=1, now=now)
            changed.append(alert.pk)
            if created:
                opened.append(alert.pk)
        RuleMatch.objects.filter(pk__in=[m.pk for m in matches]).update(alerted=True)
        schedule_announcement(changed=changed, opened=opened)
    return changed


def schedule_announcement(*, changed: list[int], opened: list[int]) -> None:
    if changed:
        enqueue_on_commit("monitoring.announce_alerts", changed, opened)


def _notice(alert: Alert) -> str:
    if alert.trigger == Alert.Trigger.MATCH:
        return f"{alert.title} matched a customer question."
    ratio = f" ({alert.observed} questions, about {alert.expected:.1f} expected)"
    return f"Unusual volume: {alert.title}{ratio}."


def announce_alerts(*, alert_ids: list[int], opened_ids: list[int]) -> int:
    """After the alerts are written: tell their audiences' open tabs (ids only: the page
    re-reads the list through its own permission check), and notify in the app and by
    email about the ones that opened. Idempotent per alert (notify's target key)."""
    sent = 0
    alerts = Alert.objects.filter(pk__in=alert_ids).select_related("department")
    with transaction.atomic():
        for alert in alerts:
            recipients = selectors.alert_recipients(alert)
            for user in recipients:
                if alert.pk in opened_ids:
                    notify(
                        recipient=user,
                        kind=Notification.Kind.LISTENING_ALERT,
                        text=_notice(alert),
                        url=alert.get_absolute_url(),
                        target_key=f"alert:{alert.pk}",
                    )
                    sent += 1
                events.publish(
                    audience=events.user_audience(user.pk),
                    event_type=ALERT_EVENT,
                    payload={"alert": alert.pk, "status": alert.status},
                )
    return sent


def acknowledge_alert(*, actor, alert: Alert) -> Alert:
    """Someone is on it. Social team, admins and the department's watchers."""
    with transaction.atomic():
        alert = _locked_visible(actor, alert)
        if alert.status == Alert.Status.RESOLVED:
            raise ApplicationError("This alert is resolved already.", field="status", status=409)
        if alert.status == Alert.Status.OPEN:
            now = timezone.now()
            alert.status = Alert.Status.ACKNOWLEDGED
            alert.acknowledged_at = alert.updated_at = now
            alert.acknowledged_by = actor
            alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "updated_at"])
            schedule_announcement(changed=[alert.pk], opened=[])
    return alert


def resolve_alert(*, actor, alert: Alert) -> Alert:
    """Over. A surge that comes back later opens a new alert for the key."""
    with transaction.atomic():
        alert = _locked_visible(actor, alert)
        if alert.status != Alert.Status.RESOLVED:
            now = timezone.now()
            alert.status = Alert.Status.RESOLVED
            alert.resolved_at = alert.updated_at = now
            alert.resolved_by = actor
            alert.save(update_fields=["status", "resolved_at", "resolved_by", "updated_at"])
            schedule_announcement(changed=[alert.pk], opened=[])
    return alert


def _locked_visible(actor, alert: Alert) -> Alert:
    selectors.get_visible_alert(actor, alert.pk)  # 404 for those who may not read it
    return Alert.objects.select_for_update().get(pk=alert.pk)
