"""What a group's leaders (and admins) moderate: join requests, reports, the audit log."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from ..models import AuditEntry, Group, JoinRequest, Report
from .access import can_moderate, readable_group_q


def pending_requests(viewer, group: Group) -> QuerySet[JoinRequest]:
    if not can_moderate(viewer, group):
        return JoinRequest.objects.none()
    return JoinRequest.objects.filter(
        group=group, status=JoinRequest.Status.PENDING
    ).select_related("user__profile")


def my_pending_request(user, group: Group) -> JoinRequest | None:
    return JoinRequest.objects.filter(
        group=group, user_id=user.pk, status=JoinRequest.Status.PENDING
    ).first()


def open_reports(viewer, group: Group) -> QuerySet[Report]:
    if not can_moderate(viewer, group):
        return Report.objects.none()
    return Report.objects.filter(group=group, status=Report.Status.OPEN).select_related(
        "reporter__profile", "post__author__profile", "comment__author__profile"
    )


def audit_log(viewer, group: Group, *, action: str = "", actor: str = "") -> QuerySet[AuditEntry]:
    """The group's moderation log, newest first, for its leaders and admins only."""
    if not can_moderate(viewer, group):
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.filter(group=group).select_related(
        "actor__profile", "target_user__profile"
    )
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(actor__username=actor)
    return entries


def get_join_request(viewer, group: Group, request_id) -> JoinRequest:
    """A join request of `group` for its leaders to decide. Anyone else gets 403 before any
    lookup, so request ids reveal nothing; a missing id is 404."""
    if not can_moderate(viewer, group):
        raise PermissionDenied("Only the group's leaders can do that.")
    try:
        return JoinRequest.objects.select_related("group", "user").get(group=group, pk=request_id)
    except (JoinRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such join request.") from exc


def get_report(viewer, report_id) -> Report:
    """A report in a group `viewer` may read (404 alike for missing and unreadable); the
    services decide who may act on it."""
    try:
        return (
            Report.objects.filter(readable_group_q(viewer))
            .select_related("group")
            .get(pk=report_id)
        )
    except (Report.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such report.") from exc


def get_pending_request(viewer, group: Group, request_id) -> JoinRequest:
    """A pending join request of the group, for its leaders; 404 otherwise."""
    found = pending_requests(viewer, group).filter(pk=request_id).first()
    if found is None:
        raise Http404("No such request.")
    return found


def get_open_report(viewer, group: Group, report_id) -> Report:
    """An open report of the group, for its leaders; 404 otherwise."""
    found = open_reports(viewer, group).filter(pk=report_id).first()
    if found is None:
        raise Http404("No such report.")
    return found
