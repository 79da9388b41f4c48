"""Every write of the crisis plan: crisis roles, the playbook (core.versioning, as the
policy), incidents and their timeline, held replies, the company-wide announcement, brand
posts. `verb_noun(*, actor, ...)`: permission first (ApplicationError 403, nothing written),
validation (400 naming the field), one transaction; live events on commit (core.events).
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core import events
from core.errors import ApplicationError
from core.markdown import render_markdown
from core.versioning import clean_document, next_number, publish_draft, require_draft
from feeds.services import post_company_announcement
from notifications.models import Notification
from notifications.services import notify
from people.roles import is_admin
from policies import selectors as policies
from routing import redaction
from routing.selectors import is_social_team

from . import selectors
from .models import (
    SEVERITY_RANK,
    BrandActivity,
    BrandPost,
    CrisisRole,
    HeldReply,
    Incident,
    PlaybookAcknowledgement,
    PlaybookVersion,
    Severity,
    TimelineEntry,
)

INCIDENT_TOPIC = "incident.{}"
BRAND_TOPIC = "brand-activity"


def _refuse(message: str) -> ApplicationError:
    return ApplicationError(message, status=403)


def _text(value, *, field: str, limit: int, required: bool = True) -> str:
    value = (value or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if required and not value:
        raise ApplicationError("This cannot be empty.", field=field)
    if len(value) > limit:
        raise ApplicationError(f"Keep this under {limit:,} characters.", field=field)
    return value


# --- The timeline ---------------------------------------------------------------------


def add_entry(
    incident: Incident, kind: str, *, actor=None, text: str = "", question=None, link: str = ""
) -> TimelineEntry:
    """One entry on `incident`'s timeline, and after commit a live nudge to each of its
    readers (ids only: each tab fetches the new entries through the permission check)."""
    entry = TimelineEntry.objects.create(
        incident=incident,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        text=text[:10_000],
        question=question,
        link=link[:300],
        created_at=timezone.now(),
    )
    _nudge_readers(incident)
    return entry


def _nudge_readers(incident: Incident) -> None:
    topic = INCIDENT_TOPIC.format(incident.pk)
    for user_id in selectors.incident_readers(incident):
        events.publish(
            audience=events.user_audience(user_id),
            event_type="topic.changed",
            payload={"topic": topic},
        )


def _on_every_open_incident(kind: str, *, actor, text: str) -> None:
    for incident in Incident.objects.filter(status=Incident.Status.OPEN):
        add_entry(incident, kind, actor=actor, text=text)


# --- Crisis roles ---------------------------------------------------------------------


def name_crisis_role(*, actor, user, role: str) -> CrisisRole:
    if not is_admin(actor):
        raise _refuse("Only admins name the crisis team.")
    if role not in CrisisRole.Role.values:
        raise ApplicationError("Choose lead, communications or legal.", field="role")
    if user is None or not user.is_active:
        raise ApplicationError("Choose someone who works here.", field="username")
    label = CrisisRole.Role(role).label
    try:
        with transaction.atomic():
            named, created = CrisisRole.objects.get_or_create(
                user=user, role=role, defaults={"named_by": actor}
            )
            if created:
                _on_every_open_incident(
                    TimelineEntry.Kind.ROLE,
                    actor=actor,
                    text=f"{user.profile.display_name} is now {label.lower()}.",
                )
                events.access_changed(user.pk)
    except IntegrityError:
        named = CrisisRole.objects.get(user=user, role=role)
    return named


def remove_crisis_role(*, actor, user, role: str) -> bool:
    if not is_admin(actor):
        raise _refuse("Only admins change the crisis team.")
    with transaction.atomic():
        deleted, _ = CrisisRole.objects.filter(user=user, role=role).delete()
        if deleted:
            label = CrisisRole.Role(role).label
            _on_every_open_incident(
                TimelineEntry.Kind.ROLE,
                actor=actor,
                text=f"{user.profile.display_name} is no longer {label.lower()}.",
            )
            events.access_changed(user.pk)
    return bool(deleted)


# --- The playbook ---------------------------------------------------------------------


def _require_playbook_writer(actor) -> None:
    if not selectors.may_write_playbook(actor):
        raise _refuse("Only admins and crisis leads write the playbook.")


def create_playbook_version(
    *, actor, title: str, body: str, change_note: str = ""
) -> PlaybookVersion:
    _require_playbook_writer(actor)
    title, body, change_note, html = clean_document(title, body, change_note, noun="playbook")
    with transaction.atomic():
        return PlaybookVersion.objects.create(
            number=next_number(PlaybookVersion),
            title=title,
            body=body,
            body_html=html,
            change_note=change_note,
            created_by=actor,
        )


def edit_playbook_version(
    *, actor, version: PlaybookVersion, title: str, body: str, change_note: str = ""
) -> PlaybookVersion:
    _require_playbook_writer(actor)
    require_draft(version)
    title, body, change_note, html = clean_document(title, body, change_note, noun="playbook")
    version.title, version.body, version.change_note, version.body_html = (
        title,
        body,
        change_note,
        html,
    )
    version.save(update_fields=["title", "body", "body_html", "change_note"])
    return version


def publish_playbook_version(*, actor, version: PlaybookVersion) -> PlaybookVersion:
    """The draft becomes the playbook in force; the crisis team is asked to acknowledge it."""
    _require_playbook_writer(actor)
    with transaction.atomic():
        published = publish_draft(PlaybookVersion, version, actor=actor, now=timezone.now())
        url = reverse("crisis:playbook")
        for user_id in selectors.crisis_team_ids():
            if user_id == actor.pk:
                continue
            Notification.objects.create(
                recipient_id=user_id,
                kind=Notification.Kind.POLICY,
                actor=actor,
                text=f"The crisis playbook changed (version {published.number}): please read "
                "and acknowledge it.",
                url=url,
                target_key=f"playbook-version:{published.pk}",
            )
        events.publish(audience=events.COMPANY, event_type="notification.badge", payload={})
    return published


def acknowledge_playbook(*, actor, version: PlaybookVersion) -> PlaybookAcknowledgement:
    if not selectors.may_read_playbook(actor):
        raise _refuse("Only the crisis team acknowledges the playbook.")
    if not version.is_current:
        raise ApplicationError(
            "Only the current version can be acknowledged.", field="version", status=400
        )
    acknowledgement, _ = PlaybookAcknowledgement.objects.get_or_create(user=actor, version=version)
    return acknowledgement


# --- Incidents ------------------------------------------------------------------------


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


# --- Held replies (the second approval) -----------------------------------------------


def approve_held_reply(*, actor, held: HeldReply):
    """A second social team member approves a held reply: it is sent now, through the
    same service as every reply (routing.services.record_public_reply, approved_by)."""
    from routing.services import record_public_reply

    if not is_social_team(actor):
        raise _refuse("Only the social team approves replies.")
    if held.author_id == actor.pk:
        raise _refuse("Someone else of the social team approves your reply.")
    with transaction.atomic():
        locked = HeldReply.objects.select_for_update().get(pk=held.pk)
        if locked.status != HeldReply.Status.PENDING:
            raise ApplicationError("This reply was already decided.", field="status", status=409)
        reply = record_public_reply(
            actor=locked.author, question=locked.question, text=locked.text, approved_by=actor
        )
        locked.status, locked.decided_by, locked.decided_at = (
            HeldReply.Status.SENT,
            actor,
            timezone.now(),
        )
        locked.save(update_fields=["status", "decided_by", "decided_at"])
    return reply


def reject_held_reply(*, actor, held: HeldReply) -> HeldReply:
    if not is_social_team(actor):
        raise _refuse("Only the social team decides on held replies.")
    with transaction.atomic():
        locked = HeldReply.objects.select_for_update().get(pk=held.pk)
        if locked.status != HeldReply.Status.PENDING:
            raise ApplicationError("This reply was already decided.", field="status", status=409)
        locked.status, locked.decided_by, locked.decided_at = (
            HeldReply.Status.REJECTED,
            actor,
            timezone.now(),
        )
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        add_entry(
            locked.incident,
            TimelineEntry.Kind.REPLY_REFUSED,
            actor=actor,
            text="Held reply rejected.",
            question=locked.question,
        )
    return locked


# --- Brand activity -------------------------------------------------------------------


def record_brand_post(*, actor, account, text: str, url: str = "", posted_at=None) -> BrandPost:
    """A post published on a brand account, recorded by someone authorized on it (or the
    social team, or an admin); it shows in the brand activity feed."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    if account is None:
        raise ApplicationError("Choose a brand account.", field="account")
    authorized = any(a.user_id == actor.pk for a in getattr(account, "active_authorizations", []))
    if not (authorized or is_social_team(actor) or is_admin(actor)):
        raise _refuse("Only people authorized on this account record its posts.")
    text = _text(text, field="text", limit=5_000)
    url = _text(url, field="url", limit=300, required=False)
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ApplicationError("Give an http(s) link.", field="url") from None
    now = timezone.now()
    if posted_at is None or posted_at > now:
        posted_at = now
    with transaction.atomic():
        post = BrandPost.objects.create(
            account=account, text=text, url=url, recorded_by=actor, posted_at=posted_at
        )
        BrandActivity.objects.create(
            kind=BrandActivity.Kind.POST,
            account=account,
            department_id=account.department_id,
            actor=actor,
            text=redaction.redact(text),
            brand_post=post,
            occurred_at=posted_at,
        )
        _nudge_brand_feed()
    return post


def record_reply_activity(reply) -> BrandActivity | None:
    """The brand activity of a public reply: its text with the customer taken out
    (routing.redaction, the question's known name, handle and email too). Once per reply."""
    question = reply.question
    known = (question.customer_name, question.customer_handle, question.customer_email)
    activity, created = BrandActivity.objects.get_or_create(
        reply_id=reply.pk,
        defaults={
            "kind": BrandActivity.Kind.REPLY,
            "channel": question.channel,
            "department_id": question.department_id,
            "actor": reply.author,
            "text": redaction.redact(reply.text, known),
            "occurred_at": reply.posted_at,
        },
    )
    if created:
        _nudge_brand_feed()
    return activity


def _nudge_brand_feed() -> None:
    events.publish(
        audience=events.COMPANY, event_type="topic.changed", payload={"topic": BRAND_TOPIC}
    )
