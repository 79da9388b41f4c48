"""Input and output shapes of the events API."""

from rest_framework import serializers

from core.api import StrictSerializer
from feeds.models import MAX_POST_LENGTH

from .models import MAX_LOCATION, MAX_TITLE, MAX_URL, Rsvp


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    post = serializers.IntegerField(source="post_id")
    group = serializers.CharField(source="post.group.slug")
    organiser = serializers.CharField(source="post.author.username")
    title = serializers.CharField()
    description_html = serializers.CharField(source="post.body_html")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    time_zone = serializers.CharField()
    location = serializers.CharField()
    online_url = serializers.CharField()
    cancelled = serializers.BooleanField(source="is_cancelled")
    going = serializers.IntegerField(source="going_count")
    maybe = serializers.IntegerField(source="maybe_count")
    declined = serializers.IntegerField(source="declined_count")
    my_answer = serializers.CharField(help_text='going, maybe, declined, or "" (no answer)')
    ics_url = serializers.SerializerMethodField()

    def get_ics_url(self, event) -> str:
        from django.urls import reverse

        return reverse("agenda:ics", args=[event.pk])


class EventCreateSerializer(StrictSerializer):
    group = serializers.SlugField(max_length=100)
    title = serializers.CharField(max_length=MAX_TITLE)
    description = serializers.CharField(max_length=MAX_POST_LENGTH, required=False, default="")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    time_zone = serializers.CharField(max_length=64, default="UTC", help_text="An IANA name")
    location = serializers.CharField(
        max_length=MAX_LOCATION, required=False, default="", allow_blank=True
    )
    online_url = serializers.CharField(
        max_length=MAX_URL, required=False, default="", allow_blank=True
    )


class EventUpdateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=MAX_TITLE, required=False)
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)
    time_zone = serializers.CharField(max_length=64, required=False)
    location = serializers.CharField(max_length=MAX_LOCATION, required=False, allow_blank=True)
    online_url = serializers.CharField(max_length=MAX_URL, required=False, allow_blank=True)


class AnswerSerializer(StrictSerializer):
    answer = serializers.ChoiceField(choices=Rsvp.Answer.choices)


class AttendeeSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField(source="profile.display_name")


class AttendeesNextSerializer(serializers.Serializer):
    going = serializers.URLField(allow_null=True)
    maybe = serializers.URLField(allow_null=True)
    declined = serializers.URLField(allow_null=True)


class AttendeesSerializer(serializers.Serializer):
    going = AttendeeSerializer(many=True, help_text="The first page, by name")
    maybe = AttendeeSerializer(many=True, help_text="The first page, by name")
    declined = AttendeeSerializer(many=True, help_text="The first page, by name")
    next = AttendeesNextSerializer(help_text="Each answer's next page (null: no more)")


class CalendarFeedSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="Signed; a new one (reset) revokes it")
