"""Bearer tokens for the SCIM endpoints (RFC 7644 §2): `Authorization: Bearer <key>`."""

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission

from ..models import ScimToken
from ..services import authenticate_scim_key


class ScimClient:
    """The identity provider behind a token. Not a person: it can do nothing but SCIM."""

    is_authenticated = True
    is_active = True
    is_staff = is_superuser = False
    pk = id = None

    def __init__(self, token: ScimToken):
        self.token = token

    def __str__(self) -> str:
        return f"SCIM client {self.token.name}"


class ScimTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != b"bearer":
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send one bearer token.")
        try:
            key = parts[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("The token is not valid.") from exc
        token = authenticate_scim_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed("The token is not valid or was revoked.")
        return ScimClient(token), token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="scim"'


class HasScimToken(BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, ScimToken)
