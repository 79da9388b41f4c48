"""What every routing service shares: refusals, the locked row, status moves, text checks,
and who the social team and a department's leaders are."""

import logging

from django.contrib.auth import get_user_model

from core.errors import ApplicationError
from people.models import Department
from people.roles import SOCIAL_TEAM

from .. import selectors
from ..models import (
    CustomerQuestion,
    Status,
)

log = logging.getLogger(__name__)
User = get_user_model()

MAX_TEXT = 10_000
MAX_REASON = 500


def _refuse(message: str) -> ApplicationError:
    return ApplicationError(message, status=403)


def _locked(question: CustomerQuestion) -> CustomerQuestion:
    """The question's row, locked until the caller's transaction ends."""
    return CustomerQuestion.objects.select_for_update().get(pk=question.pk)


def _move(question: CustomerQuestion, status: str) -> None:
    if not question.can_move_to(status):
        raise ApplicationError(
            f"A question that is {question.get_status_display().lower()} cannot become "
            f"{Status(status).label.lower()}.",
            field="status",
            status=409,
        )
    question.status = status


def _text(value, *, field: str, limit: int, required: bool = True) -> str:
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        raise ApplicationError("This cannot be empty.", field=field)
    if len(value) > limit:
        raise ApplicationError(f"Keep this under {limit:,} characters.", field=field)
    return value


def _reason(value) -> str:
    return _text(value, field="reason", limit=MAX_REASON)


def _social_users():
    return User.objects.filter(groups__name=SOCIAL_TEAM, is_active=True).distinct()


def _leaders_of(department: Department):
    from groups.models import Group, Membership

    return User.objects.filter(
        is_active=True,
        memberships__group__kind=Group.Kind.DEPARTMENT,
        memberships__group__department=department,
        memberships__role__in=(Membership.Role.LEADER, Membership.Role.OWNER),
    ).distinct()


def _require_social_team(actor) -> None:
    if not selectors.is_social_team(actor):
        raise _refuse("Only the social media team can do that.")
