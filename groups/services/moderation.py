"""Reports and the audit log (feeds.moderation acts on the posts and comments): a line in
the log, the leaders-only check for others, reports filed, resolved and dismissed."""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from ..models import AuditEntry, Group, Report
from .common import _audit, _require_leader


def record_audit(
    *, group: Group, actor: User, action: str, reason: str = "", **targets: object
) -> AuditEntry:
    """One line in the group's audit log, in the caller's transaction. `targets` are the
    entry's post, comment and target_user."""
    return AuditEntry.objects.create(
        group=group, actor=actor, action=action, reason=reason[:500], **targets
    )


def require_leader(*, actor: User, group: Group) -> None:
    """ApplicationError 403 unless `actor` leads `group` (or is an admin)."""
    _require_leader(actor, group)


def resolve_reports(
    *, actor: User, post_id: int | None = None, comment_id: int | None = None
) -> int:
    """Close the open reports of a post (or of a comment) a leader took down, in the
    caller's transaction; how many it closed."""
    return Report.objects.filter(
        status=Report.Status.OPEN, post_id=post_id, comment_id=comment_id
    ).update(status=Report.Status.RESOLVED, resolved_by=actor, resolved_at=timezone.now())


def file_report(
    *,
    actor: User,
    group: Group,
    reason: str,
    post_id: int | None = None,
    comment_id: int | None = None,
) -> Report:
    """A reader's report of one post or one comment in `group`, for its leaders (the caller,
    feeds.moderation.report_content, checked the reader can read it). Reporting the same
    thing again while the report is open keeps the one report."""
    existing = Report.objects.filter(
        reporter=actor, post_id=post_id, comment_id=comment_id, status=Report.Status.OPEN
    ).first()
    if existing:
        return existing
    return Report.objects.create(
        group=group, reporter=actor, post_id=post_id, comment_id=comment_id, reason=reason[:500]
    )


def dismiss_report(*, actor: User, report: Report, reason: str = "") -> Report:
    _require_leader(actor, report.group)
    with transaction.atomic():
        report.status, report.resolved_by = Report.Status.DISMISSED, actor
        report.resolved_at = timezone.now()
        report.save(update_fields=["status", "resolved_by", "resolved_at"])
        _audit(
            report.group,
            actor,
            AuditEntry.Action.DISMISS_REPORT,
            reason=reason,
            post=report.post,
            comment=report.comment,
        )
    return report
