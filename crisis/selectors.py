"""Who may read what of the crisis plan, and the reads every surface shares.

| object                                   | who may read it                                   |
|------------------------------------------|---------------------------------------------------|
| published playbook versions, their diffs | the crisis team, department mentors, the social    |
|                                          | team, admins                                       |
| playbook drafts                          | admins and crisis leads (who write it)             |
| an incident, its timeline and report     | the crisis team, the social team, admins, leaders  |
|                                          | and mentors of its linked departments              |
| a customer's personal data on a timeline | routing's rule (routing.selectors.can_see_customer) |
| the org chart, the brand activity feed   | every active employee (no customer personal data)  |

The crisis team is everyone holding a CrisisRole (lead, communications, legal). Writing on an
incident (notes, close) is for the crisis team, the social team and admins; declaring for the
social team and admins; the company-wide announcement for crisis leads and admins.
"""

import re
import statistics
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from core.versioning import DiffLine, diff_lines
from groups.models import Group, Membership
from people.roles import ADMIN, SOCIAL_TEAM, has_role, is_admin
from policies import selectors as policies
from policies.models import PolicySettings
from routing import selectors as routing
from routing.models import CustomerQuestion, PublicReply

from .models import (
    BrandActivity,
    CrisisRole,
    Incident,
    PlaybookAcknowledgement,
    PlaybookVersion,
    TimelineEntry,
)

User = get_user_model()
CRISIS_CACHE_KEY = "crisis:mode-incident"
CRISIS_CACHE_SECONDS = 300


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


# --- The crisis team ------------------------------------------------------------------


def crisis_roles_of(user) -> set[str]:
    """The crisis roles `user` holds (one query, cached on the user object)."""
    if not _active(user):
        return set()
    cached = getattr(user, "_crisis_roles", None)
    if cached is None:
        cached = set(CrisisRole.objects.filter(user_id=user.pk).values_list("role", flat=True))
        user._crisis_roles = cached
    return cached


def is_crisis_team(user) -> bool:
    return bool(crisis_roles_of(user))


def is_crisis_lead(user) -> bool:
    return CrisisRole.Role.LEAD in crisis_roles_of(user)


def is_mentor(user) -> bool:
    return _active(user) and user.mentorships.exists()


def crisis_team(viewer) -> QuerySet[CrisisRole]:
    """Who holds which crisis role (every active employee reads it: the org chart)."""
    if not _active(viewer):
        return CrisisRole.objects.none()
    return CrisisRole.objects.filter(user__is_active=True).select_related("user__profile")


def crisis_team_ids() -> list[int]:
    return list(
        User.objects.filter(is_active=True, crisis_roles__isnull=False)
        .distinct()
        .values_list("pk", flat=True)
    )


def may_declare(user) -> bool:
    return has_role(user, SOCIAL_TEAM) or is_admin(user)


def may_write_incident(user, incident: Incident | None = None) -> bool:
    return may_declare(user) or is_crisis_team(user)


def may_announce(user) -> bool:
    return is_crisis_lead(user) or is_admin(user)


def may_write_playbook(user) -> bool:
    return is_admin(user) or is_crisis_lead(user)


def may_read_playbook(user) -> bool:
    return _active(user) and (
        may_write_incident(user) or is_mentor(user) or has_role(user, SOCIAL_TEAM)
    )


# --- Crisis mode ----------------------------------------------------------------------


def crisis_mode_incident() -> Incident | None:
    """The open incident that holds crisis mode (the newest, if several do), or None. One
    query; the reply gate asks here, never the cache."""
    return Incident.objects.filter(status=Incident.Status.OPEN, crisis_mode=True).first()


def crisis_mode_on() -> Incident | None:
    """`crisis_mode_incident` through the cache (no query while it holds), for what every
    page shows: the banner, the holding statements. Services forget it on every change."""
    cached = cache.get(CRISIS_CACHE_KEY)
    if cached is None:
        incident = crisis_mode_incident()
        cached = (incident.pk, incident.title, incident.second_approval) if incident else ()
        cache.set(CRISIS_CACHE_KEY, cached, CRISIS_CACHE_SECONDS)
    if not cached:
        return None
    pk, title, second = cached
    return Incident(pk=pk, title=title, second_approval=second, crisis_mode=True)


def forget_crisis_mode() -> None:
    cache.delete(CRISIS_CACHE_KEY)


def remember_no_crisis() -> None:
    """Record that no incident holds crisis mode, as the first page after a cold cache would
    (the tests start each empty company this way, so a page's pinned query count is its
    steady cost, not the cold cache's one read)."""
    cache.set(CRISIS_CACHE_KEY, (), CRISIS_CACHE_SECONDS)


