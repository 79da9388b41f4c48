"""Every write to groups: membership, roles, moderation, reports. `verb_noun(*, actor, ...)`.

Each function checks permission first (ApplicationError with status 403, nothing changed),
writes in one transaction, and logs every moderation action in the group's audit log.
"""

import datetime as dt
import io

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageOps

from core import events
from core.errors import ApplicationError
from core.images import UNREADABLE, TooManyPixels, open_image
from people.models import Department
from people.roles import is_admin
from people.services import AVATAR_FORMATS, MAX_AVATAR_PIXELS, TOO_MANY_PIXELS

from . import notifications, selectors
from .models import AuditEntry, Group, JoinRequest, Membership, Report

COMPANY_SLUG = "all-company"
MAX_MUTE = dt.timedelta(days=365)


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


# --- Groups ---------------------------------------------------------------------------


def create_group(
    *, actor: User, name: str, description: str = "", privacy: str = Group.Privacy.PUBLIC
) -> Group:
    """An interest group; its creator is its owner."""
    name = " ".join(name.split())
    if not name:
        raise ApplicationError("Give the group a name.", field="name")
    if len(name) > 120:
        raise ApplicationError("Keep the name under 120 characters.", field="name")
    if privacy not in Group.Privacy.values:
        raise ApplicationError("Choose public, private or secret.", field="privacy")
    with transaction.atomic():
        group = Group.objects.create(
            name=name,
            slug=_unique_slug(name),
            description=description.strip()[:2000],
            privacy=privacy,
            kind=Group.Kind.INTEREST,
            created_by=actor,
        )
        Membership.objects.create(
            group=group, user=actor, role=Membership.Role.OWNER, source=Membership.Source.JOINED
        )
    return group


KEEP_COVER = object()


def _describe_changes(group: Group, **new) -> list[str]:
    labels = {"name": "name", "description": "description", "privacy": "privacy"}
    changes = []
    for field, value in new.items():
        old = getattr(group, field)
        if value == old:
            continue
        if field == "description":
            changes.append("description")
        elif field == "posting":
            changes.append(f"posting: {Group.Posting(value).label.split(';')[0].lower()}")
        else:
            changes.append(f"{labels[field]}: “{old}” → “{value}”")
    return changes


def edit_group(
    *,
    actor: User,
    group: Group,
    name: str,
    description: str,
    privacy: str,
    posting: str | None = None,
    cover=KEEP_COVER,
) -> Group:
    """A group's leaders (and admins) change its name, description, privacy (interest
    groups only), posting rule and cover picture (`cover`: an upload, None to remove it,
    left out to keep it). One audit entry says what changed. 403 for anyone else; 400
    naming the field for a bad value; nothing changes unless everything is valid."""
    _require_leader(actor, group)
    name = " ".join((name or "").replace("\x00", "").split())
    if not name or len(name) > 120:
        raise ApplicationError("Give the group a name under 120 characters.", field="name")
    description = (description or "").replace("\x00", "").strip()
    if len(description) > 2000:
        raise ApplicationError("Keep the description under 2,000 characters.", field="description")
    if privacy not in Group.Privacy.values:
        raise ApplicationError("Choose public, private or secret.", field="privacy")
    if group.kind != Group.Kind.INTEREST and privacy != group.privacy:
        raise ApplicationError("Department and company groups keep their privacy.", field="privacy")
    posting = group.posting if posting is None else posting
    if posting not in Group.Posting.values:
        raise ApplicationError("Choose everyone or leaders only.", field="posting")
    picture = make_cover(cover) if cover not in (KEEP_COVER, None) else None
    with transaction.atomic():
        changes = _describe_changes(
            group, name=name, description=description, privacy=privacy, posting=posting
        )
        changed_privacy = privacy != group.privacy
        group.name, group.description, group.privacy = name, description, privacy
        group.posting = posting
        fields = ["name", "description", "privacy", "posting"]
        old_cover = group.cover.name if group.cover else ""
        if picture is not None:
            group.cover.save(picture.name, picture, save=False)
            changes.append("new cover picture")
        elif cover is None and old_cover:
            group.cover = ""
            changes.append("cover picture removed")
        if cover is not KEEP_COVER:
            fields.append("cover")
        group.save(update_fields=fields)
        _audit(group, actor, AuditEntry.Action.EDIT_GROUP, reason="; ".join(changes) or "no change")
        if changed_privacy:  # sockets that follow the group's page check again
            events.audience_changed(group.pk)
        if old_cover and cover is not KEEP_COVER:
            storage = group.cover.storage
            transaction.on_commit(lambda: storage.delete(old_cover))
    return group


COVER_SIZE = (1200, 300)


