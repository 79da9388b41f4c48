"""Incidents: declared (by hand or from a listening alert; crisis mode with a severe one),
written on, closed, and the crisis lead's company-wide announcement."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.errors import ApplicationError
from core.markdown import render_markdown
from feeds.services import post_company_announcement
from notifications.models import Notification
from notifications.services import notify
from policies import selectors as policies
from routing.selectors import is_social_team

from .. import selectors
from ..models import SEVERITY_RANK, HeldReply, Incident, Severity, TimelineEntry
from .common import _refuse, _text
from .timeline import add_entry


def declare_incident(
    *,
    actor,
    title: str,
    summary: str,
    severity: str,
    departments=(),
    watch_rule_ids=(),
    alert=None,
    second_approval: bool = False,
) -> Incident:
    """Declare an incident, by hand or from a listening alert (`alert`, a monitoring.Alert
    the actor sees: linked, its watch rule followed, on the timeline). Of a severity at or
    above CRISIS_MODE_SEVERITY, it switches crisis mode on until it closes: certified
    representatives are told their replies are paused, and why."""
    if not selectors.may_declare(actor):
        raise _refuse("Only the social team and admins declare incidents.")
    title = " ".join(_text(title, field="title", limit=200).split())
    summary = _text(summary, field="summary", limit=5_000)
    if severity not in Severity.values:
        raise ApplicationError(
            f"Choose a severity: {', '.join(Severity.values)}.", field="severity"
        )
    watch_rule_ids = {int(i) for i in watch_rule_ids or ()}
    if alert is not None and alert.rule_id is not None:
        watch_rule_ids.add(alert.rule_id)
    watch_rule_ids = sorted(watch_rule_ids)
    crisis_mode = SEVERITY_RANK[severity] >= SEVERITY_RANK[settings.CRISIS_MODE_SEVERITY]
    now = timezone.now()
    with transaction.atomic():
        incident = Incident.objects.create(
            title=title,
            summary=summary,
            summary_html=render_markdown(summary),
            severity=severity,
            crisis_mode=crisis_mode,
            second_approval=bool(second_approval) and crisis_mode,
            alert=alert,
            watch_rule_ids=watch_rule_ids,
            declared_by=actor,
            declared_at=now,
        )
        incident.departments.set(list(departments))
        mode = (
            " Crisis mode is on: public replies go through the social team only."
            if crisis_mode
            else ""
        )
        add_entry(
            incident,
            TimelineEntry.Kind.DECLARED,
            actor=actor,
            text=f"Declared, severity {incident.get_severity_display().lower()}.{mode}",
        )
        if alert is not None:
            add_entry(
                incident,
                TimelineEntry.Kind.ALERT,
                actor=actor,
                text=f"Declared from the alert “{alert.title}”.",
                link=alert.get_absolute_url(),
            )
        if crisis_mode:
            _tell_representatives(actor, incident)
        transaction.on_commit(selectors.forget_crisis_mode)
    selectors.forget_crisis_mode()
    return incident


def _tell_representatives(actor, incident: Incident) -> None:
    """Certified representatives outside the social team: their public replies are paused."""
    for certification in policies.representatives(actor):
        user = certification.user
        if is_social_team(user):
            continue
        notify(
            recipient=user,
            kind=Notification.Kind.POLICY,
            actor=actor,
            text=f"Crisis mode: your public replies for the brand are paused while the "
            f"incident “{incident.title}” is open. Send answers to the social team.",
            url=reverse("social:org"),
            target_key=f"crisis-pause:{incident.pk}",
        )


def _require_writer(actor, incident: Incident) -> None:
    if not selectors.may_write_incident(actor, incident):
        raise _refuse("Only the crisis team, the social team and admins write on incidents.")


def add_note(*, actor, incident: Incident, text: str) -> TimelineEntry:
    _require_writer(actor, incident)
    text = _text(text, field="text", limit=5_000)
    with transaction.atomic():
        return add_entry(incident, TimelineEntry.Kind.NOTE, actor=actor, text=text)


def close_incident(*, actor, incident: Incident, resolution: str = "") -> Incident:
    """Close the incident (crisis mode ends with it); its report is ready at once. Held
    replies still waiting are rejected: they were written for the crisis."""
    _require_writer(actor, incident)
    resolution = _text(resolution, field="resolution", limit=5_000, required=False)
    now = timezone.now()
    with transaction.atomic():
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        if not locked.is_open:
            raise ApplicationError("This incident is already closed.", field="status", status=409)
        locked.status = Incident.Status.CLOSED
        locked.closed_by, locked.closed_at, locked.resolution = actor, now, resolution
        locked.save(update_fields=["status", "closed_by", "closed_at", "resolution"])
        locked.held_replies.filter(status=HeldReply.Status.PENDING).update(
            status=HeldReply.Status.REJECTED, decided_by=actor, decided_at=now
        )
        add_entry(
            locked,
            TimelineEntry.Kind.STATUS,
            actor=actor,
            text="Closed." + (f" {resolution}" if resolution else ""),
        )
        transaction.on_commit(selectors.forget_crisis_mode)
    selectors.forget_crisis_mode()
    return locked


def publish_announcement(*, actor, incident: Incident, body: str):
    """The crisis lead's company-wide announcement in one step: a pinned post in All
    company, on the timeline."""
    if not selectors.may_announce(actor):
        raise _refuse("Only the crisis lead publishes the company-wide announcement.")
    if not incident.is_open:
        raise ApplicationError("This incident is closed.", field="status", status=409)
    body = _text(body, field="body", limit=5_000)
    with transaction.atomic():
        post = post_company_announcement(actor=actor, body=body)
        add_entry(
            incident,
            TimelineEntry.Kind.ANNOUNCEMENT,
            actor=actor,
            text=body,
            link=post.get_absolute_url(),
        )
    return post