def banner_incident(request) -> tuple[Incident | None, bool]:
    """The crisis-mode incident for the banner, and whether the viewer may open it. Shown
    to the crisis team, the social team and admins, to the leaders and mentors of the
    departments it concerns (who read it), and to whoever speaks for the brand (mentors,
    certified representatives), who must stop replying too. No query
    when no incident holds crisis mode (after the first, cached)."""
    user = getattr(request, "user", None)
    if not _active(user):
        return None, False
    incident = crisis_mode_on()
    if incident is None:
        return None, False
    if may_write_incident(user):
        return incident, True
    may_open = readable_incidents(user).filter(pk=incident.pk).exists()
    if may_open or policies.speaks_for_the_brand(user):
        return incident, may_open
    return None, False


def declare_from_alert_action(viewer, alert) -> dict | None:
    """ "Declare an incident" on a listening alert's page (monitoring.hooks), for whoever
    declares: the incidents page, its form filled in from the alert. No query (roles are
    cached on the viewer)."""
    if not may_declare(viewer):
        return None
    url = reverse("crisis:incidents") + f"?alert={alert.pk}#declare-title"
    return {"label": "Declare an incident", "url": url, "method": "get"}


# --- Incidents ------------------------------------------------------------------------


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


# --- The post-incident report ---------------------------------------------------------


@dataclass
class Report:
    incident: Incident
    counts: dict[str, int]
    questions: int
    replies: int
    refused: int
    first_reply_minutes: list[float]
    people: list[tuple[str, dict[str, int]]] = field(default_factory=list)

    @property
    def open_minutes(self) -> float | None:
        end = self.incident.closed_at
        if end is None:
            return None
        return round((end - self.incident.declared_at).total_seconds() / 60, 1)

    @property
    def median_first_reply(self) -> float | None:
        values = self.first_reply_minutes
        return round(statistics.median(values), 1) if values else None

    @property
    def slowest_first_reply(self) -> float | None:
        return round(max(self.first_reply_minutes), 1) if self.first_reply_minutes else None

    @property
    def unanswered(self) -> int:
        return self.questions - len(self.first_reply_minutes)


def incident_report(incident: Incident) -> Report:
    """Counts per kind of entry, response times to the questions on the timeline (from
    received to the first public reply), and who did what. Names and numbers only: no
    customer text, so every reader of the incident may read it. Three queries."""
    entries = list(incident.entries.select_related("actor__profile").order_by("created_at", "id"))
    counts = {label: 0 for _, label in TimelineEntry.Kind.choices}
    people: dict[str, dict[str, int]] = {}
    question_ids = set()
    for entry in entries:
        label = entry.get_kind_display()
        counts[label] += 1
        if entry.kind == TimelineEntry.Kind.QUESTION and entry.question_id:
            question_ids.add(entry.question_id)
        if entry.actor is not None:
            name = entry.actor.profile.display_name
            people.setdefault(name, {})
            people[name][label] = people[name].get(label, 0) + 1
    received = dict(
        CustomerQuestion.objects.filter(pk__in=question_ids).values_list("pk", "received_at")
    )
    first: dict[int, object] = {}
    for question_id, posted_at in (
        PublicReply.objects.filter(question_id__in=question_ids)
        .order_by("posted_at")
        .values_list("question_id", "posted_at")
    ):
        first.setdefault(question_id, posted_at)
    minutes = [
        max((first[q] - received[q]).total_seconds() / 60, 0.0)
        for q in question_ids
        if q in first and q in received
    ]
    return Report(
        incident=incident,
        counts=counts,
        questions=len(question_ids),
        replies=counts[TimelineEntry.Kind.REPLY_SENT.label],
        refused=counts[TimelineEntry.Kind.REPLY_REFUSED.label],
        first_reply_minutes=sorted(minutes),
        people=sorted(people.items()),
    )


def report_rows(report: Report) -> list[tuple[str, str, str]]:
    """The report as (section, item, value) rows: the CSV, and the Markdown's tables."""
    i = report.incident
    rows = [
        ("incident", "title", i.title),
        ("incident", "severity", i.get_severity_display()),
        ("incident", "crisis mode", "yes" if i.crisis_mode else "no"),
        ("incident", "declared at", i.declared_at.isoformat()),
        ("incident", "closed at", i.closed_at.isoformat() if i.closed_at else ""),
        (
            "incident",
            "open (minutes)",
            "" if report.open_minutes is None else str(report.open_minutes),
        ),
        ("response", "questions on the timeline", str(report.questions)),
        ("response", "questions without a public reply", str(report.unanswered)),
        ("response", "median first reply (minutes)", _num(report.median_first_reply)),
        ("response", "slowest first reply (minutes)", _num(report.slowest_first_reply)),
    ]
    rows += [("timeline", label, str(n)) for label, n in report.counts.items()]
    for name, done in report.people:
        rows += [("people", f"{name}: {label}", str(n)) for label, n in sorted(done.items())]
    return rows


def _num(value) -> str:
    return "" if value is None else str(value)


