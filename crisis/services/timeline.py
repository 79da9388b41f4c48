"""The incident's timeline: one entry, and after commit a live nudge to each reader."""

from django.utils import timezone

from core import events

from .. import selectors
from ..models import Incident, TimelineEntry

INCIDENT_TOPIC = "incident.{}"


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
