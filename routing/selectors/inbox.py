"""The social team's inbox and the department queue: views, filters, deadline order, counts,
and where a leader lands."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.errors import ApplicationError
from people.models import Department

from ..models import (
    CLOCK_RUNNING,
    OPEN_STATUSES,
    PRIORITY_RANK,
    CustomerQuestion,
    Status,
)
from .access import is_leader, is_social_team
from .questions import visible_questions

INBOX_VIEWS = ("mine", "open", "triage", "waiting", "answered", "closed")


def inbox_view_for(viewer, requested: str | None) -> str:
    """The inbox view `viewer` opens: `requested`, or their default when none is asked for.

    The one rule for every surface (page, fragment, API): an unknown view is a 400 naming
    `view`; a view of the social team's asked by someone else is a 403 (the view names are
    public, so refusing says nothing about any question).
    """
    social = is_social_team(viewer)
    view = requested or ("open" if social else "mine")
    if view not in INBOX_VIEWS:
        raise ApplicationError(f"Choose one of: {', '.join(INBOX_VIEWS)}.", field="view")
    if view != "mine" and not social:
        raise ApplicationError("Only the social media team sees this view.", status=403)
    return view


@dataclass(frozen=True)
class InboxFilters:
    """What the inbox is narrowed to (every field optional). `department` "none" means
    "no department yet" (triage); `q` matches the text, the customer's name, handle and email
    and the question number. Searching the customer's fields is safe here because every view
    of the inbox lists only questions whose customer the viewer may see (the social team's
    views, and "mine": the questions assigned to the viewer)."""

    channel: str = ""
    priority: str = ""
    department: str = ""
    status: str = ""
    tag: str = ""
    q: str = ""

    @property
    def active(self) -> bool:
        return any((self.channel, self.priority, self.department, self.status, self.tag, self.q))

    def as_query(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v}


def _filtered(questions: QuerySet, filters: InboxFilters | None) -> QuerySet:
    if filters is None:
        return questions
    if filters.channel:
        questions = questions.filter(channel=filters.channel)
    if filters.priority:
        questions = questions.filter(priority=filters.priority)
    if filters.department == "none":
        questions = questions.filter(department__isnull=True)
    elif filters.department:
        questions = questions.filter(department__slug=filters.department)
    if filters.status:
        questions = questions.filter(status=filters.status)
    if filters.tag:
        questions = questions.filter(tags__tag=filters.tag)
    if filters.q:
        words = filters.q
        match = (
            Q(text__icontains=words)
            | Q(customer_name__icontains=words)
            | Q(customer_handle__icontains=words)
            | Q(customer_email__icontains=words)
        )
        if words.lstrip("#").isdigit():
            match |= Q(pk=int(words.lstrip("#")))
        questions = questions.filter(match)
    return questions


# A deadline later than any real one, for questions whose clock does not run (answered,
# closed, or never given an SLA): they sort after every running clock.
NO_DEADLINE = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)


# The queue order of the inbox: the nearest deadline first, so overdue questions lead;
# questions without a running clock after them, oldest first. "Done" is newest first.
INBOX_ORDER = ("due", "received_at", "id")


INBOX_TYPES = (dt.datetime, dt.datetime, int)


DONE_ORDER = ("-received_at", "-id")


DONE_TYPES = (dt.datetime, int)


def inbox_order(view: str) -> tuple[tuple[str, ...], tuple[type, ...]]:
    """(ordering, cursor types) of an inbox view, for paginate_keyset."""
    return (DONE_ORDER, DONE_TYPES) if view == "closed" else (INBOX_ORDER, INBOX_TYPES)


def inbox(viewer, view: str, filters: InboxFilters | None = None) -> QuerySet[CustomerQuestion]:
    """A view of the inbox: "mine" for everyone; the others for the social team, narrowed
    by `filters`. Each row carries `due` (the SLA deadline while the clock runs,
    NO_DEADLINE otherwise): order by inbox_order(view).
    """
    questions = _filtered(visible_questions(viewer), filters).annotate(
        due=Coalesce(
            Case(
                When(status__in=CLOCK_RUNNING, sla_due_at__isnull=False, then=F("sla_due_at")),
                default=None,
                output_field=DateTimeField(),
            ),
            Value(NO_DEADLINE, output_field=DateTimeField()),
        )
    )
    if filters is not None and filters.tag:
        questions = questions.distinct()
    if view == "mine":
        return questions.filter(assigned_to=viewer, status__in=OPEN_STATUSES)
    if not is_social_team(viewer):
        return questions.none()
    if view == "open":
        return questions.filter(status__in=OPEN_STATUSES)
    if view == "triage":
        return questions.filter(
            status__in=(Status.NEW, Status.TRIAGED, Status.REROUTED), department__isnull=True
        )
    if view == "waiting":
        return questions.filter(
            status__in=(Status.TRIAGED, Status.REROUTED, Status.ESCALATED),
            department__isnull=False,
            assigned_to__isnull=True,
        )
    if view == "answered":
        return questions.filter(status=Status.ANSWERED)
    if view == "closed":
        return questions.filter(status__in=(Status.REPLIED, Status.CLOSED, Status.SPAM))
    return questions.none()


def inbox_counts(
    viewer, filters: InboxFilters | None = None, *, leader: bool | None = None
) -> dict[str, int]:
    """How many questions each inbox view holds (narrowed by `filters`), in one query. For a
    department leader (`leader`, asked when None: one more query) also `queue`, the open
    questions of the departments they lead, and `late`, those overdue or escalated (whatever
    the filters: the department queue tab has none), in the same query."""
    base = _filtered(visible_questions(viewer), filters)
    if filters is not None and filters.tag:
        base = CustomerQuestion.objects.filter(pk__in=base.values("pk"))
    mine = Q(assigned_to=viewer, status__in=OPEN_STATUSES)
    if not is_social_team(viewer):
        if leader is None:
            leader = is_leader(viewer)
        if not leader:
            return {"mine": base.filter(mine).count()}
        queue, late = _led_queue_conditions(viewer)
        mine_ids = Q(pk__in=base.filter(mine).values("pk"))
        return CustomerQuestion.objects.filter(mine_ids | queue).aggregate(
            mine=Count("id", filter=mine_ids),
            queue=Count("id", filter=queue),
            late=Count("id", filter=queue & late),
        )
    return base.aggregate(
        mine=Count("id", filter=mine),
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        triage=Count(
            "id",
            filter=Q(
                status__in=(Status.NEW, Status.TRIAGED, Status.REROUTED), department__isnull=True
            ),
        ),
        waiting=Count(
            "id",
            filter=Q(
                status__in=(Status.TRIAGED, Status.REROUTED, Status.ESCALATED),
                department__isnull=False,
                assigned_to__isnull=True,
            ),
        ),
        answered=Count("id", filter=Q(status=Status.ANSWERED)),
    )


def department_queue(
    viewer, department: Department, *, now: dt.datetime
) -> QuerySet[CustomerQuestion]:
    """The department's open questions, most urgent first: escalated or past the SLA
    deadline, then by priority, then oldest. Each row carries `urgent` (0 or 1) and `rank`
    (PRIORITY_RANK), the keys of the order, so a page can continue after the last row.

    The leaders' view: who sees the customer on it is still customer_of (with_customers).
    """
    late = Q(status=Status.ESCALATED) | Q(status__in=CLOCK_RUNNING, sla_due_at__lt=now)
    return (
        visible_questions(viewer)
        .filter(department=department, status__in=OPEN_STATUSES)
        .annotate(
            urgent=Case(When(late, then=Value(0)), default=Value(1), output_field=IntegerField()),
            rank=Case(
                *(When(priority=p, then=Value(r)) for p, r in PRIORITY_RANK.items()),
                default=Value(len(PRIORITY_RANK)),
                output_field=IntegerField(),
            ),
        )
    )


QUEUE_ORDER = ("urgent", "rank", "received_at", "id")


QUEUE_TYPES = (int, int, dt.datetime, int)


def _led_queue_conditions(viewer, *, now: dt.datetime | None = None) -> tuple[Q, Q]:
    """(open in a department `viewer` leads, overdue or escalated) as conditions."""
    from groups.models import Group, Membership

    now = now or timezone.now()
    led = Membership.objects.filter(
        user=viewer,
        group__kind=Group.Kind.DEPARTMENT,
        role__in=(Membership.Role.LEADER, Membership.Role.OWNER),
    ).values("group__department_id")
    late = Q(status=Status.ESCALATED) | Q(status__in=CLOCK_RUNNING, sla_due_at__lt=now)
    return Q(department_id__in=led, status__in=OPEN_STATUSES), late


def landing_department(viewer, departments: list[Department], *, now: dt.datetime):
    """The department queue a leader should land on: the one with the most overdue or
    escalated questions, else the one with the most open questions; None when all of
    them are empty (one query)."""
    if not departments:
        return None
    late = Q(status=Status.ESCALATED) | Q(status__in=CLOCK_RUNNING, sla_due_at__lt=now)
    rows = {
        row["department_id"]: row
        for row in CustomerQuestion.objects.filter(
            department__in=departments, status__in=OPEN_STATUSES
        )
        .values("department_id")
        .annotate(n=Count("id"), late=Count("id", filter=late))
        .order_by()
    }
    if not rows:
        return None
    return max(
        (d for d in departments if d.pk in rows),
        key=lambda d: (rows[d.pk]["late"], rows[d.pk]["n"]),
    )
