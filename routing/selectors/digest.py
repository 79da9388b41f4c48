"""Questions waiting for each person, for the email digest (never naming the customer)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    F,
    Q,
)
from django.urls import reverse

from ..models import (
    OPEN_STATUSES,
    CustomerQuestion,
    Priority,
    Status,
)

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
