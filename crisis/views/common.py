"""What every crisis page shares: the section, and a refused action from a button."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied

from core.errors import ApplicationError


def _section(request) -> None:
    request.active_section = "social"


def _refuse_or_say(request, exc: ApplicationError) -> None:
    """An action from a button: a refusal is the 403 page, anything else a message."""
    if exc.status == 403:
        raise PermissionDenied(exc.message) from exc
    messages.error(request, exc.message)
