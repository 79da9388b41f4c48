from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.files import RandomName
from core.images import display_box
from core.links import id_url

MAX_POST_LENGTH = 10_000
MAX_COMMENT_LENGTH = 5_000


class Topic(models.Model):
    """A #topic: written in posts, followed by people, with a page of its own."""

    name = models.CharField(max_length=50, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"#{self.name}"

    def get_absolute_url(self) -> str:
        return reverse("feeds:topic", args=[self.name])


class Post(models.Model):
    class Kind(models.TextChoices):
        UPDATE = "update", "Update"
        QUESTION = "question", "Question"
        ANNOUNCEMENT = "announcement", "Announcement"
        PRAISE = "praise", "Praise"

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.UPDATE)
    body = models.TextField(max_length=MAX_POST_LENGTH)
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Soft deletion by the author, removal by a moderator: both hide the post everywhere.
    deleted_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_reason = models.CharField(max_length=500, blank=True)
    pinned_at = models.DateTimeField(null=True, blank=True)
    comments_closed = models.BooleanField(default=False)
    accepted_answer = models.ForeignKey(
        "Comment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="posts")
    # A share: this post's body is the sharer's comment on `shared_post`, which each reader
    # sees only if they may read it themselves (feeds.selectors.attach_shared_originals).
    shared_post = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="shares"
    )
    # Praise (kind "praise"): who is thanked, and with which badge (PRAISE_BADGES).
    badge = models.CharField(max_length=20, blank=True)
    praised = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="praised_in"
    )
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="mentioned_in_posts"
    )
    # What a feed card shows of the post's activity, kept by the services in the same
    # transaction as the change (feeds.services.record_card_change), so a feed page reads them from
    # the post's own row instead of counting comments and reactions per page.
    comment_count = models.PositiveIntegerField(default=0)
    like_count = models.PositiveIntegerField(default=0)
    celebrate_count = models.PositiveIntegerField(default=0)
    insightful_count = models.PositiveIntegerField(default=0)
    support_count = models.PositiveIntegerField(default=0)
    # Bumped by every change a feed card shows (edit, comment, reaction, pin, ...): the
    # key of the card's cached representation (feeds.cards).
    version = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            # Keyset orders of the feeds: newest first, overall, per group, per author.
            models.Index(
                fields=["-created_at", "-id"],
                name="post_live_recent",
                condition=Q(deleted_at__isnull=True, removed_at__isnull=True),
            ),
            models.Index(
                fields=["group", "-created_at", "-id"],
                name="post_live_by_group",
                condition=Q(deleted_at__isnull=True, removed_at__isnull=True),
            ),
            models.Index(
                fields=["author", "-created_at", "-id"],
                name="post_live_by_author",
                condition=Q(deleted_at__isnull=True, removed_at__isnull=True),
            ),
            # A group's pinned posts (selectors.pinned_posts, atop its page): a handful,
            # found without reading every post of the group.
            models.Index(
                fields=["group", "-pinned_at"],
                name="post_pinned_by_group",
                condition=Q(
                    pinned_at__isnull=False, deleted_at__isnull=True, removed_at__isnull=True
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Post {self.pk} in {self.group_id}"

    def get_absolute_url(self) -> str:
        return id_url("feeds:post", self.pk)  # reversed once per process (core.links)

    @property
    def is_live(self) -> bool:
        return self.deleted_at is None and self.removed_at is None

    def get_badge_display_text(self) -> str:
        """The badge of praise as words and emoji ("🙏 Thank you"); empty for other posts."""
        if self.badge not in Badge.values:
            return ""
        return f"{BADGE_EMOJI[self.badge]} {Badge(self.badge).label}"

    @property
    def reaction_counts(self) -> dict[str, int]:
        """{kind: n} for the kinds someone used, in the fixed order of Reaction.Kind."""
        counts = {kind: getattr(self, f"{kind}_count") for kind in Reaction.Kind.values}
        return {kind: n for kind, n in counts.items() if n}


# The kinds a post is written as through the composer, drafts and the API; praise has its own
# door (feeds.praise), which names whom it thanks.
WRITABLE_POST_KINDS = [c for c in Post.Kind.choices if c[0] != Post.Kind.PRAISE]


class PostRevision(models.Model):
    """The text a post had before an edit: edits keep their history."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(max_length=MAX_POST_LENGTH)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Revision of post {self.post_id}"


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    # One reply level: a reply's parent is a top-level comment.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    body = models.TextField(max_length=MAX_COMMENT_LENGTH)
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_reason = models.CharField(max_length=500, blank=True)
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="mentioned_in_comments"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["post", "created_at", "id"], name="comment_by_post")]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.post_id}"

    def get_absolute_url(self) -> str:  # the post's page at this comment's thread, scrolled
        return f"{id_url('feeds:post', self.post_id)}?comment={self.pk}#comment-{self.pk}"

    @property
    def is_live(self) -> bool:
        return self.deleted_at is None and self.removed_at is None


class Reaction(models.Model):
    class Kind(models.TextChoices):
        LIKE = "like", "Like"
        CELEBRATE = "celebrate", "Celebrate"
        INSIGHTFUL = "insightful", "Insightful"
        SUPPORT = "support", "Support"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    # Indexed by reaction_by_user, which starts with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions", db_index=False
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user", "kind"], name="one_reaction_per_kind"),
        ]
        indexes = [
            models.Index(fields=["post", "kind"], name="reaction_by_post"),
            # A reader's own reactions, read from the index alone: every feed page asks
            # which of its posts the reader reacted to, and how (feeds/0009).
            models.Index(fields=["user", "post", "kind"], name="reaction_by_user"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on post {self.post_id}"


REACTION_EMOJI = {
    Reaction.Kind.LIKE: "👍",
    Reaction.Kind.CELEBRATE: "🎉",
    Reaction.Kind.INSIGHTFUL: "💡",
    Reaction.Kind.SUPPORT: "🤝",
}


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


class TopicFollow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_follows"
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="one_topic_follow"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.topic_id}"


class PersonFollow(models.Model):
    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following"
    )
    followee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followers"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="one_person_follow"),
            models.CheckConstraint(
                condition=~Q(follower=models.F("followee")), name="no_self_follow"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} follows {self.followee_id}"


class Badge(models.TextChoices):
    """The fixed set of badges praise carries."""

    THANK_YOU = "thank_you", "Thank you"
    TEAM_PLAYER = "team_player", "Team player"
    PROBLEM_SOLVER = "problem_solver", "Problem solver"
    ABOVE_AND_BEYOND = "above_and_beyond", "Above and beyond"
    GREAT_MENTOR = "great_mentor", "Great mentor"


BADGE_EMOJI = {
    Badge.THANK_YOU: "🙏",
    Badge.TEAM_PLAYER: "🤝",
    Badge.PROBLEM_SOLVER: "🧩",
    Badge.ABOVE_AND_BEYOND: "🚀",
    Badge.GREAT_MENTOR: "🎓",
}


class SavedPost(models.Model):
    """A post someone keeps for later. Rows outlive the right to read the post: the Saved
    list reads them through visible_posts, so a post that became unreadable is not shown
    (and shows again if the right comes back)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_posts"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="saves")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="one_save_per_post")]
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="saved_by_user")]

    def __str__(self) -> str:
        return f"{self.user_id} saved {self.post_id}"


class Draft(models.Model):
    """A post not published yet, kept on the server: a draft, or scheduled for `publish_at`
    (the clock publishes it: feeds.tasks.publish_due_posts). Publishing checks again that its
    author may still post there; when not, the draft becomes `failed` with the reason."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        FAILED = "failed", "Not published"
        PUBLISHED = "published", "Published"

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_drafts"
    )
    group = models.ForeignKey(
        "groups.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=Post.Kind.choices, default=Post.Kind.UPDATE)
    body = models.TextField(max_length=MAX_POST_LENGTH)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    publish_at = models.DateTimeField(null=True, blank=True)
    # Whether the author was a member of the group when they scheduled it: someone who has
    # left by then is not published there (a public group would take them back otherwise).
    was_member = models.BooleanField(default=False)
    failure = models.CharField(max_length=300, blank=True)
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["author", "-updated_at", "-id"], name="draft_by_author"),
            models.Index(
                fields=["publish_at"],
                name="draft_due",
                condition=Q(state="scheduled"),
            ),
        ]

    def __str__(self) -> str:
        return f"Draft {self.pk} by {self.author_id}"

    def get_absolute_url(self) -> str:
        return id_url("feeds:draft", self.pk)
