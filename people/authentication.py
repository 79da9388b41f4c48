"""API tokens, with the caller's roles read in the same query.

Nearly every API request asks people.roles.has_role (visibility: admins read everything), which
cost a second query per request after DRF's token lookup. Here the token, its user and the
user's roles come back in one query, compiled once per process (core.compiled: building it
cost the ORM more than running it). Nothing is kept between requests: a token deleted, an
account deactivated or a role taken away counts on the very next request.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from core import compiled

from .roles import ROLES

_ROLE_FIELDS = {f"holds_role_{i}": role for i, role in enumerate(ROLES)}


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's TokenAuthentication (same header, same answers), one query instead of two."""

    def authenticate_credentials(self, key):
        model = self.get_model()
        user_model = get_user_model()
        user_fields = [f.attname for f in user_model._meta.concrete_fields]

        def build(key):
            memberships = Group.user_set.through.objects.filter(user_id=OuterRef("user_id"))
            roles = {
                field: Exists(memberships.filter(group__name=role))
                for field, role in _ROLE_FIELDS.items()
            }
            return model.objects.filter(key=key).values(
                "created", *(f"user__{name}" for name in user_fields), **roles
            )

        rows = compiled.run(("people.token_user",), build, {"key": key})
        if not rows:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        row = rows[0]
        user = user_model.from_db(
            model.objects.db, user_fields, [row[f"user__{name}"] for name in user_fields]
        )
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        # What people.roles.has_role would read (it is only asked about ROLES).
        user._role_names = {role for field, role in _ROLE_FIELDS.items() if row[field]}
        token = model(key=key, user=user, created=row["created"])
        token._state.adding = False
        return (user, token)
