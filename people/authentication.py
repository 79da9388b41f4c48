"""Who a request comes from, with the caller's roles read in the same query.

Nearly every request asks people.roles.has_role (visibility: admins read everything; the
main menu's entries), which cost a query of its own after the account's. Here an API token,
its user and the user's roles come back in one query; a signed-in page's account, its roles
and the top bar's own profile in another. Each is compiled once per process (core.compiled:
building them cost the ORM more than running them). Nothing is kept between requests: a
token deleted, an account deactivated or a role taken away counts on the very next request.
"""

from collections.abc import Callable
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from core import compiled, session_reads

from .models import Profile
from .roles import ROLES
from .selectors import cache_own_profile

_ROLE_FIELDS = {f"holds_role_{i}": role for i, role in enumerate(ROLES)}


def _roles(user_ref: str) -> dict:
    """Whether the account `user_ref` (an OuterRef's name) holds each of ROLES, as
    annotations named as _ROLE_FIELDS names them."""
    memberships = Group.user_set.through.objects.filter(user_id=OuterRef(user_ref))
    return {
        field: Exists(memberships.filter(group__name=role)) for field, role in _ROLE_FIELDS.items()
    }


def _with_roles(user, row: dict):
    """`user` knowing its roles from `row` (what people.roles.has_role would read: it is
    only asked about ROLES)."""
    user._role_names = {role for field, role in _ROLE_FIELDS.items() if row[field]}
    return user


class TokenRead(NamedTuple):
    """A view's first read, made in the token's statement (compiled.run_joined): the rows of
    `build(**markers)` for the values `values`, its marker `viewer` being the token's
    account's id. Such a read cannot know the account's roles: it is built for an account
    with none, and its view checks the account before it uses the rows."""

    shape: tuple
    build: Callable
    values: dict
    viewer: str
    columns: tuple[str, ...]


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's TokenAuthentication (same header, same answers), one query instead of two. A
    view that sets `request.token_read` (a TokenRead) before authentication (its
    initialize_request) gets that read's rows in the same query, as
    `request.token_read_rows`: one round trip to the database for the account and the
    page (the home feed's API, bench/feed.py)."""

    def authenticate(self, request):
        self.request = request
        return super().authenticate(request)

    def authenticate_credentials(self, key):
        model = self.get_model()
        user_model = get_user_model()
        user_fields = [f.attname for f in user_model._meta.concrete_fields]

        def build(key):
            return model.objects.filter(key=key).values(
                "created", *(f"user__{name}" for name in user_fields), **_roles("user_id")
            )

        request = getattr(self, "request", None)
        read = getattr(request, "token_read", None)
        if read is None:
            rows = compiled.run(("people.token_user",), build, {"key": key})
            row = rows[0] if rows else None
        else:
            row, request.token_read_rows = compiled.run_joined(
                ("people.token_user", read.shape),
                build,
                {"key": key},
                read.build,
                read.values,
                link={read.viewer: "user__id"},
                columns=read.columns,
            )
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user = user_model.from_db(
            model.objects.db, user_fields, [row[f"user__{name}"] for name in user_fields]
        )
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        token = model(key=key, user=_with_roles(user, row), created=row["created"])
        token._state.adding = False
        return (user, token)


def _session_fields() -> tuple[list[str], list[str]]:
    """The account's and its profile's own fields, by attname."""
    user_fields = [f.attname for f in get_user_model()._meta.concrete_fields]
    return user_fields, [f.attname for f in Profile._meta.concrete_fields]


def _session_rows(accounts, *, page_reads: bool = False, profile: bool = True):
    """`accounts` (a queryset of users) as rows of the account, its own profile (a left
    join: None when it has none; not with `profile=False`) and its roles; with
    `page_reads`, also what every page shows about its reader (core.session_reads: the
    unread badge, the banners)."""
    user_fields, profile_fields = _session_fields()
    reads = session_reads.annotations("pk") if page_reads else {}
    profiles = [f"profile__{name}" for name in profile_fields] if profile else []
    return accounts.values(*user_fields, *profiles, **_roles("pk"), **reads)


def _active_user(row: dict, *, page_reads: bool = False):
    """The account of a _session_rows row, its roles and its profile cached on it as
    `user.profile` caches it, when the row has it (and the page's reads kept on it, when
    the row has them); None when it is deactivated."""
    if not row["is_active"]:
        return None
    user_model = get_user_model()
    user_fields, profile_fields = _session_fields()
    user = user_model.from_db(user_model.objects.db, user_fields, [row[f] for f in user_fields])
    if "profile__id" in row:
        profile = None
        if row["profile__id"] is not None:
            values = [row[f"profile__{name}"] for name in profile_fields]
            profile = Profile.from_db(Profile.objects.db, profile_fields, values)
        cache_own_profile(user, profile)
    if page_reads:
        session_reads.remember(user, row)
    return _with_roles(user, row)


def session_user(user_id):
    """The active account `user_id` (a session's), its roles, its own profile and what the
    page's shell shows about it (core.session_reads) read in one query: the top bar, the
    main menu, the unread badge and the banners then cost no query. None when there is no
    such account or it is deactivated, as Django's ModelBackend answers."""
    try:
        values = {"user_id": int(user_id)}
    except (TypeError, ValueError):
        return None

    def build(user_id):
        return _session_rows(get_user_model().objects.filter(pk=user_id), page_reads=True)

    rows = compiled.run(("people.session_user",), build, values)
    return _active_user(rows[0], page_reads=True) if rows else None


def session_users(user_ids) -> list:
    """session_user for many accounts in one query, without their profiles (the open
    sockets of a process re-checking their sessions together, people.selectors.
    check_access_many, ask only whether each still signs in and what it may read: the
    profiles were half the cost of 1,000 re-checks)."""
    rows = _session_rows(get_user_model().objects.filter(pk__in=list(user_ids)), profile=False)
    return [user for user in map(_active_user, rows) if user is not None]


class SessionBackend(ModelBackend):
    """Django's ModelBackend (the same passwords and answers); a session's user is read
    with its roles and own profile in one query (session_user)."""

    def get_user(self, user_id):
        return session_user(user_id)

    def get_users(self, user_ids) -> list:
        return session_users(user_ids)
