"""What the group writes share: a refusal, the leaders-only check, an audit log line, and
a free slug."""

from django.utils.text import slugify

from core.errors import ApplicationError

from .. import selectors
from ..models import AuditEntry, Group


def _refuse(message: str = "Only the group's leaders can do that.") -> ApplicationError:
    return ApplicationError(message, status=403)


def _require_leader(actor, group: Group) -> None:
    if not selectors.can_moderate(actor, group):
        raise _refuse()


def _audit(group: Group, actor, action: str, *, reason: str = "", **targets) -> AuditEntry:
    return AuditEntry.objects.create(
        group=group, actor=actor, action=action, reason=reason[:500], **targets
    )


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "group"
    slug, n = base, 1
    while Group.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
