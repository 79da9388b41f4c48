"""Looking one thing up: a department or a skill by slug or name, an account by username or
id, the person a people picker (or a typed box) names, a user's API token."""

from django.core.validators import slug_re
from django.db.models import QuerySet

from core import compiled
from core.errors import ApplicationError

from ..models import Department, Profile, Skill


def get_department(slug: str) -> Department | None:
    return _by_slug(Department, slug)


def _by_slug(model, slug: str):
    """The `model` (a department or a skill) whose slug is `slug`, or None: one query
    compiled once per process and prepared (core.compiled). Read on every filtered page of
    the directory and its API, where building it through the ORM cost more than running it.
    None for a text no slug can be (a NUL byte in a query string: PostgreSQL refuses it)."""
    if not slug or not slug_re.fullmatch(slug):
        return None
    fields = [f.attname for f in model._meta.concrete_fields]

    def build(slug):
        return model.objects.filter(slug=slug).order_by().values(*fields)

    rows = compiled.run((f"people.{model.__name__}_by_slug",), build, {"slug": slug})
    return compiled.instance(model, rows[0]) if rows else None


def all_departments() -> QuerySet[Department]:
    """Every department by name, for filters and choosers."""
    return Department.objects.order_by("name")


def get_account(*, username: str | None = None, pk: int | None = None, active: bool = True):
    """A user account by username or id, or None. `active=False` also finds offboarded
    accounts, for the admin flows that act on them (handing over their brand accounts)."""
    from django.contrib.auth import get_user_model

    if username is None and pk is None:
        return None
    accounts = get_user_model().objects.all()
    if active:
        accounts = accounts.filter(is_active=True)
    if username is not None:
        accounts = accounts.filter(username=username)
    if pk is not None:
        accounts = accounts.filter(pk=pk)
    return accounts.first()


def get_skill(slug: str) -> Skill | None:
    return _by_slug(Skill, slug)


def person_named(text: str):
    """The active account a people picker (or a typed box) names: by username, else by a
    display name only one active person has; None otherwise (one or two queries). Pickers
    send the username; a name typed without picking works when it is unambiguous."""
    text = " ".join((text or "").replace("\x00", "").split())[:150]
    if not text:
        return None
    found = Profile.objects.select_related("user").filter(user__is_active=True)
    profile = found.filter(user__username=text).first()
    if profile is None:
        named = list(found.filter(display_name__iexact=text)[:2])
        profile = named[0] if len(named) == 1 else None
    return profile.user if profile is not None else None


def picked_person(text: str, *, field: str):
    """`person_named`, or an ApplicationError naming `field` (400): what a page does with the
    value of a people picker (templates/_picker.html)."""
    person = person_named(text)
    if person is None:
        raise ApplicationError("Choose someone from the list (by name).", field=field)
    return person


def get_skill_by_name(name: str) -> Skill | None:
    if not name or "\x00" in name:  # no skill has one, and PostgreSQL refuses it
        return None
    return Skill.objects.filter(name=name).first()


def api_token_of(user):
    """The user's API token, if they made one (shown only to themselves)."""
    from rest_framework.authtoken.models import Token

    return Token.objects.filter(user=user).first()


def active_profile_named(username: str) -> Profile | None:
    """The profile of the active user `username` (user loaded), or None: how a form or an
    API body names someone, e.g. a manager."""
    return (
        Profile.objects.select_related("user")
        .filter(user__username=username, user__is_active=True)
        .first()
    )
