"""What the policies API views share: the admin check, and a person or a department named
in the input (a 400 naming the field when nobody or nothing has that name)."""

from django.core.exceptions import PermissionDenied

from core.errors import ApplicationError
from people import selectors as people
from people.models import Department
from people.roles import is_admin


def _require_admin(user) -> None:
    if not is_admin(user):
        raise PermissionDenied("Only admins can see this.")


def _person(username: str, *, field: str):
    person = people.get_account(username=username)
    if person is None:
        raise ApplicationError("Nobody active here has this username.", field=field)
    return person


def _department(slug: str, *, field: str = "department") -> Department:
    department = people.get_department(slug)
    if department is None:
        raise ApplicationError("No department has this slug.", field=field)
    return department
