"""Incidents: who reads which, who hears of a change, the incidents a question or an alert
belongs to, the timeline, and the held replies the social team decides on."""

from django.db.models import Q, QuerySet
from django.http import Http404

from groups.models import Group, Membership
from people.roles import ADMIN, SOCIAL_TEAM
from routing import selectors as routing
from routing.models import CustomerQuestion

from ..models import Incident, TimelineEntry
from .common import User, _active
from .team import may_declare, may_write_incident


def _departments_of(user) -> QuerySet:
    """The departments `user` leads (their group) or mentors in social, as a subquery."""
    from people.models import Department

    led = Q(
        group__kind=Group.Kind.DEPARTMENT,
        group__memberships__user_id=user.pk,
        group__memberships__role__in=(Membership.Role.LEADER, Membership.Role.OWNER),
    )
    return Department.objects.filter(led | Q(social_mentors__user_id=user.pk)).values("pk")


def readable_incidents(viewer) -> QuerySet[Incident]:
    """The incidents `viewer` may read: all of them for the crisis team, the social team and
    admins; those linked to a department they lead or mentor for everyone else."""
    if not _active(viewer):
        return Incident.objects.none()
    incidents = Incident.objects.select_related("declared_by__profile", "closed_by__profile")
    if may_write_incident(viewer):
        return incidents
    ids = Incident.objects.filter(departments__in=_departments_of(viewer)).values("pk")
    return incidents.filter(pk__in=ids)


def get_readable_incident(viewer, incident_id) -> Incident:
    """An incident `viewer` may read; 404 alike for missing and for not theirs."""
    try:
        return (
            readable_incidents(viewer)
            .select_related("alert")
            .prefetch_related("departments")
            .get(pk=incident_id)
        )
    except (Incident.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such incident.") from exc


def incident_readers(incident: Incident) -> list[int]:
    """Ids of every active person who may read `incident` (one query): the audience of its
    live timeline events."""
    departments = list(incident.departments.values_list("pk", flat=True))
    who = (
        Q(is_superuser=True)
        | Q(groups__name__in=(SOCIAL_TEAM, ADMIN))
        | Q(crisis_roles__isnull=False)
    )
    if departments:
        who |= Q(
            memberships__group__kind=Group.Kind.DEPARTMENT,
            memberships__group__department_id__in=departments,
            memberships__role__in=(Membership.Role.LEADER, Membership.Role.OWNER),
        ) | Q(mentorships__department_id__in=departments)
    return list(User.objects.filter(who, is_active=True).distinct().values_list("pk", flat=True))


def incidents_concerning(question: CustomerQuestion) -> list[Incident]:
    """The open incidents a question belongs to: those linked to its department, and those
    linked to no department (company-wide). One query."""
    scope = Q(departments__isnull=True)
    if question.department_id:
        scope |= Q(departments=question.department_id)
    return list(Incident.objects.filter(scope, status=Incident.Status.OPEN).distinct())


def incidents_concerning_alert(alert) -> list[Incident]:
    """The open incidents an alert belongs to: linked to its department, to no department
    (company-wide), or to its watch rule. One query (the open incidents are few)."""
    open_incidents = Incident.objects.filter(status=Incident.Status.OPEN).prefetch_related(
        "departments"
    )
    return [
        incident
        for incident in open_incidents
        if (alert.rule_id is not None and alert.rule_id in (incident.watch_rule_ids or []))
        or not incident.departments.all()
        or any(d.pk == alert.department_id for d in incident.departments.all())
    ]


def timeline(viewer, incident: Incident, *, after: int | None = None) -> list[TimelineEntry]:
    """The incident's timeline in order (`after` an entry id: only what came since), every
    text about a customer question shown as `viewer` may read it. Two queries."""
    entries = incident.entries.select_related("actor__profile", "question")
    if after is not None:
        entries = entries.filter(pk__gt=after)
    entries = list(entries.order_by("created_at", "id")[:2000])
    for entry in entries:
        if entry.question is not None:
            entry.visible_text = routing.shown_text(viewer, entry.question, entry.text)
        else:
            entry.visible_text = entry.text
    return entries


def pending_held_replies(viewer, incident: Incident):
    """The incident's replies waiting for a second approval, for the social team (empty
    for anyone else): author and decider with their profiles, text as `viewer` may see it."""
    if not may_declare(viewer):
        return []
    held = list(
        incident.held_replies.filter(status="pending").select_related(
            "author__profile", "decided_by__profile", "question"
        )
    )
    for reply in held:
        reply.visible_text = routing.shown_text(viewer, reply.question, reply.text)
    return held


def get_held_reply(viewer, held_id):
    """A held reply the social team decides on; 404 for everyone else and for missing."""
    from ..models import HeldReply

    if not may_declare(viewer):
        raise Http404("No such reply.")
    try:
        held = HeldReply.objects.select_related(
            "incident", "question", "author__profile", "decided_by__profile"
        ).get(pk=held_id)
    except (HeldReply.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such reply.") from exc
    held.visible_text = routing.shown_text(viewer, held.question, held.text)
    return held
