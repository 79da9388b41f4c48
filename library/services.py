"""Every write to a group's library: `verb_noun(*, actor, ...)`, permission checked first,
one transaction, the preview task enqueued after commit."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from core.after_commit import enqueue_on_commit
from core.errors import ApplicationError
from core.files import UPLOAD_TYPES
from core.images import check_image
from feeds.models import Attachment
from groups import selectors as groups
from groups.models import Group
from policies.selectors import may_post

from . import previews, selectors
from .models import (
    MAX_DESCRIPTION_LENGTH,
    MAX_NAME_LENGTH,
    MAX_NOTE_LENGTH,
    AttachmentPreview,
    FileVersion,
    LibraryFile,
)

KINDS_WE_KEEP = "images (PNG, JPEG, GIF, WebP), PDF, text, CSV and Office documents"


def max_upload_bytes() -> int:
    return settings.LIBRARY_MAX_UPLOAD_BYTES


def check_upload(upload: UploadedFile | None, *, field: str = "file") -> None:
    """A file the library keeps: present, not empty, under LIBRARY_MAX_UPLOAD_BYTES, of a
    kind we keep, and (images, PDFs) what it says it is. ApplicationError naming `field`."""
    if upload is None:
        raise ApplicationError("Choose a file to upload.", field=field)
    label = f"“{(upload.name or 'The file')[:60]}”"
    if not upload.size:
        raise ApplicationError(f"{label} is empty.", field=field)
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ApplicationError(
            f"{label} is {_megabytes(upload.size)}; the library takes files up to "
            f"{_megabytes(limit)}.",
            field=field,
        )
    if upload.content_type not in UPLOAD_TYPES:
        raise ApplicationError(
            f"{label} is not a kind of file the library keeps: {KINDS_WE_KEEP} are.",
            field=field,
        )
    head = _head(upload, 8)
    if upload.content_type == previews.PDF_TYPE and not head.startswith(b"%PDF-"):
        raise ApplicationError(f"{label} is not a PDF file.", field=field)
    if upload.content_type in previews.IMAGE_TYPES:
        check_image(upload, label=label, field=field)


def _megabytes(size: int) -> str:
    return f"{size / 1048576:.1f} MB".replace(".0 MB", " MB")


def _head(upload: UploadedFile, n: int) -> bytes:
    upload.seek(0)
    head = upload.read(n)
    upload.seek(0)
    return head


def _clean_name(name: str, *, field: str = "name") -> str:
    name = " ".join((name or "").replace("\x00", "").split())
    if not name:
        raise ApplicationError("Give the file a name.", field=field)
    if len(name) > MAX_NAME_LENGTH:
        raise ApplicationError(f"Keep the name under {MAX_NAME_LENGTH} characters.", field=field)
    return name


def _clean_text(text: str, *, limit: int, field: str) -> str:
    text = (text or "").replace("\x00", "").strip()
    if len(text) > limit:
        raise ApplicationError(f"Keep it under {limit:,} characters.", field=field)
    return text


def _require_policy(actor) -> None:
    if not may_post(actor):
        raise ApplicationError(
            "Read and acknowledge the social media policy (Policy, in the menu) to add files.",
            status=403,
        )


def add_file(
    *,
    actor,
    group: Group,
    upload: UploadedFile | None,
    name: str = "",
    description: str = "",
) -> LibraryFile:
    """Upload a file to the group's library (its version 1). Held back by the social media
    policy gate like a post: a file is shared with the group as a post is."""
    if not groups.can_read(actor, group):
        raise ApplicationError("No such group.", status=404)
    _require_policy(actor)
    if not selectors.can_add_files(actor, group):
        raise ApplicationError("Join the group to add files to its library.", status=403)
    check_upload(upload)
    name = _clean_name(name or upload.name or "")
    description = _clean_text(description, limit=MAX_DESCRIPTION_LENGTH, field="description")
    now = timezone.now()
    with transaction.atomic():
        library_file = LibraryFile.objects.create(
            group=group,
            name=name,
            description=description,
            created_by=actor,
            created_at=now,
            content_type=upload.content_type,
            size=upload.size,
            updated_at=now,
            updated_by=actor,
        )
        version = _store_version(library_file, upload, actor=actor, number=1, at=now)
        library_file.current_version = version
        library_file.save(update_fields=["current_version"])
    return library_file


def add_version(*, actor, library_file: LibraryFile, upload: UploadedFile | None, note: str = ""):
    """Upload a new version of a library file; it becomes the current one. The file comes
    from selectors.get_library_file (the caller may read it)."""
    if not selectors.can_change_file(actor, library_file):
        raise ApplicationError(
            "Only the person who added this file and the group's leaders upload new versions.",
            status=403,
        )
    _require_policy(actor)
    check_upload(upload)
    note = _clean_text(note, limit=MAX_NOTE_LENGTH, field="note")
    now = timezone.now()
    with transaction.atomic():
        # The row lock orders two uploads at the same moment: 2 and 3, never two 2s.
        locked = LibraryFile.objects.select_for_update().get(pk=library_file.pk)
        if locked.deleted_at is not None:
            raise ApplicationError("This file was deleted.", status=404)
        number = locked.version_count + 1
        version = _store_version(locked, upload, actor=actor, number=number, at=now, note=note)
        LibraryFile.objects.filter(pk=locked.pk).update(
            current_version=version,
            version_count=number,
            content_type=upload.content_type,
            size=upload.size,
            updated_at=now,
            updated_by=actor,
        )
    library_file.refresh_from_db()
    return version


def _store_version(library_file, upload, *, actor, number, at, note="") -> FileVersion:
    version = FileVersion.objects.create(
        file=library_file,
        number=number,
        stored=upload,
        name=_clean_name(upload.name or library_file.name, field="file"),
        content_type=upload.content_type,
        size=upload.size,
        note=note,
        uploaded_by=actor,
        uploaded_at=at,
    )
    if previews.can_preview(version.content_type):
        enqueue_on_commit("library.tasks.make_version_preview", version.pk)
    return version


def delete_file(*, actor, library_file: LibraryFile) -> None:
    """Take a file (all its versions) out of the library. The rows stay, hidden, for the
    audit of who deleted what; the stored files go with the rows when the group goes."""
    if not selectors.can_change_file(actor, library_file):
        raise ApplicationError(
            "Only the person who added this file and the group's leaders delete it.",
            status=403,
        )
    LibraryFile.objects.filter(pk=library_file.pk, deleted_at__isnull=True).update(
        deleted_at=timezone.now(), deleted_by=actor
    )


# --- Previews (run by library.tasks after the upload commits) -------------------------


def make_version_preview(*, version_id: int) -> bool:
    """Make the preview of a version if it has none yet (idempotent); True if one exists
    afterwards."""
    version = FileVersion.objects.filter(pk=version_id).first()
    if version is None or version.previewed_at is not None:
        return bool(version and version.preview)
    png = _preview_of(version.stored, version.content_type)
    _save_preview(version, png)
    FileVersion.objects.filter(pk=version.pk, previewed_at__isnull=True).update(
        preview=version.preview.name if png else "", previewed_at=timezone.now()
    )
    return png is not None


def make_attachment_preview(*, attachment_id: int) -> bool:
    """Make the library preview of a post's attachment (idempotent)."""
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None or not previews.can_preview(attachment.content_type):
        return False
    existing = AttachmentPreview.objects.filter(attachment=attachment).first()
    if existing is not None:
        return bool(existing.preview)
    png = _preview_of(attachment.file, attachment.content_type)
    row = AttachmentPreview(attachment=attachment)
    _save_preview(row, png)
    row.save()
    return png is not None


def _preview_of(stored, content_type: str) -> bytes | None:
    try:
        with stored.open("rb") as handle:
            data = handle.read()
    except OSError:
        return None
    return previews.make_preview(data, content_type)


def _save_preview(row, png: bytes | None) -> None:
    if png:
        row.preview.save("preview.png", ContentFile(png), save=False)
