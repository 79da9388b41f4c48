"""What the company learns from its questions: insights, tags, the dashboard, the router's
accuracy over time and the figures /metrics reads."""

import datetime as dt
import statistics

from django.db.models import (
    Count,
    F,
    Q,
)
from django.utils import timezone

from people.models import Department

from ..models import (
    CLOCK_RUNNING,
    OPEN_STATUSES,
    CustomerQuestion,
    InsightTag,
    RouterVersion,
    Status,
)
from .questions import visible_questions

ROUTER_VERSIONS_SHOWN = 50


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
        RouterVersion.objects.order_by("-trained_at", "-id").values(
            "id",
            "trained_at",
            "metrics",
            "active",
            "source",
            "n_examples",
            "outcome",
            "reason",
            "holdout",
        )[:ROUTER_VERSIONS_SHOWN]
    )[::-1]
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


def _without_verdict(reason: str) -> str:
    for verdict in ("Activated: ", "Not activated: "):
        if reason.startswith(verdict):
            return reason[len(verdict) :]
    return reason


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
        holdout = v.get("holdout") or {}
        challenger = holdout.get("challenger") or {}
        champion = holdout.get("champion") or {}
        points.append(
            {
                "label": f"v{v['id']}",
                "when": v["trained_at"],
                "trained": trained,
                "live": (row["right"] / row["n"]) if row and row["n"] else None,
                "live_n": row["n"] if row else 0,
                "recent": challenger.get("accuracy"),
                "recent_n": holdout.get("n", 0),
                "recent_active": champion.get("accuracy"),
                "recent_active_version": holdout.get("champion_id"),
                "source": v["source"],
                "n_examples": v.get("n_examples", 0),
                "active": v["active"],
                "outcome": v.get("outcome", ""),
                "reason": v.get("reason", ""),
                # The reason without its verdict ("Not activated: ..."), shown beside it.
                "why": _without_verdict(v.get("reason") or ""),
            }
        )
    return points


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
