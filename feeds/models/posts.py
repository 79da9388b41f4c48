"""Posts and what hangs from them: topics, earlier texts, comments, reactions, badges."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

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
