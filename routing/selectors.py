"""Every read of customer questions.

Every active employee may read a question's text, department, status and answers: that is
how product and other teams learn what customers say. The customer's personal data is the
exception, decided in ONE place, `can_see_customer`: the social team and the question's
assigned expert see it, nobody else does (admins and department leaders included). Personal
data is not only the `customer_*` columns: the original post's link (`x.com/<handle>/...`)
and its external id point at the customer, and the text itself carries signatures,
@handles, emails, phone and order numbers. `with_customers` attaches what a viewer may see
of each question (`visible_customer`, `visible_text`, `visible_external_url`,
`visible_external_id`), and `question_detail` does the same for the answers, notes, public
replies and reasons; pages, htmx fragments and the API read those attributes only, never the
raw columns. The email digest never names the customer at all (`questions_waiting_for`).
"""

import datetime as dt
import re
import statistics
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    F,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from core.errors import ApplicationError
from people.models import Department, Profile
from people.roles import SOCIAL_TEAM, has_role
from people.selectors import person_named, with_skills

from . import redaction
from .models import (
    CLOCK_RUNNING,
    OPEN_STATUSES,
    PRIORITY_RANK,
    Assignment,
    CustomerQuestion,
    InsightTag,
    KeywordRule,
    Priority,
    RouterVersion,
    Status,
)


@dataclass(frozen=True)
class Customer:
    name: str
    handle: str
    email: str


def is_social_team(user) -> bool:
    return has_role(user, SOCIAL_TEAM)


def can_see_customer(viewer, question: CustomerQuestion) -> bool:
    """The personal-data rule: the social team and the question's assigned expert."""
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    return is_social_team(viewer) or (
        question.assigned_to_id is not None and question.assigned_to_id == viewer.pk
    )


def may_work_on(user, question: CustomerQuestion) -> bool:
    """Who may add notes and insight tags: the social team, the assigned expert, and the
    members of the question's department. One query at most."""
    from people.models import Profile
    from people.roles import is_admin

    if is_social_team(user) or is_admin(user) or question.assigned_to_id == user.pk:
        return True
    return bool(
        question.department_id
        and Profile.objects.filter(user=user, department_id=question.department_id).exists()
    )


def customer_of(viewer, question: CustomerQuestion) -> Customer | None:
    """The customer behind `question` as `viewer` may see them, or None."""
    if not can_see_customer(viewer, question):
        return None
    return Customer(
        name=question.customer_name,
        handle=question.customer_handle,
        email=question.customer_email,
    )


def _known(question: CustomerQuestion) -> tuple[str, ...]:
    return (question.customer_name, question.customer_handle, question.customer_email)


def shown_text(viewer, question: CustomerQuestion, text: str) -> str:
    """`text` (the question's, or an answer, note, reply or reason written about it) as
    `viewer` may read it: whole for those who may see the customer, without the customer
    (redaction.redact) for everyone else."""
    if can_see_customer(viewer, question):
        return text
    return redaction.redact(text, _known(question))


def with_customers(viewer, questions):
    """Attach what `viewer` may see of each question's personal data, for templates and
    serializers: `visible_customer` (a Customer or None), `visible_text` (the text, redacted
    for those who may not see the customer), `visible_external_url` and
    `visible_external_id` (None for them: the original post names its author). No query."""
    for question in questions:
        allowed = can_see_customer(viewer, question)
        question.visible_customer = customer_of(viewer, question) if allowed else None
        question.visible_text = (
            question.text if allowed else redaction.redact(question.text, _known(question))
        )
        question.visible_external_url = question.external_url if allowed else None
        question.visible_external_id = question.external_id if allowed else None
    return questions


# --- Questions --------------------------------------------------------------------------


def visible_questions(viewer) -> QuerySet[CustomerQuestion]:
    """The questions `viewer` may read (their text: see customer_of for the person)."""
    if not viewer.is_authenticated or not viewer.is_active:
        return CustomerQuestion.objects.none()
    return CustomerQuestion.objects.select_related(
        "department", "predicted_department", "assigned_to__profile"
    )


