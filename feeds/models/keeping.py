"""What someone keeps for later: the topics and people they follow, saved posts, drafts
and scheduled posts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.links import id_url

from .posts import MAX_POST_LENGTH, Post, Topic


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
