from django.conf import settings
from django.db import models


class Notification(models.Model):
    """One thing a person should know about, written in the same transaction as its cause.

    Notifications about the same target collapse into one row (`target_key`), so ten likes
    on a post read "Ana and 9 others reacted to your post" instead of ten rows.
    """

    class Kind(models.TextChoices):
        MENTION = "mention", "Mentions"
        COMMENT = "comment", "Comments on my posts"
        REPLY = "reply", "Replies to my comments"
        REACTION = "reaction", "Reactions to my posts"
        JOIN_REQUEST = "join_request", "Join requests (leaders)"
        REQUEST_APPROVED = "request_approved", "Join requests approved"
        ANNOUNCEMENT = "announcement", "Announcements"
        POST_REMOVED = "post_removed", "Posts removed by a moderator"
        QUESTION_ASSIGNED = "question_assigned", "Customer questions assigned to me"
        SLA_REMINDER = "sla_reminder", "Customer question reminders"
        POLICY = "policy", "Policies to acknowledge"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # How many different people acted on the target ("Ana and 3 others").
    actor_count = models.PositiveIntegerField(default=1)
    # Plain text, escaped at display time; never HTML.
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=500, blank=True)
    target_key = models.CharField(max_length=100, blank=True)
    # The group the cause lives in, so muting a group silences its email.
    group_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-updated_at", "-id"], name="notif_recent"),
            models.Index(
                fields=["recipient"],
                name="notif_unread",
                condition=models.Q(read_at__isnull=True),
            ),
            models.Index(fields=["recipient", "kind", "target_key"], name="notif_target"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.text}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
