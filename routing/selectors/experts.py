"""Experts and their loads, and the reads assignment decides with: the keyword rule that
matches, the expert to pick, the people picker's candidates."""

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Count,
    Max,
    Q,
)
from django.utils import timezone

from people.models import Department, Profile
from people.selectors import with_skills

from ..models import (
    CLOCK_RUNNING,
    OPEN_STATUSES,
    Assignment,
    CustomerQuestion,
    KeywordRule,
    Status,
)
from .digest import WAITING_STATUSES


@dataclass(frozen=True)
class ExpertLoad:
    """An expert of the department as the queue's header shows them."""

    user_id: int
    username: str
    name: str
    load: int
    capacity: int
    at_work: bool
    out_of_office: bool

    @property
    def full(self) -> bool:
        return self.load >= self.capacity

    @property
    def state(self) -> str:
        if self.out_of_office:
            return "out of office"
        return "at work" if self.at_work else "off hours"


def expert_loads(user_ids) -> dict[int, int]:
    """{user id: open questions they hold (assigned or escalated)}, the load counted against
    ROUTING_EXPERT_CAPACITY; people holding none are absent (one grouped query)."""
    return dict(
        CustomerQuestion.objects.filter(
            assigned_to_id__in=list(user_ids), status__in=(Status.ASSIGNED, Status.ESCALATED)
        )
        .order_by()
        .values_list("assigned_to_id")
        .annotate(n=Count("id"))
    )


def department_experts(department: Department, *, now: dt.datetime) -> list[ExpertLoad]:
    """The department's active experts with their open questions (the load pick_expert
    counts) against ROUTING_EXPERT_CAPACITY, at work first, then least loaded. Two
    queries: the people, and their loads grouped."""
    from django.conf import settings

    from people.models import Profile

    profiles = list(
        Profile.objects.filter(department=department, user__is_active=True).select_related("user")
    )
    loads = expert_loads([p.user_id for p in profiles])
    capacity = settings.ROUTING_EXPERT_CAPACITY
    experts = [
        ExpertLoad(
            user_id=p.user_id,
            username=p.user.username,
            name=p.display_name,
            load=loads.get(p.user_id, 0),
            capacity=capacity,
            at_work=p.is_working_at(now),
            out_of_office=p.is_out_of_office(timezone.localdate(now)),
        )
        for p in profiles
    ]
    return sorted(experts, key=lambda e: (not e.at_work, e.load, e.name.casefold()))


def department_queue_figures(department: Department, *, now: dt.datetime) -> dict[str, int]:
    """The queue's header: open, waiting for an expert, overdue, escalated (one query)."""
    return CustomerQuestion.objects.filter(
        department=department, status__in=OPEN_STATUSES
    ).aggregate(
        open=Count("id"),
        waiting=Count("id", filter=Q(status__in=WAITING_STATUSES, assigned_to__isnull=True)),
        overdue=Count("id", filter=Q(status__in=CLOCK_RUNNING, sla_due_at__lt=now)),
        escalated=Count("id", filter=Q(status=Status.ESCALATED)),
    )


def matching_keyword_rule(text: str) -> KeywordRule | None:
    """The first active keyword rule whose keyword is a whole word of `text` (any case)."""
    lowered = text.casefold()
    for rule in KeywordRule.objects.filter(active=True).select_related("department"):
        keyword = rule.keyword.casefold().strip()
        if keyword and re.search(rf"(?<!\w){re.escape(keyword)}(?!\w)", lowered):
            return rule
    return None


def pick_expert(
    *, department: Department, text: str, now: dt.datetime, exclude=()
) -> "User | None":  # noqa: F821 (the user model)
    """The expert of `department` who should take a question now, or None.

    Eligible: active, in the department, at work (working hours and days in their own time
    zone, not out of office), fewer open questions than ROUTING_EXPERT_CAPACITY. Among
    them: most of their skills named in the text, then least loaded, then least recently
    assigned (fairness between equals). One query when nobody is at work, four otherwise
    (people, loads, last assignments, skills), each one grouped query for the department.
    """
    profiles = [
        p
        for p in Profile.objects.filter(department=department, user__is_active=True)
        .exclude(user_id__in=list(exclude))
        .select_related("user")
        if p.is_working_at(now)
    ]
    if not profiles:
        return None
    ids = [p.user_id for p in profiles]
    loads = expert_loads(ids)
    last = dict(
        Assignment.objects.filter(expert_id__in=ids)
        .order_by()
        .values_list("expert_id")
        .annotate(at=Max("assigned_at"))
    )
    capacity = settings.ROUTING_EXPERT_CAPACITY
    available = [p for p in profiles if loads.get(p.user_id, 0) < capacity]
    if not available:
        return None
    with_skills(available)
    words = text.casefold()
    never = dt.datetime.min.replace(tzinfo=dt.UTC)

    def skill_match(profile: Profile) -> int:
        return sum(
            1
            for tag in profile.skill_tags
            if re.search(rf"(?<!\w){re.escape(tag.name.casefold())}(?!\w)", words)
        )

    best = min(
        available,
        key=lambda p: (
            -skill_match(p),
            loads.get(p.user_id, 0),
            last.get(p.user_id) or never,
            p.pk,
        ),
    )
    return best.user


@dataclass(frozen=True)
class Candidate:
    """Someone a question may be given to, as the assignment picker shows them."""

    username: str
    name: str
    title: str
    department: str
    load: int
    capacity: int
    state: str  # "at work", "out of office" or "off hours"

    @property
    def full(self) -> bool:
        return self.load >= self.capacity


def assignment_candidates(
    viewer, prefix: str, *, department: Department | None = None, now: dt.datetime, limit=8
) -> list[Candidate]:
    """Active people whose name or username starts with `prefix` (any word of the name for
    names of several words), with their open load and availability, at work first. Narrowed
    to `department` when given (a leader assigns within the department they lead). Two
    queries: the people, and their loads grouped."""
    prefix = " ".join(prefix.split())[:60]
    if not prefix:
        return []
    people = Profile.objects.filter(user__is_active=True).select_related("user", "department")
    if department is not None:
        people = people.filter(department=department)
    people = list(
        people.filter(
            Q(display_name__istartswith=prefix)
            | Q(display_name__icontains=f" {prefix}")
            | Q(user__username__istartswith=prefix)
        ).order_by("display_name", "id")[:limit]
    )
    loads = expert_loads([p.user_id for p in people])
    capacity = settings.ROUTING_EXPERT_CAPACITY
    today = timezone.localdate(now)
    found = []
    for p in people:
        if p.is_out_of_office(today):
            state = "out of office"
        else:
            state = "at work" if p.is_working_at(now) else "off hours"
        found.append(
            Candidate(
                username=p.user.username,
                name=p.display_name,
                title=p.title,
                department=p.department.name if p.department else "",
                load=loads.get(p.user_id, 0),
                capacity=capacity,
                state=state,
            )
        )
    return sorted(found, key=lambda c: (c.state != "at work", c.name.casefold()))
