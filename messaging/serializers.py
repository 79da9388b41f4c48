"""Input and output shapes of the messages API. Output serializers read what the selectors
loaded; `body_html` is the body through the one Markdown sanitizer."""

from rest_framework import serializers

from core.api import StrictSerializer
from core.markdown import render_markdown

from .models import MAX_BODY, MAX_PARTICIPANTS


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


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    conversation = serializers.IntegerField(source="conversation_id")
    author = serializers.CharField(source="author.username", allow_null=True)
    body = serializers.SerializerMethodField()
    body_html = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    deleted = serializers.SerializerMethodField()

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


class ReadSerializer(StrictSerializer):
    message = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, help_text="Default: the newest"
    )


class ParticipantsAddSerializer(StrictSerializer):
    participants = serializers.ListField(
        child=serializers.CharField(max_length=150), min_length=1, max_length=MAX_PARTICIPANTS
    )
