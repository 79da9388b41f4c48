"""A group's file library: files uploaded to it directly, each with its versions.

What people attached to the group's posts is in the library too, read from feeds'
Attachment rows (library.selectors), not copied here; only their previews are ours
(AttachmentPreview). Stored names are random (core.files.RandomName); the uploader's name
for a file is kept on the row and sent back in Content-Disposition.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.files import RandomName
from feeds.models import ATTACHMENT_EXTENSIONS

LIBRARY_FOLDER = "library/"
PREVIEW_FOLDER = "library-previews/"
MAX_NAME_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 1000
MAX_NOTE_LENGTH = 300


class LibraryFile(models.Model):
    """A file of a group's library. What the list sorts on (size, date, uploader, type) is
    the current version's, copied here by the services in the same transaction, so a page
    of the library reads one row per file."""

    group = models.ForeignKey(
        "groups.Group", on_delete=models.CASCADE, related_name="library_files"
    )
    name = models.CharField(max_length=MAX_NAME_LENGTH)
    description = models.TextField(max_length=MAX_DESCRIPTION_LENGTH, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="library_files"
    )
    created_at = models.DateTimeField()
    current_version = models.ForeignKey(
        "FileVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    version_count = models.PositiveIntegerField(default=1)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(
                fields=["group", "-updated_at", "-id"],
                name="libfile_live_by_group",
                condition=Q(deleted_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FileVersion(models.Model):
    """One upload of a library file: number 1 is the first, each new version the next."""

    file = models.ForeignKey(LibraryFile, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    stored = models.FileField(
        upload_to=RandomName(LIBRARY_FOLDER + "%Y/%m/", ATTACHMENT_EXTENSIONS), max_length=200
    )
    name = models.CharField(max_length=MAX_NAME_LENGTH)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    note = models.CharField(max_length=MAX_NOTE_LENGTH, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    # A small PNG of the image or of a PDF's first page (library.previews), made by a task
    # after the upload commits; `previewed_at` set with no preview: none could be made.
    preview = models.FileField(
        upload_to=RandomName(PREVIEW_FOLDER + "%Y/%m/", ("png",)), max_length=200, blank=True
    )
    previewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["file", "number"], name="one_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"


class AttachmentPreview(models.Model):
    """The preview of a post's attachment in the library (the attachment is feeds')."""

    attachment = models.OneToOneField(
        "feeds.Attachment", on_delete=models.CASCADE, related_name="library_preview"
    )
    preview = models.FileField(
        upload_to=RandomName(PREVIEW_FOLDER + "%Y/%m/", ("png",)), max_length=200, blank=True
    )
    previewed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Preview of attachment {self.attachment_id}"
