"""What every routing page shares: the section check, the social team check, a page of a list."""

import datetime as dt

from django.core.exceptions import BadRequest, PermissionDenied

from core.pagination import InvalidCursor, paginate_keyset

from .. import selectors


def _section(request) -> None:
    request.active_section = "questions"


def _require_social_team(request) -> None:
    if not selectors.is_social_team(request.user):
        raise PermissionDenied("Only the social media team can see this page.")


def _page(queryset, cursor: str, size: int):
    try:
        return paginate_keyset(
            queryset,
            ordering=("-received_at", "-id"),
            types=(dt.datetime, int),
            cursor=cursor or None,
            size=size,
        )
    except InvalidCursor as exc:
        raise BadRequest(str(exc)) from exc