def make_cover(upload) -> ContentFile:
    """Check an uploaded cover picture and re-encode it as a 1200×300 PNG (cropped to that
    shape from the middle). Re-encoding drops metadata and anything appended to the image,
    as for profile photos (the same formats, pixel and byte limits). 400 naming `cover`."""
    limit = settings.AVATAR_MAX_BYTES
    if getattr(upload, "size", None) is not None and upload.size > limit:
        raise ApplicationError(
            f"That image is {upload.size / 1048576:.1f} MB; the limit is {limit / 1048576:.0f} MB.",
            field="cover",
        )
    try:
        with open_image(upload, max_pixels=MAX_AVATAR_PIXELS) as probe:
            kind = probe.format
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            picture = ImageOps.fit(image.convert("RGB"), COVER_SIZE, Image.Resampling.LANCZOS)
    except TooManyPixels:
        raise ApplicationError(TOO_MANY_PIXELS, field="cover") from None
    except UNREADABLE:
        raise ApplicationError("Upload a JPEG, PNG, GIF or WebP image.", field="cover") from None
    if kind not in AVATAR_FORMATS:
        raise ApplicationError("Upload a JPEG, PNG, GIF or WebP image.", field="cover")
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue(), name="cover.png")


# --- Joining and leaving --------------------------------------------------------------


def join_group(*, actor: User, group: Group, message: str = "") -> Membership | JoinRequest:
    """Join a public group at once; ask to join a private one. Secret groups are invite
    only (and unknown to outsiders: 404 before this is reached)."""
    existing = selectors.membership_of(actor, group)
    if existing is not None:
        return existing
    if group.is_public:
        membership, _ = Membership.objects.get_or_create(
            group=group, user=actor, defaults={"source": Membership.Source.JOINED}
        )
        events.membership_changed(actor.pk)
        return membership
    if group.is_secret:
        raise _refuse("This group is invite only.")
    pending = selectors.my_pending_request(actor, group)
    if pending is not None:
        return pending
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                group=group, user=actor, message=message[:500]
            )
            notifications.join_requested(join_request=join_request)
            return join_request
    except IntegrityError:  # asked twice at the same moment
        return selectors.my_pending_request(actor, group)


def cancel_join_request(*, actor: User, group: Group) -> None:
    JoinRequest.objects.filter(group=group, user=actor, status=JoinRequest.Status.PENDING).update(
        status=JoinRequest.Status.CANCELLED, decided_at=timezone.now()
    )


def decide_join_request(
    *, actor: User, join_request: JoinRequest, approve: bool, reason: str = ""
) -> JoinRequest:
    """Approve (the asker becomes a member) or deny a pending request."""
    group = join_request.group
    _require_leader(actor, group)
    with transaction.atomic():
        locked = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
        if locked.status != JoinRequest.Status.PENDING:
            raise ApplicationError("This request was already decided.", field="request")
        locked.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DENIED
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        if approve:
            Membership.objects.get_or_create(
                group=group, user=locked.user, defaults={"source": Membership.Source.JOINED}
            )
            events.membership_changed(locked.user_id)
            notifications.request_approved(join_request=locked, actor=actor)
        _audit(
            group,
            actor,
            AuditEntry.Action.APPROVE_REQUEST if approve else AuditEntry.Action.DENY_REQUEST,
            reason=reason,
            target_user=locked.user,
        )
    return locked


def leave_group(*, actor: User, group: Group) -> None:
    """Leave a group one joined or was added to. One's own department's group follows the
    department (a department group joined from elsewhere can be left like any other)."""
    membership = selectors.membership_of(actor, group)
    if membership is None:
        return
    if membership.follows_department:
        raise ApplicationError(
            "You belong to your department's group while you are in the department.",
            status=403,
        )
    if (
        membership.role == Membership.Role.OWNER
        and not Membership.objects.filter(group=group, role=Membership.Role.OWNER)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ApplicationError(
            "Make someone else an owner before you leave.", field="role", status=400
        )
    membership.delete()
    events.membership_changed(actor.pk)


def invite_member(*, actor: User, group: Group, user: User) -> Membership:
    """Add `user` to the group (leaders; the only way into a secret group)."""
    _require_leader(actor, group)
    if not user.is_active:
        raise ApplicationError("That person has left the company.", field="user")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            group=group, user=user, defaults={"source": Membership.Source.INVITED}
        )
        JoinRequest.objects.filter(
            group=group, user=user, status=JoinRequest.Status.PENDING
        ).update(status=JoinRequest.Status.APPROVED, decided_by=actor, decided_at=timezone.now())
        if created:
            _audit(group, actor, AuditEntry.Action.INVITE, target_user=user)
            notifications.invited(membership=membership, actor=actor)
            events.membership_changed(user.pk)
    return membership


def remove_member(*, actor: User, group: Group, user: User, reason: str = "") -> None:
    _require_leader(actor, group)
    membership = selectors.membership_of(user, group)
    if membership is None:
        raise ApplicationError("That person is not a member.", field="user", status=404)
    if membership.role == Membership.Role.OWNER and not is_admin(actor):
        raise _refuse("Only an admin can remove an owner.")
    if membership.follows_department:
        raise ApplicationError(
            "Department groups follow the department: change the person's department.",
            status=400,
            field="user",
        )
    with transaction.atomic():
        membership.delete()
        _audit(group, actor, AuditEntry.Action.REMOVE_MEMBER, reason=reason, target_user=user)
        events.membership_changed(user.pk)


