"""Input and output shapes of the messages API. Output serializers read what the selectors
loaded; `body_html` is the body through the one Markdown sanitizer."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import StrictSerializer
from core.markdown import render_markdown

from .models import MAX_BODY, MAX_PARTICIPANTS, MessageReaction


class PersonSerializer(serializers.Serializer):
    username = serializers.CharField(source="user.username")
    display_name = serializers.CharField(source="user.profile.display_name")
    active = serializers.BooleanField(source="user.is_active")
    last_read = serializers.IntegerField(source="last_read_id")


class ConversationSerializer(serializers.Serializer):
    """A conversation as one participant sees it (an inbox row)."""

    id = serializers.IntegerField(source="conversation_id")
    kind = serializers.CharField(source="conversation.kind")
    title = serializers.CharField(source="display_title")
    people = PersonSerializer(many=True, source="others")
    unread = serializers.IntegerField()
    latest_at = serializers.DateTimeField()
    left = serializers.SerializerMethodField(help_text="I left or was removed")

    def get_left(self, seat) -> bool:
        return seat.left_at is not None


class MessageAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="The uploader's name for it (plain text)")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.CharField(source="get_absolute_url")


class MessageReactionCountSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MessageReaction.Kind.choices)
    count = serializers.IntegerField()
    mine = serializers.BooleanField()


class MessageSerializer(serializers.Serializer):
    """A message; `attachments` and `reactions` need selectors.thread() and
    selectors.decorate() to have loaded them."""

    id = serializers.IntegerField()
    conversation = serializers.IntegerField(source="conversation_id")
    author = serializers.CharField(source="author.username", allow_null=True)
    body = serializers.SerializerMethodField()
    body_html = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    deleted = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    reactions = serializers.SerializerMethodField()

    @extend_schema_field(MessageAttachmentSerializer(many=True))
    def get_attachments(self, message) -> list:
        if message.is_deleted:
            return []
        return MessageAttachmentSerializer(message.attachments.all(), many=True).data

    @extend_schema_field(MessageReactionCountSerializer(many=True))
    def get_reactions(self, message) -> list:
        return [
            {"kind": kind, "count": count, "mine": mine}
            for kind, _emoji, _label, count, mine in getattr(message, "reaction_buttons", [])
            if count
        ]

    def get_body(self, message) -> str:
        return "" if message.is_deleted else message.body

    def get_body_html(self, message) -> str:
        return "" if message.is_deleted else render_markdown(message.body)

    def get_deleted(self, message) -> bool:
        return message.is_deleted


class ConversationCreateSerializer(StrictSerializer):
    participants = serializers.ListField(
        child=serializers.CharField(max_length=150),
        min_length=1,
        max_length=MAX_PARTICIPANTS - 1,
        help_text="Usernames. One person: your one-to-one conversation (reused).",
    )
    title = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class MessageCreateSerializer(StrictSerializer):
    body = serializers.CharField(max_length=MAX_BODY, trim_whitespace=True)


class MessageSendSerializer(StrictSerializer):
    body = serializers.CharField(
        max_length=MAX_BODY,
        trim_whitespace=True,
        required=False,
        allow_blank=True,
        default="",
        help_text="Markdown; may be empty when files are attached",
    )
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        max_length=5,
        help_text="Files (multipart/form-data): images, PDF, text, CSV, Office; 10 MB each",
    )


class MessageReactionSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=MessageReaction.Kind.choices)


class ReadSerializer(StrictSerializer):
    message = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, help_text="Default: the newest"
    )


class ParticipantsAddSerializer(StrictSerializer):
    participants = serializers.ListField(
        child=serializers.CharField(max_length=150), min_length=1, max_length=MAX_PARTICIPANTS
    )
