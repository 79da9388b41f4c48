"""Files on posts."""

from django.db import models
from django.urls import reverse

from core.files import RandomName
from core.images import display_box

from .posts import Post

ATTACHMENT_FOLDER = "attachments/"


IMAGE_MAX_HEIGHT = 420  # px, as .attachment-image img in static/css/socialhub.css


# The extensions a stored name may keep: those of core.files.UPLOAD_TYPES.
ATTACHMENT_EXTENSIONS = (
    "png",
    "jpg",
    "jpeg",
    "gif",
    "webp",
    "pdf",
    "txt",
    "csv",
    "docx",
    "xlsx",
    "pptx",
)


class Attachment(models.Model):
    """A file on a post. Stored as `attachments/<year>/<month>/<random>.<ext>`; `name` is the
    uploader's own name for it, sent back in Content-Disposition (core/files.py)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        upload_to=RandomName(ATTACHMENT_FOLDER + "%Y/%m/", ATTACHMENT_EXTENSIONS)
    )
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    # An image's size in pixels, read at upload (core.images): the card reserves its box
    # before the image arrives, so nothing under the reader's pointer moves when it does.
    # None: not an image, or not known.
    image_width = models.PositiveIntegerField(null=True, blank=True)
    image_height = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("feeds:attachment", args=[self.post_id, self.pk])

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def image_box(self) -> tuple[int, int] | None:
        """A card's width and height for the image, at most IMAGE_MAX_HEIGHT tall; or None."""
        return display_box(self.image_width, self.image_height, max_height=IMAGE_MAX_HEIGHT)