def get_visible_question(viewer, question_id: int) -> CustomerQuestion:
    try:
        return visible_questions(viewer).get(pk=question_id)
    except CustomerQuestion.DoesNotExist as exc:
        raise Http404("No such question.") from exc


def question_detail(viewer, question_id: int) -> CustomerQuestion:
    """One question with its history loaded (a fixed number of queries)."""
    question = get_visible_question(viewer, question_id)
    question.answer_list = list(question.answers.select_related("author__profile"))
    # Internal notes stay with the people working on the question.
    question.may_work = may_work_on(viewer, question)
    question.note_list = (
        list(question.notes.select_related("author__profile")) if question.may_work else []
    )
    question.reply_list = list(question.public_replies.select_related("author__profile"))
    question.reroute_list = list(
        question.reroutes.select_related("from_department", "to_department", "by__profile")
    )
    question.assignment_list = list(
        question.assignments.select_related("expert__profile", "assigned_by__profile")
    )
    question.tag_list = [t.tag for t in question.tags.all()]
    with_customers(viewer, [question])
    allowed = can_see_customer(viewer, question)

    def shown(text: str) -> str:
        return text if allowed else redaction.redact(text, _known(question))

    for entry in (*question.answer_list, *question.note_list, *question.reply_list):
        entry.visible_text = shown(entry.text)
    for reply in question.reply_list:
        # The brand's reply sits in the customer's thread: its link leads to them.
        reply.visible_url = reply.url if allowed else None
    for item in (*question.reroute_list, *question.assignment_list):
        item.visible_reason = shown(item.reason)
    question.timeline = _timeline(question)
    return question


def _name(user) -> str:
    return user.profile.display_name if user is not None else "someone who left"


def _router_choice(q: CustomerQuestion) -> str:
    """A router with sentence embeddings decides on its confidence that the question belongs
    to some department; the department's own share of it is the ranking's (classifier.py)."""
    share = q.ranking[0][1] if q.ranking else q.confidence
    text = f"The router chose {q.predicted_department} ({share:.0%})"
    if abs(share - q.confidence) >= 0.005:
        text += f", {q.confidence:.0%} sure it is a question for a department"
    return text


def _timeline(q: CustomerQuestion) -> list[tuple]:
    """What happened to the question, oldest first: (when, text). Built from the history
    question_detail loaded; no query. At the same instant an ending comes before the next
    start (a decline before the next assignment)."""
    events = [(q.received_at, 0, f"Received on {q.get_channel_display()}")]
    decided = min([q.created_at, *(a.assigned_at for a in q.assignment_list)])
    if q.routed_by == CustomerQuestion.RoutedBy.RULE and not q.reroute_list and q.department:
        events.append((decided, 1, f"A keyword rule chose {q.department}"))
    elif q.predicted_department and q.confidence is not None:
        events.append((decided, 1, _router_choice(q)))
    for a in q.assignment_list:
        by = _name(a.assigned_by) if a.assigned_by_id else "the router"
        events.append((a.assigned_at, 3, f"Assigned to {_name(a.expert)} by {by}"))
        if a.ended == Assignment.Ended.DECLINED:
            events.append((a.ended_at, 2, f"{_name(a.expert)} declined: “{a.visible_reason}”"))
    for r in q.reroute_list:
        source = f" from {r.from_department}" if r.from_department else ""
        text = f"Rerouted{source} to {r.to_department} by {_name(r.by)}: “{r.visible_reason}”"
        events.append((r.created_at, 2, text))
    for a in q.answer_list:
        events.append((a.created_at, 4, f"Answered by {_name(a.author)}"))
    for r in q.reply_list:
        events.append((r.posted_at, 5, f"Public reply by {_name(r.author)}"))
    if q.closed_at:
        events.append((q.closed_at, 6, "Marked as spam" if q.status == Status.SPAM else "Closed"))
    return [(when, text) for when, _, text in sorted(events, key=lambda e: (e[0], e[1]))]


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


def department_ids_by_slug(slugs) -> dict[str, Department]:
    return {d.slug: d for d in Department.objects.filter(slug__in=list(slugs))}


