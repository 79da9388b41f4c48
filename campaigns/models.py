from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from core.files import RandomName
from core.images import display_box

IMAGE_FOLDER = "campaigns/"
IMAGE_EXTENSIONS = ("png", "jpg", "jpeg", "gif", "webp")
MAX_BRIEF = 20_000
MAX_GUIDANCE = 5_000
MAX_STORY = 5_000
MAX_SUGGESTED = 2_000
PHOTO_MAX_HEIGHT = 420  # px, as .campaign-photo img in static/css/socialhub.css


class Campaign(models.Model):
    """An advocacy campaign run by the social team: draft → open → closed."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=200)
    brief = models.TextField(max_length=MAX_BRIEF)
    brief_html = models.TextField(blank=True)
    hashtag = models.CharField(max_length=50, help_text="Without the #")
    guidance = models.TextField(max_length=MAX_GUIDANCE, help_text="What may be shared")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["status", "-starts_at", "-id"], name="campaign_list")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="campaign_dates")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Contribution(models.Model):
    """An employee's story (and photo) for a campaign, readable inside the company."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="contributions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campaign_contributions"
    )
    text = models.TextField(max_length=MAX_STORY)
    image = models.FileField(
        upload_to=RandomName(IMAGE_FOLDER + "%Y/%m/", IMAGE_EXTENSIONS), blank=True
    )
    image_name = models.CharField(max_length=200, blank=True)
    image_type = models.CharField(max_length=100, blank=True)
    # The photo's size in pixels, read at upload: the page reserves its box before the photo
    # arrives, so nothing under the reader's pointer moves when it does (None: not known).
    image_width = models.PositiveIntegerField(null=True, blank=True)
    image_height = models.PositiveIntegerField(null=True, blank=True)
    consent = models.BooleanField(default=False, help_text="May be shared publicly by the brand")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["campaign", "-created_at", "-id"], name="contribution_recent")
        ]

    def __str__(self) -> str:
        return f"{self.author_id} in {self.campaign_id}"

    def get_image_url(self) -> str:
        if not self.image:
            return ""
        return reverse("campaigns:image", args=[self.campaign_id, self.pk])

    @property
    def image_box(self) -> tuple[int, int] | None:
        """The photo's width and height as pages show it: its own size, scaled down to at
        most PHOTO_MAX_HEIGHT tall (core.images.display_box). None when not known."""
        if not self.image:
            return None
        return display_box(self.image_width, self.image_height, max_height=PHOTO_MAX_HEIGHT)


class SharePost(models.Model):
    """A contribution the social team picked to go public, with suggested text."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="share_posts")
    contribution = models.OneToOneField(
        Contribution, on_delete=models.CASCADE, related_name="share_post"
    )
    suggested_text = models.TextField(max_length=MAX_SUGGESTED)
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Share-ready post {self.pk}"


class Share(models.Model):
    """Where a certified representative says they shared a post. Recorded by hand: socialhub
    never reads or posts to anyone's personal accounts."""

    class Platform(models.TextChoices):
        LINKEDIN = "linkedin", "LinkedIn"
        X = "x", "X"
        FACEBOOK = "facebook", "Facebook"
        INSTAGRAM = "instagram", "Instagram"
        OTHER = "other", "Other"

    share_post = models.ForeignKey(SharePost, on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campaign_shares"
    )
    platform = models.CharField(max_length=16, choices=Platform.choices)
    url = models.URLField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["share_post", "user", "url"], name="one_share_per_url")
        ]

    def __str__(self) -> str:
        return f"{self.platform}: {self.url}"
