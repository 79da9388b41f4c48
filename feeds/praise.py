"""Praise: thanking colleagues for something, with a badge, as a post in a group."""

import re

from django.contrib.auth import get_user_model

from core.errors import ApplicationError
from groups import selectors as groups
from groups.models import Group
from notifications.services import display_name

from . import services
from .models import MAX_POST_LENGTH, Badge, Post

User = get_user_model()

MAX_PRAISED = 20


def praised_people(text: str, *, actor) -> list:
    """The active people `text` names (@usernames, or usernames separated by spaces or
    commas), in the order written; ApplicationError naming `people` otherwise."""
    if not isinstance(text, str):
        raise ApplicationError("Name the people you praise (@name).", field="people")
    parts = (part.strip().lstrip("@").rstrip(".") for part in re.split(r"[\s,;]+", text))
    names = list(dict.fromkeys(part[:150] for part in parts if part))
    if not names:
        raise ApplicationError("Name the people you praise (@name).", field="people")
    if len(names) > MAX_PRAISED:
        raise ApplicationError(f"Praise at most {MAX_PRAISED} people at once.", field="people")
    found = {
        u.username: u
        for u in User.objects.filter(username__in=names, is_active=True).select_related("profile")
    }
    missing = [n for n in names if n not in found]
    if missing:
        raise ApplicationError(
            f"Nobody active is called @{missing[0][:60]}: choose people from the list.",
            field="people",
        )
    people = [found[n] for n in names]
    if any(p.pk == actor.pk for p in people):
        raise ApplicationError("Praise colleagues, not yourself.", field="people")
    return people


def give_praise(*, actor, group: Group, people: list, badge: str, body: str) -> Post:
    """A praise post in `group` thanking `people` (active accounts) with `badge`.

    Everyone praised must be able to read `group`, or they would be told of praise they
    cannot open: praise them where they are. Each is notified (kind "praise")."""
    if badge not in Badge.values:
        raise ApplicationError("Choose one of the badges.", field="badge")
    membership = services.check_can_start_post(actor, group, Post.Kind.UPDATE)
    body = services.clean_body(body, limit=MAX_POST_LENGTH)
    if not people:
        raise ApplicationError("Name the people you praise (@name).", field="people")
    readers = {u.pk for u in groups.readers_of(group, people)}
    outside = [p for p in people if p.pk not in readers]
    if outside:
        name = display_name(outside[0])
        raise ApplicationError(
            f"{name} cannot read {group.name}: praise them in a group they are in.",
            field="people",
        )
    return services.publish_post(
        actor=actor,
        group=group,
        membership=membership,
        kind=Post.Kind.PRAISE,
        body=body,
        badge=badge,
        praised=people,
    )