def with_rankings(questions: list[CustomerQuestion]) -> list[CustomerQuestion]:
    """Attach `ranked` [(Department or slug, percent)] for the triage view (one query)."""
    slugs = {slug for q in questions for slug, _ in (q.ranking or [])}
    departments = department_ids_by_slug(slugs)
    for q in questions:
        q.ranked = [
            (departments.get(slug, slug), round(conf * 100)) for slug, conf in (q.ranking or [])
        ]
    return questions


def insights(viewer, *, department: Department | None, tag: str = ""):
    """Tagged questions (product feedback, bugs, feature requests, complaints), newest
    first, for one department or all."""
    questions = visible_questions(viewer).filter(tags__isnull=False).distinct()
    if department is not None:
        questions = questions.filter(department=department)
    if tag:
        questions = questions.filter(tags__tag=tag)
    return questions


def with_tags(questions: list[CustomerQuestion]) -> list[CustomerQuestion]:
    """Attach `tag_list` to a page of questions in one query."""
    tags: dict[int, list[str]] = {q.pk: [] for q in questions}
    for question_id, tag in InsightTag.objects.filter(question_id__in=tags).values_list(
        "question_id", "tag"
    ):
        tags[question_id].append(tag)
    for q in questions:
        q.tag_list = sorted(tags[q.pk])
    return questions


def insight_counts(department: Department | None) -> dict[str, int]:
    rows = InsightTag.objects.all()
    if department is not None:
        rows = rows.filter(question__department=department)
    counts = dict(rows.values_list("tag").annotate(n=Count("id")).values_list("tag", "n"))
    return {tag: counts.get(tag, 0) for tag in InsightTag.Tag.values}


# --- The dashboard ----------------------------------------------------------------------


def dashboard(*, now=None, days: int = 30) -> dict:
    """The figures of the dashboard over the last `days` days. A handful of queries, each
    an aggregate: the page does not grow with the number of questions."""
    now = now or timezone.now()
    since = now - timezone.timedelta(days=days)
    open_rows = (
        CustomerQuestion.objects.filter(status__in=OPEN_STATUSES)
        .values_list("department__name", "status")
        .annotate(n=Count("id"))
        .order_by("department__name", "status")
    )
    open_by_department: dict[str, dict[str, int]] = {}
    for name, status, n in open_rows:
        open_by_department.setdefault(name or "Triage", {})[status] = n

    recent = CustomerQuestion.objects.filter(received_at__gte=since)
    answered = list(
        recent.filter(first_answer_at__isnull=False).values_list(
            "received_at", "first_answer_at", "sla_due_at", "department__name"
        )
    )
    waits = [(a - r).total_seconds() / 3600 for r, a, _, _ in answered]
    with_due = [(a, d) for _, a, d, _ in answered if d is not None]
    per_department: dict[str, dict] = {}
    for received, first, due, name in answered:
        row = per_department.setdefault(name or "Triage", {"waits": [], "met": 0, "due": 0})
        row["waits"].append((first - received).total_seconds() / 3600)
        if due is not None:
            row["due"] += 1
            row["met"] += first <= due
    overdue_rows = dict(
        recent.filter(status__in=CLOCK_RUNNING, sla_due_at__isnull=False, sla_due_at__lt=now)
        .values_list("department__name")
        .annotate(n=Count("id"))
        .order_by()
    )
    overdue_open = sum(overdue_rows.values())
    for name, n in overdue_rows.items():  # still unanswered past the deadline: missed
        row = per_department.setdefault(name or "Triage", {"waits": [], "met": 0, "due": 0})
        row["due"] += n
    met = sum(1 for a, d in with_due if a <= d)
    measured = len(with_due) + overdue_open
    totals = recent.aggregate(
        total=Count("id"), rerouted=Count("id", filter=Q(reroutes__isnull=False), distinct=True)
    )
    versions = list(
        RouterVersion.objects.order_by("trained_at", "id").values(
            "id", "trained_at", "metrics", "active", "source"
        )[:50]
    )
    return {
        "days": days,
        "open_by_department": open_by_department,
        "median_hours_to_answer": statistics.median(waits) if waits else None,
        "answered_count": len(waits),
        "sla_met": met,
        "sla_measured": measured,
        "sla_compliance": (met / measured) if measured else None,
        "received": totals["total"],
        "rerouted": totals["rerouted"],
        "reroute_rate": (totals["rerouted"] / totals["total"]) if totals["total"] else None,
        "router_versions": versions,
        "by_department": {
            name: {
                "median_hours": statistics.median(row["waits"]) if row["waits"] else None,
                "answered": len(row["waits"]),
                "sla_compliance": (row["met"] / row["due"]) if row["due"] else None,
            }
            for name, row in sorted(per_department.items())
        },
    }


