"""Who may do what with customer questions, and the one rule for the customer's personal
data (`can_see_customer`, `with_customers`): see the package docstring."""

from dataclasses import dataclass

from people.models import Department, Profile
from people.roles import SOCIAL_TEAM, has_role

from .. import redaction
from ..models import (
    CustomerQuestion,
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


def is_leader(user) -> bool:
    """Leads (or owns) a department's group."""
    from groups.models import Group, Membership

    return Membership.objects.filter(
        user=user,
        group__kind=Group.Kind.DEPARTMENT,
        role__in=(Membership.Role.LEADER, Membership.Role.OWNER),
    ).exists()


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