# --- The playbook ---------------------------------------------------------------------


def visible_playbook_versions(user) -> QuerySet[PlaybookVersion]:
    if not may_read_playbook(user):
        return PlaybookVersion.objects.none()
    versions = PlaybookVersion.objects.all()
    if not may_write_playbook(user):
        versions = versions.exclude(status=PlaybookVersion.Status.DRAFT)
    return versions


def get_playbook_version(user, number) -> PlaybookVersion:
    try:
        return visible_playbook_versions(user).get(number=number)
    except (PlaybookVersion.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such playbook version.") from exc


def current_playbook() -> PlaybookVersion | None:
    return PlaybookVersion.objects.filter(status=PlaybookVersion.Status.PUBLISHED).first()


def playbook_acknowledgement(user, version: PlaybookVersion | None):
    if version is None or not _active(user):
        return None
    return PlaybookAcknowledgement.objects.filter(user_id=user.pk, version=version).first()


def playbook_acknowledgements(viewer, version: PlaybookVersion):
    """The crisis team with when each acknowledged `version` (or None)."""
    acked = dict(
        PlaybookAcknowledgement.objects.filter(version=version).values_list(
            "user_id", "acknowledged_at"
        )
    )
    team = {}
    for role in crisis_team(viewer):
        team.setdefault(role.user_id, (role.user, []))[1].append(role.get_role_display())
    return [
        (user, roles, acked.get(user_id))
        for user_id, (user, roles) in sorted(
            team.items(), key=lambda item: item[1][0].profile.display_name
        )
    ]


def diff_playbook(old: PlaybookVersion, new: PlaybookVersion) -> list[DiffLine]:
    return diff_lines(old.body, new.body)


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def holding_statements(version: PlaybookVersion | None) -> list[tuple[str, str]]:
    """(scenario, statement) from the playbook's Markdown: every `###` heading under a
    `## Holding statements` section, with the text below it. Plain text."""
    if version is None:
        return []
    statements: list[tuple[str, list[str]]] = []
    inside = False
    for line in version.body.splitlines():
        heading = _HEADING.match(line)
        if heading:
            level, title = len(heading.group(1)), heading.group(2)
            if level <= 2:
                inside = title.strip().lower().startswith("holding statement")
                continue
            if inside and level == 3:
                statements.append((title, []))
                continue
        if inside and statements:
            statements[-1][1].append(line)
    return [
        (scenario, "\n".join(lines).strip())
        for scenario, lines in statements
        if "\n".join(lines).strip()
    ]


# --- The org chart and the brand activity feed ----------------------------------------


@dataclass
class OrgChart:
    engagement_model: str
    engagement_label: str
    designated_departments: list
    social_team: list
    departments: list  # (department, mentors, representatives)
    accounts: list
    crisis_roles: list  # (label, [users])


def org_chart(viewer) -> OrgChart:
    """Who does what in social (every active employee). A fixed number of queries."""
    if not _active(viewer):
        raise Http404
    from people.models import Department

    settings_row = policies.policy_settings()
    designated = (
        [] if settings_row._state.adding else list(settings_row.designated_departments.all())
    )
    social = list(
        User.objects.filter(is_active=True, groups__name=SOCIAL_TEAM)
        .select_related("profile")
        .order_by("profile__display_name")
        .distinct()
    )
    mentors: dict[int, list] = {}
    for row in policies.mentorships(viewer):
        mentors.setdefault(row.department_id, []).append(row.user)
    reps: dict[int | None, list] = {}
    for cert in policies.representatives(viewer):
        reps.setdefault(cert.user.profile.department_id, []).append(cert.user)
    departments = [
        (d, mentors.get(d.pk, []), reps.get(d.pk, []))
        for d in Department.objects.order_by("name")
        if mentors.get(d.pk) or reps.get(d.pk)
    ]
    roles: dict[str, list] = {label: [] for _, label in CrisisRole.Role.choices}
    for role in crisis_team(viewer).order_by("user__profile__display_name"):
        roles[role.get_role_display()].append(role.user)
    return OrgChart(
        engagement_model=settings_row.engagement_model,
        engagement_label=PolicySettings.Engagement(settings_row.engagement_model).label,
        designated_departments=designated,
        social_team=social,
        departments=departments,
        accounts=list(policies.brand_accounts(viewer)),
        crisis_roles=list(roles.items()),
    )


def brand_activity(viewer) -> QuerySet[BrandActivity]:
    """The brand activity feed, newest first (every active employee). Its text is stored
    redacted: nothing here needs the personal-data rule again."""
    if not _active(viewer):
        return BrandActivity.objects.none()
    return BrandActivity.objects.select_related("account", "department", "actor__profile")


def get_held_reply(viewer, held_id):
    """A held reply the social team decides on; 404 for everyone else and for missing."""
    from .models import HeldReply

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