# --- The digest -------------------------------------------------------------------------

DIGEST_LIMIT = 20
# Waiting for an expert of its department (the inbox's "waiting" view).
WAITING_STATUSES = (Status.TRIAGED, Status.REROUTED, Status.ESCALATED)


@dataclass(frozen=True)
class WaitingQuestion:
    """What the email digest may say about a question: never the customer (the digest is
    one email for every reader, so it follows the strictest rule), nor the text, which
    customers fill with their own names and addresses."""

    pk: int
    department: str
    priority: str
    status: str
    sla_due_at: dt.datetime | None
    yours: bool

    def __str__(self) -> str:
        whose = "assigned to you" if self.yours else f"waiting in {self.department}"
        due = (
            f", due {self.sla_due_at.astimezone(dt.UTC):%a %d %b %H:%M} UTC"
            if self.sla_due_at
            else ""
        )
        return f"Question {self.pk} ({self.priority} priority, {self.status}, {whose}{due})"

    def get_absolute_url(self) -> str:
        return reverse("routing:question", args=[self.pk])


def questions_waiting_for(user_ids) -> dict[int, list[WaitingQuestion]]:
    """For the notifications digest: per user, the open questions assigned to them and, for
    department leaders (leader or owner of the department's group), the questions waiting
    for an expert in their departments; most urgent deadline first, at most DIGEST_LIMIT
    each. Two queries for any number of users; inactive people get nothing."""
    from groups.models import Group, Membership

    user_ids = list(user_ids)
    if not user_ids:
        return {}
    leaders_of: dict[int, set[int]] = {}
    for user_id, department_id in Membership.objects.filter(
        user_id__in=user_ids,
        user__is_active=True,
        group__kind=Group.Kind.DEPARTMENT,
        group__department__isnull=False,
        role__in=(Membership.Role.LEADER, Membership.Role.OWNER),
    ).values_list("user_id", "group__department_id"):
        leaders_of.setdefault(department_id, set()).add(user_id)
    assigned = Q(status__in=OPEN_STATUSES, assigned_to_id__in=user_ids, assigned_to__is_active=True)
    waiting = Q(
        status__in=WAITING_STATUSES, assigned_to__isnull=True, department_id__in=list(leaders_of)
    )
    rows = (
        CustomerQuestion.objects.filter(assigned | waiting if leaders_of else assigned)
        .order_by(F("sla_due_at").asc(nulls_last=True), "id")
        # Plain values: the customer's columns are never read.
        .values(
            "id", "priority", "status", "sla_due_at", "assigned_to_id", "department_id",
            "department__name",
        )
    )  # fmt: skip
    result: dict[int, list[WaitingQuestion]] = {}
    for row in rows:
        if row["assigned_to_id"] is not None:
            readers = {row["assigned_to_id"]}
        else:
            readers = leaders_of.get(row["department_id"], set())
        for user_id in readers:
            mine = result.setdefault(user_id, [])
            if len(mine) < DIGEST_LIMIT:
                mine.append(
                    WaitingQuestion(
                        pk=row["id"],
                        department=row["department__name"] or "Triage",
                        priority=Priority(row["priority"]).label.lower(),
                        status=Status(row["status"]).label.lower(),
                        sla_due_at=row["sla_due_at"],
                        yours=row["assigned_to_id"] == user_id,
                    )
                )
    return result


def is_leader(user) -> bool:
    """Leads (or owns) a department's group."""
    from groups.models import Group, Membership

    return Membership.objects.filter(
        user=user,
        group__kind=Group.Kind.DEPARTMENT,
        role__in=(Membership.Role.LEADER, Membership.Role.OWNER),
    ).exists()


