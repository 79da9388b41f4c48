"""The crisis team: admins name and remove crisis roles; every open incident's timeline
says so, and the person's open sockets re-check what they may hear."""

from django.db import IntegrityError, transaction

from core import events
from core.errors import ApplicationError
from people.roles import is_admin

from ..models import CrisisRole, Incident, TimelineEntry
from .common import _refuse
from .timeline import add_entry


def _on_every_open_incident(kind: str, *, actor, text: str) -> None:
    for incident in Incident.objects.filter(status=Incident.Status.OPEN):
        add_entry(incident, kind, actor=actor, text=text)


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
