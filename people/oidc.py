"""Single sign-on through OpenID Connect (optional; on when OIDC_RP_CLIENT_ID is set).

Accounts are matched by email, as mozilla-django-oidc does by default; a first sign-in
creates the account, and the profile follows from the user's claims.
"""

from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from core.saving import save_changed

from .authentication import session_user, session_users


class EmployeeOIDCBackend(OIDCAuthenticationBackend):
    def get_user(self, user_id):
        """The user a session signed in through SSO belongs to, while their account is
        active. mozilla-django-oidc's own returns a deactivated account too, so an offboarded
        person's SSO session kept working over HTTP (and opened sockets); Django's
        ModelBackend refuses them the same way."""
        return session_user(user_id)  # with its roles and own profile, in one query

    def get_users(self, user_ids) -> list:
        return session_users(user_ids)

    def create_user(self, claims):
        user = super().create_user(claims)
        self._apply_claims(user, claims)
        return user

    def update_user(self, user, claims):
        self._apply_claims(user, claims)
        return user

    def _apply_claims(self, user, claims) -> None:
        """The account's names from the claims, and the profile's display name while it has
        none of its own, each saved only when it changed: every SSO sign-in comes here, and
        any save of an account moves the directory's counts generation (people.receivers),
        which forgets every kept directory card, count and expert ranking. Saved at each
        sign-in, a company's morning of sign-ins kept the directory cold."""
        names = {
            "first_name": (claims.get("given_name") or "")[:150],
            "last_name": (claims.get("family_name") or "")[:150],
        }
        save_changed(user, names)
        name = (claims.get("name") or user.get_full_name())[:120]
        profile = user.profile
        if name and profile.display_name in ("", user.username) and name != profile.display_name:
            profile.display_name = name
            profile.save(update_fields=["display_name"])