def accuracy_over_time(figures: dict) -> list[dict]:
    """Per router version, oldest first: the cross-validated accuracy from training and the
    live accuracy (questions it routed whose final department is known: was it right?)."""
    versions = figures["router_versions"]
    live = {
        row["router_version"]: row
        for row in CustomerQuestion.objects.filter(
            router_version_id__in=[v["id"] for v in versions],
            first_answer_at__isnull=False,
            department__isnull=False,
        )
        .values("router_version")
        .annotate(
            n=Count("id"),
            right=Count("id", filter=Q(predicted_department=F("department"))),
        )
        .order_by()
    }
    points = []
    for v in versions:
        row = live.get(v["id"])
        metrics = v["metrics"] or {}
        trained = metrics.get("cv_in_scope_accuracy", metrics.get("in_scope_accuracy"))
        points.append(
            {
                "label": f"v{v['id']}",
                "when": v["trained_at"],
                "trained": trained,
                "live": (row["right"] / row["n"]) if row and row["n"] else None,
                "live_n": row["n"] if row else 0,
            }
        )
    return points


# --- The department queue ---------------------------------------------------------------


def led_departments(user) -> list[Department]:
    """The departments whose group `user` leads or owns, by name (one query)."""
    from groups.models import Group, Membership

    if not user.is_authenticated or not user.is_active:
        return []
    return list(
        Department.objects.filter(
            group__kind=Group.Kind.DEPARTMENT,
            group__memberships__user=user,
            group__memberships__role__in=(Membership.Role.LEADER, Membership.Role.OWNER),
        )
        .distinct()
        .order_by("name")
    )


def queue_departments(viewer) -> list[Department]:
    """The departments whose queue `viewer` may open: every one for the social team, the
    ones they lead for leaders, none for anyone else (one query)."""
    if is_social_team(viewer):
        return list(Department.objects.order_by("name"))
    return led_departments(viewer)


def leads_department(user, department_id: int | None) -> bool:
    """Leads (or owns) the group of this department (one query)."""
    from groups.models import Group, Membership

    return (
        bool(department_id)
        and Membership.objects.filter(
            user=user,
            user__is_active=True,
            group__kind=Group.Kind.DEPARTMENT,
            group__department_id=department_id,
            role__in=(Membership.Role.LEADER, Membership.Role.OWNER),
        ).exists()
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


# --- Reads the services decide with ------------------------------------------------------


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


# --- The people picker for assignment ---------------------------------------------------


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


def find_assignee(name_or_username: str):
    """The active account a picker (or a typed box) names: people.selectors.person_named."""
    return person_named(name_or_username)


# --- The customer's thread --------------------------------------------------------------

THREAD_LIMIT = 50


def customer_thread(viewer, question: CustomerQuestion) -> list[CustomerQuestion]:
    """The customer's other messages on the same channel, oldest first: a channel delivers
    each message as its own question (intake is idempotent per message id), and the
    messages of one customer (same handle, or same email when there is no handle) on one
    channel are one conversation. Only for those who may see this question's customer
    (knowing which questions share a customer is personal data too); each message is then
    shown by the same rule as any question (with_customers). One query, or none."""
    if not can_see_customer(viewer, question):
        return []
    if question.customer_handle:
        same = Q(customer_handle=question.customer_handle)
    elif question.customer_email:
        same = Q(customer_email=question.customer_email)
    else:
        return []
    others = list(
        visible_questions(viewer)
        .filter(same, channel=question.channel)
        .exclude(pk=question.pk)
        .order_by("received_at", "id")[:THREAD_LIMIT]
    )
    return with_customers(viewer, others)


def service_figures(*, now: dt.datetime) -> tuple[dict[str, int], int]:
    """({status: number of questions}, questions past their SLA deadline with the clock
    still running), for /metrics: counts only, one query."""
    rows = CustomerQuestion.objects.values("status").annotate(
        n=Count("id"), overdue=Count("id", filter=Q(status__in=CLOCK_RUNNING, sla_due_at__lt=now))
    )
    by_status = dict.fromkeys(Status.values, 0)
    overdue = 0
    for row in rows.order_by():
        by_status[row["status"]] = row["n"]
        overdue += row["overdue"]
    return by_status, overdue
