from django.conf import settings
from django.db import models
from django.utils import timezone


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
        COMMENT_REMOVED = "comment_removed", "Comments removed by a moderator"
        INVITED = "invited", "Being added to a group"
        ANSWER_ACCEPTED = "answer_accepted", "My answers accepted"
        QUESTION_ASSIGNED = "question_assigned", "Customer questions assigned to me"
        SLA_REMINDER = "sla_reminder", "Customer question reminders"
        POLICY = "policy", "Policies to acknowledge"
        LISTENING_ALERT = "listening_alert", "Listening alerts (social team, leaders)"
        CAMPAIGN = "campaign", "Brand campaigns"
        DATA_EXPORT = "data_export", "Copies of my data ready to download"
        PRAISE = "praise", "Praise for me"
        SHARE = "share", "Shares of my posts"
        SCHEDULED_POST = "scheduled_post", "My scheduled posts not published"

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
    # How many different people acted on the target ("Ana and 3 others"), and who they
    # were: the ids of distinct actors, so the same person reacting twice counts once.
    actor_count = models.PositiveIntegerField(default=1)
    actor_ids = models.JSONField(default=list, blank=True)
    # Plain text, escaped at display time; never HTML.
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=500, blank=True)
    target_key = models.CharField(max_length=100, blank=True)
    # The group the cause lives in, so muting a group silences its email.
    group_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # The outbox: set when the row is written, cleared by the email task once it has decided
    # (sent, or not wanted). A row still set after OUTBOX_GRACE_SECONDS was never handled (the
    # broker was down, the task was lost): notifications.sweep_outbox enqueues it again.
    email_due_at = models.DateTimeField(null=True, blank=True, default=timezone.now)

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
            models.Index(
                fields=["email_due_at"],
                name="notif_email_due",
                condition=models.Q(email_due_at__isnull=False),
            ),
            # Retention (notifications.retention): read ones past their time, oldest first.
            models.Index(
                fields=["read_at"], name="notif_read", condition=models.Q(read_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.text}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def others(self) -> int:
        """How many people besides `actor` did the same ("and 3 others")."""
        return max(self.actor_count - 1, 0)

    @property
    def summary(self) -> str:
        """The text with the others folded in: "Ana Garcia and 3 others reacted to ...".
        Reads actor.profile: load it with select_related("actor__profile")."""
        if not self.others or self.actor is None:
            return self.text
        profile = getattr(self.actor, "profile", None)
        name = getattr(profile, "display_name", "") or self.actor.username
        others = f" and {self.others} other{'s' if self.others > 1 else ''}"
        if self.text.startswith(name):
            return name + others + self.text[len(name) :]
        return f"{self.text} ({others.strip()})"


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "Email me right away"
    DIGEST = "digest", "In my digest"
    OFF = "off", "No email"


# What a person gets before they choose: the things that wait for them arrive at once,
# the things that are only nice to know wait for the digest.
DEFAULT_DELIVERY = {
    Notification.Kind.MENTION: Delivery.IMMEDIATE,
    Notification.Kind.COMMENT: Delivery.IMMEDIATE,
    Notification.Kind.REPLY: Delivery.IMMEDIATE,
    Notification.Kind.REACTION: Delivery.DIGEST,
    Notification.Kind.JOIN_REQUEST: Delivery.IMMEDIATE,
    Notification.Kind.REQUEST_APPROVED: Delivery.IMMEDIATE,
    Notification.Kind.ANNOUNCEMENT: Delivery.DIGEST,
    Notification.Kind.POST_REMOVED: Delivery.IMMEDIATE,
    Notification.Kind.COMMENT_REMOVED: Delivery.IMMEDIATE,
    Notification.Kind.INVITED: Delivery.IMMEDIATE,
    Notification.Kind.ANSWER_ACCEPTED: Delivery.DIGEST,
    Notification.Kind.QUESTION_ASSIGNED: Delivery.IMMEDIATE,
    Notification.Kind.SLA_REMINDER: Delivery.IMMEDIATE,
    Notification.Kind.POLICY: Delivery.IMMEDIATE,
    Notification.Kind.LISTENING_ALERT: Delivery.IMMEDIATE,
    Notification.Kind.CAMPAIGN: Delivery.DIGEST,
    Notification.Kind.DATA_EXPORT: Delivery.IMMEDIATE,
    Notification.Kind.PRAISE: Delivery.IMMEDIATE,
    Notification.Kind.SHARE: Delivery.DIGEST,
    Notification.Kind.SCHEDULED_POST: Delivery.IMMEDIATE,
}


class NotificationPreference(models.Model):
    """How one person wants email about one kind of notification (absent: the default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs"
    )
    kind = models.CharField(max_length=32, choices=Notification.Kind.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} -> {self.delivery}"


class EmailSettings(models.Model):
    """A person's digest rhythm and when their last digest left (absent row: weekly)."""

    class Digest(models.TextChoices):
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"
        NEVER = "never", "Never"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_settings"
    )
    digest = models.CharField(max_length=8, choices=Digest.choices, default=Digest.WEEKLY)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "email settings"

    def __str__(self) -> str:
        return f"{self.user_id}: {self.digest} digest"


class GroupMute(models.Model):
    """No email from this group (the notification center still lists what happens)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_mutes"
    )
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "group"], name="one_mute_per_group"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} muted group {self.group_id}"


class EmailDelivery(models.Model):
    """One email, claimed under a unique key before it goes to the SMTP server.

    The claim commits in state "sending" before the SMTP conversation starts and turns
    "sent" as soon as the server has accepted the message (before QUIT). A claim found still
    "sending" after EMAIL_SENDING_GRACE_SECONDS belongs to an attempt that died on the way
    (a killed worker): it is sent once more with the same Message-ID, and if that attempt
    dies too it is marked "uncertain" and left alone (README, "Sent once").
    """

    class State(models.TextChoices):
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        UNCERTAIN = "uncertain", "Uncertain (an attempt died while sending)"

    key = models.CharField(max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    subject = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=State.choices, default=State.SENDING)
    # The same for every attempt at this key, so a mail client can tell a resend apart.
    message_id = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=1)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "email deliveries"
        # Retention (notifications.retention) deletes claims by age.
        indexes = [models.Index(fields=["claimed_at"], name="email_claim_age")]

    def __str__(self) -> str:
        return self.key
