from django.contrib.auth import get_user_model

from core.errors import ApplicationError
from people.roles import is_admin

from ..models import DirectoryAuditEntry

User = get_user_model()


def require_admin(actor, message: str = "Only admins can do that.") -> None:
    if not is_admin(actor):
        raise ApplicationError(message, status=403)


def audit(action: str, *, actor=None, token=None, target_user=None, detail: str = ""):
    return DirectoryAuditEntry.objects.create(
        action=action, actor=actor, token=token, target_user=target_user, detail=detail[:500]
    )
