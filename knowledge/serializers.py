"""Input and output shapes of the knowledge API. Nothing here reads a question's customer
columns: an entry carries its (scrubbed) text and the question's id only."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import StrictSerializer
from people.serializers import DepartmentRefSerializer

from .models import MAX_BODY, MAX_TITLE, State


class KnowledgeExpertSerializer(serializers.Serializer):
    username = serializers.CharField(source="user.username")
    display_name = serializers.CharField()


class KnowledgeEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField(source="get_absolute_url")
    title = serializers.CharField()
    body = serializers.CharField(help_text="Markdown, without the customer")
    body_html = serializers.CharField(help_text="The body through the one sanitizer")
    state = serializers.ChoiceField(choices=State.choices)
    department = DepartmentRefSerializer(allow_null=True)
    topics = serializers.SerializerMethodField()
    expert = serializers.SerializerMethodField()
    question = serializers.IntegerField(source="question_id", allow_null=True)
    reuse_count = serializers.IntegerField()
    removed = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="What the scrubber took out of the text when it was last saved, per kind "
        "(name, handle, email, link, number, signature): counts, never the values",
    )
    published_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()

    def get_topics(self, entry) -> list[str]:
        return [t.name for t in entry.topics.all()]

    @extend_schema_field(KnowledgeExpertSerializer(allow_null=True))
    def get_expert(self, entry) -> dict | None:
        if entry.expert_id is None:
            return None
        return KnowledgeExpertSerializer(entry.expert.profile).data


class KnowledgeEntryCreateSerializer(StrictSerializer):
    question = serializers.IntegerField(min_value=1, max_value=2_147_483_647)
    title = serializers.CharField(max_length=MAX_TITLE * 5, trim_whitespace=False)
    body = serializers.CharField(max_length=MAX_BODY * 2, trim_whitespace=False)
    topics = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=50, required=False
    )


class KnowledgeEntryUpdateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=MAX_TITLE * 5, trim_whitespace=False, required=False)
    body = serializers.CharField(max_length=MAX_BODY * 2, trim_whitespace=False, required=False)
    topics = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=50, required=False
    )
    note = serializers.CharField(max_length=1000, allow_blank=True, required=False)
    state = serializers.ChoiceField(
        choices=[("published", "published"), ("outdated", "outdated"), ("retired", "retired")],
        required=False,
    )


class KnowledgeDraftSerializer(KnowledgeEntrySerializer):
    summary = serializers.ListField(
        child=serializers.CharField(),
        help_text='What was taken out, in words ("an email address")',
    )


class KnowledgeRevisionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    note = serializers.CharField()
    edited_by = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_edited_by(self, revision) -> str | None:
        return revision.edited_by.username if revision.edited_by_id else None


class KnowledgeSuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    text = serializers.CharField(help_text="What to start from, without any customer")
    url = serializers.CharField()
    score = serializers.FloatField(help_text="Cosine similarity, 0 to 1")
    reuse_count = serializers.IntegerField()
    outdated = serializers.BooleanField()


class SimilarKnowledgeSerializer(serializers.Serializer):
    entries = KnowledgeSuggestionSerializer(many=True)
    questions = KnowledgeSuggestionSerializer(many=True)
