"""Input and output shapes of the polls API. Output reads what the selectors loaded: an
anonymous poll's output has tallies and the reader's own "voted" only."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import StrictSerializer
from feeds.models import MAX_POST_LENGTH

from .models import MAX_OPTION_LENGTH, MAX_OPTIONS, MIN_OPTIONS


class OptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    votes = serializers.IntegerField(source="vote_count")
    percent = serializers.IntegerField(help_text="Share of the voters, in whole percent")


class PollSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    post = serializers.IntegerField(source="post_id")
    group = serializers.CharField(source="post.group.slug")
    question_html = serializers.CharField(source="post.body_html")
    multiple = serializers.BooleanField()
    anonymous = serializers.BooleanField(source="is_anonymous")
    closes_at = serializers.DateTimeField(allow_null=True)
    closed = serializers.SerializerMethodField()
    voters = serializers.IntegerField(source="voter_count")
    options = OptionSerializer(many=True, source="options.all")
    voted = serializers.BooleanField(help_text="I have voted")
    my_choices = serializers.SerializerMethodField(
        help_text="The option ids I chose: a visible poll's only (an anonymous one keeps none)"
    )
    can_vote = serializers.BooleanField(help_text="Open, and not an anonymous poll I voted in")

    def get_closed(self, poll) -> bool:
        return not poll.is_open()

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_my_choices(self, poll) -> list[int]:
        return sorted(poll.my_choices)


class PollCreateSerializer(StrictSerializer):
    group = serializers.SlugField(max_length=100)
    question = serializers.CharField(max_length=MAX_POST_LENGTH, trim_whitespace=False)
    options = serializers.ListField(
        child=serializers.CharField(max_length=MAX_OPTION_LENGTH, allow_blank=True),
        min_length=MIN_OPTIONS,
        max_length=MAX_OPTIONS,
    )
    multiple = serializers.BooleanField(default=False)
    anonymous = serializers.BooleanField(
        default=False, help_text="Nobody, the author included, sees who voted for what"
    )
    closes_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class VoteSerializer(StrictSerializer):
    options = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62),
        min_length=1,
        max_length=MAX_OPTIONS,
        help_text="The chosen option ids (one for a single-choice poll)",
    )


class VoterSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField(source="profile.display_name")
    active = serializers.BooleanField(source="is_active")


class OptionVotersSerializer(serializers.Serializer):
    option = serializers.IntegerField(source="option.pk")
    text = serializers.CharField(source="option.text")
    voters = VoterSerializer(many=True, help_text="The first page, by name")
    next = serializers.URLField(
        allow_null=True, help_text="The option's next page of voters (null: no more)"
    )
