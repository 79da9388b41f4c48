"""The event form ("New event", "Edit event"): it parses and reports field errors; the
services decide. Times are typed in the event's time zone."""

import zoneinfo

from django import forms

from feeds.models import MAX_POST_LENGTH
from people.models import TIMEZONE_CHOICES

from .models import MAX_LOCATION, MAX_TITLE, MAX_URL, Rsvp

LOCAL = {"type": "datetime-local"}
FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class EventForm(forms.Form):
    group = forms.SlugField(required=False)
    title = forms.CharField(max_length=MAX_TITLE, label="Title")
    starts_at = forms.DateTimeField(
        label="Starts", input_formats=FORMATS, widget=forms.DateTimeInput(LOCAL, "%Y-%m-%dT%H:%M")
    )
    ends_at = forms.DateTimeField(
        label="Ends", input_formats=FORMATS, widget=forms.DateTimeInput(LOCAL, "%Y-%m-%dT%H:%M")
    )
    time_zone = forms.ChoiceField(label="Time zone", choices=TIMEZONE_CHOICES)
    location = forms.CharField(
        max_length=MAX_LOCATION, required=False, label="Place", help_text="A room, an address."
    )
    online_url = forms.CharField(
        max_length=MAX_URL,
        required=False,
        label="Online link",
        help_text="A meeting link starting with https://.",
        widget=forms.URLInput,
    )
    description = forms.CharField(
        max_length=MAX_POST_LENGTH,
        required=False,
        label="Description",
        help_text="Markdown, @mentions and #topics work. Shown as the post's text.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        data = super().clean()
        zone_name = data.get("time_zone")
        if zone_name:
            zone = zoneinfo.ZoneInfo(zone_name)
            for name in ("starts_at", "ends_at"):
                value = data.get(name)
                if value is not None:
                    data[name] = value.replace(tzinfo=None).replace(tzinfo=zone)
        return data


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=Rsvp.Answer.choices)