def change_role(*, actor: User, group: Group, user: User, role: str) -> Membership:
    """Owners and admins name leaders and owners."""
    actor_membership = selectors.membership_of(actor, group)
    if not (is_admin(actor) or (actor_membership and actor_membership.role == "owner")):
        raise _refuse("Only the group's owners can change roles.")
    if role not in Membership.Role.values:
        raise ApplicationError("Choose member, leader or owner.", field="role")
    membership = selectors.membership_of(user, group)
    if membership is None:
        raise ApplicationError("That person is not a member.", field="user", status=404)
    with transaction.atomic():
        membership.role = role
        membership.save(update_fields=["role"])
        _audit(group, actor, AuditEntry.Action.CHANGE_ROLE, reason=role, target_user=user)
        # A leader named or demoted reads differently (a department's queue, the audit
        # log): their open sockets re-check what they may hear.
        events.access_changed(user.pk)
    return membership


def mute_member(
    *, actor: User, group: Group, user: User, until: dt.datetime | None, reason: str = ""
) -> Membership:
    """Mute `user` in the group until `until` (None: unmute). A muted member reads but
    cannot post or comment."""
    _require_leader(actor, group)
    membership = selectors.membership_of(user, group)
    if membership is None:
        raise ApplicationError("That person is not a member.", field="user", status=404)
    if until is not None and not (timezone.now() < until <= timezone.now() + MAX_MUTE):
        raise ApplicationError("Choose a time in the coming year.", field="until")
    with transaction.atomic():
        membership.muted_until = until
        membership.save(update_fields=["muted_until"])
        _audit(
            group,
            actor,
            AuditEntry.Action.MUTE if until else AuditEntry.Action.UNMUTE,
            reason=reason,
            target_user=user,
        )
    return membership


def update_member(
    *, actor: User, group: Group, user: User, role: str | None = None, mute: dict | None = None
) -> Membership:
    """A role change and/or a mute ({"until": datetime | None, "reason": str}) together:
    both happen or neither does."""
    with transaction.atomic():
        membership = selectors.membership_of(user, group)
        if role is not None:
            membership = change_role(actor=actor, group=group, user=user, role=role)
        if mute is not None:
            membership = mute_member(
                actor=actor,
                group=group,
                user=user,
                until=mute["until"],
                reason=mute.get("reason", ""),
            )
    return membership


# --- Reports and the audit log (feeds.moderation acts on the posts and comments) --------


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


# --- Department and company groups ----------------------------------------------------


def ensure_company_group() -> Group:
    group, _ = Group.objects.get_or_create(
        kind=Group.Kind.COMPANY,
        defaults={
            "name": "All company",
            "slug": COMPANY_SLUG,
            "privacy": Group.Privacy.PUBLIC,
            "description": "News and conversation for everyone in the company.",
        },
    )
    return group


def ensure_department_group(department: Department) -> Group:
    group = Group.objects.filter(department=department).first()
    if group is None:
        group = Group.objects.create(
            name=department.name,
            slug=_unique_slug(department.slug or department.name),
            description=department.description,
            kind=Group.Kind.DEPARTMENT,
            privacy=Group.Privacy.PUBLIC,
            department=department,
        )
    return group


def sync_department_membership(
    *, user: User, department: Department | None, previous_department_id: int | None = None
) -> None:
    """A person is a member of their department's group, and only of their current one.

    Only the membership the department gave goes with it (leaders and owners of the old
    department's group keep nothing special); a membership of another department's group
    that the person joined or was added to stays. Joining one's new department's group
    earlier turns into the department's membership."""
    with transaction.atomic():
        if previous_department_id and previous_department_id != getattr(department, "pk", None):
            Membership.objects.filter(
                user=user,
                group__kind=Group.Kind.DEPARTMENT,
                group__department_id=previous_department_id,
                source=Membership.Source.DEPARTMENT,
            ).delete()
        if department is not None and user.is_active:
            Membership.objects.update_or_create(
                group=ensure_department_group(department),
                user=user,
                defaults={"source": Membership.Source.DEPARTMENT},
            )
        Membership.objects.get_or_create(
            group=ensure_company_group(), user=user, defaults={"source": Membership.Source.COMPANY}
        )
        events.membership_changed(user.pk)


def sync_all_department_memberships() -> int:
    """Bring every department group up to date now, in this process (after bulk imports
    and seeding, which skip the per-profile receivers), chunk by chunk with a fixed number
    of queries each (groups.department_sync). Returns how many memberships it added."""
    from .department_sync import sync_everyone_now

    before = Membership.objects.count()
    sync_everyone_now()
    return Membership.objects.count() - before
