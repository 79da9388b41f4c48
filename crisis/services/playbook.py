"""The crisis playbook: drafts written and published by admins and crisis leads, and the
crisis team's acknowledgements."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core import events
from core.errors import ApplicationError
from core.versioning import clean_document, next_number, publish_draft, require_draft
from notifications.models import Notification

from .. import selectors
from ..models import PlaybookAcknowledgement, PlaybookVersion
from .common import _refuse


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
