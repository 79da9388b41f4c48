"""Conversations between a few people: who is in them (and since when), and what they said.

Who may read what is decided by Participant rows alone (messaging.selectors): no role, not
even an admin's, opens a conversation someone is not part of. A participant reads the
messages sent while they were in it: `first_visible_id` < id <= `last_visible_id` (None while
they are in it). So a person added later does not read what came before, and a person who
left or was removed keeps what they were sent and reads nothing after (README, "Direct
messages").
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.files import UPLOAD_EXTENSIONS, RandomName
from core.images import display_box

MAX_PARTICIPANTS = 50
MAX_BODY = 10_000


class Conversation(models.Model):
    class Kind(models.TextChoices):
        DIRECT = "direct", "One-to-one"
        GROUP = "group", "Group"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    # Group conversations only; plain text, escaped where shown.
    title = models.CharField(max_length=120, blank=True)
    # "<smaller user id>:<larger user id>" for one-to-one conversations, so a pair has one.
    pair_key = models.CharField(max_length=40, null=True, blank=True, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.title or f"Conversation {self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("messaging:conversation", args=[self.pk])


class Participant(models.Model):
    """One person in one conversation, with their read state and their window of messages."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_seats"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    # Set when they left or were removed (`removed_by` says who, if not themselves).
    left_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    first_visible_id = models.BigIntegerField(default=0)
    last_visible_id = models.BigIntegerField(null=True, blank=True)
    # The newest message they may read, and when it came: the inbox order and unread state.
    latest_message_id = models.BigIntegerField(default=0)
    latest_at = models.DateTimeField(default=timezone.now)
    last_read_id = models.BigIntegerField(default=0)
    # When their oldest unread message arrived (None: all read), and the newest message an
    # unread-message email already told them about: the email task's state.
    unread_since = models.DateTimeField(null=True, blank=True)
    emailed_through_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="one_seat_per_person"),
        ]
        indexes = [
            models.Index(fields=["user", "-latest_at", "-id"], name="inbox_keyset"),
            models.Index(
                fields=["unread_since"],
                name="seat_unread_since",
                condition=models.Q(unread_since__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.conversation_id}"

    @property
    def is_current(self) -> bool:
        return self.left_at is None

    @property
    def has_unread(self) -> bool:
        return self.latest_message_id > self.last_read_id


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Markdown source; shown only through core.markdown.render_markdown.
    body = models.TextField(max_length=MAX_BODY)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    # A deleted message keeps its row (its place in the thread) but not its text.
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["conversation", "id"], name="message_thread")]

    def __str__(self) -> str:
        return f"Message {self.pk} in {self.conversation_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


MESSAGE_FILE_FOLDER = "message-files/"
IMAGE_MAX_HEIGHT = 240  # px, as .dm-files .attachment-image img in static/css/socialhub.css


class MessageAttachment(models.Model):
    """A file sent with a message. Stored as `message-files/<year>/<month>/<random>.<ext>`
    (core.files.RandomName); served only to a participant who may read the message
    (views.attachment through selectors.get_message_attachment). Deleted with the message's
    text when its author deletes it."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=RandomName(MESSAGE_FILE_FOLDER + "%Y/%m/", UPLOAD_EXTENSIONS))
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    # An image's size in pixels, read at upload (core.images): the thread reserves its box
    # before the image arrives, so messages under it do not jump. None: not an image, or
    # not known.
    image_width = models.PositiveIntegerField(null=True, blank=True)
    image_height = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("messaging:attachment", args=[self.message_id, self.pk])

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def image_box(self) -> tuple[int, int] | None:
        """The width and height the thread gives the image: at most IMAGE_MAX_HEIGHT tall
        (core.images.display_box). None when not known."""
        return display_box(self.image_width, self.image_height, max_height=IMAGE_MAX_HEIGHT)


class MessageReaction(models.Model):
    """One person's reaction of one kind to one message (the same four as posts)."""

    class Kind(models.TextChoices):
        LIKE = "like", "Like"
        CELEBRATE = "celebrate", "Celebrate"
        INSIGHTFUL = "insightful", "Insightful"
        SUPPORT = "support", "Support"

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_reactions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "user", "kind"], name="one_message_reaction_per_kind"
            ),
        ]
        indexes = [models.Index(fields=["message", "kind"], name="message_reaction_by_kind")]

    def __str__(self) -> str:
        return f"{self.kind} on message {self.message_id}"


REACTION_EMOJI = {
    MessageReaction.Kind.LIKE: "👍",
    MessageReaction.Kind.CELEBRATE: "🎉",
    MessageReaction.Kind.INSIGHTFUL: "💡",
    MessageReaction.Kind.SUPPORT: "🤝",
}


class EmailDelay(models.IntegerChoices):
    OFF = 0, "Never"
    QUARTER = 15, "After 15 minutes"
    HOUR = 60, "After 1 hour"
    HALF_DAY = 240, "After 4 hours"


DEFAULT_EMAIL_DELAY = EmailDelay.HOUR


class MessagePreference(models.Model):
    """When a person wants an email about messages still unread (absent row: the default)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_preference"
    )
    email_delay = models.PositiveSmallIntegerField(
        choices=EmailDelay.choices, default=DEFAULT_EMAIL_DELAY
    )

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email_delay} min"
