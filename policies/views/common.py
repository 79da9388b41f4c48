"""What every policy page shares: the section, the admins-only check, and a refused action
shown on the page it came from."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from core.errors import ApplicationError
from people.roles import is_admin


def _section(request) -> None:
    request.active_section = "policy"


def _admin_only(request) -> None:
    _section(request)
    if not is_admin(request.user):
        raise PermissionDenied("Only admins can see this page.")


def _refuse(request, exc: ApplicationError, to: str):
    """An action from a button: the message on the page it came from (403s too)."""
    if exc.status == 403:
        raise PermissionDenied(exc.message)
    messages.error(request, exc.message)
    return redirect(to)
