"""A group itself: an interest group created (its creator owns it), and edited by its
leaders: name, description, privacy, posting rule and cover picture."""

import io

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps

from core import events
from core.errors import ApplicationError
from core.images import UNREADABLE, TooManyPixels, open_image
from people.services import AVATAR_FORMATS, MAX_AVATAR_PIXELS, TOO_MANY_PIXELS

from ..models import AuditEntry, Group, Membership
from .common import _audit, _require_leader, _unique_slug


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
