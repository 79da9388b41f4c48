"""Every write to groups: membership, roles, moderation, reports. `verb_noun(*, actor, ...)`.

Each function checks permission first (ApplicationError with status 403, nothing changed),
writes in one transaction, and logs every moderation action in the group's audit log.

The writes by responsibility: groups (a group created, edited, its cover picture),
membership (joining and leaving, invitations, roles, mutes), moderation (reports and the
audit log), departments (the department and company groups and who is in them), and common.
Callers import from here: `from groups import services`.
"""

from .departments import (
    COMPANY_SLUG,
    ensure_company_group,
    ensure_department_group,
    sync_all_department_memberships,
    sync_department_membership,
)
from .groups import COVER_SIZE, KEEP_COVER, create_group, edit_group, make_cover
from .membership import (
    MAX_MUTE,
    cancel_join_request,
    change_role,
    decide_join_request,
    invite_member,
    join_group,
    leave_group,
    mute_member,
    remove_member,
    update_member,
)
from .moderation import (
    dismiss_report,
    file_report,
    record_audit,
    require_leader,
    resolve_reports,
)

__all__ = [
    "COMPANY_SLUG",
    "COVER_SIZE",
    "KEEP_COVER",
    "MAX_MUTE",
    "cancel_join_request",
    "change_role",
    "create_group",
    "decide_join_request",
    "dismiss_report",
    "edit_group",
    "ensure_company_group",
    "ensure_department_group",
    "file_report",
    "invite_member",
    "join_group",
    "leave_group",
    "make_cover",
    "mute_member",
    "record_audit",
    "remove_member",
    "require_leader",
    "resolve_reports",
    "sync_all_department_memberships",
    "sync_department_membership",
    "update_member",
]
