"""The "New poll" form: it parses and reports field errors; services decide."""

import datetime as dt
import zoneinfo

from django import forms
from django.utils import timezone

from feeds.models import MAX_POST_LENGTH

from .models import MAX_OPTION_LENGTH, MAX_OPTIONS


class OptionsField(forms.Field):
    """The option boxes, all named "options": a list of texts (services.clean_options
    trims, drops the blank ones and checks the rest)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [str(v)[: MAX_OPTION_LENGTH * 2] for v in values[: MAX_OPTIONS * 2]]


class PollForm(forms.Form):
    group = forms.SlugField(required=False)
    question = forms.CharField(
        max_length=MAX_POST_LENGTH,
        label="Question",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Ask a question first."},
    )
    options = OptionsField(required=False, label="Options")
    multiple = forms.BooleanField(required=False, label="People may choose more than one")
    anonymous = forms.TypedChoiceField(
        label="Who voted for what",
        choices=[
            ("0", "Readers see who voted for what"),
            ("1", "Anonymous: nobody sees who voted for what, not even me"),
        ],
        coerce=lambda v: v == "1",
        required=False,
        empty_value=False,
        initial="0",
        widget=forms.RadioSelect,
    )
    closes_at = forms.DateTimeField(
        required=False,
        label="Closes",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="Optional. In your time zone; leave empty to close it yourself.",
    )

    def __init__(self, *args, time_zone: str = "UTC", **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone

    def clean_closes_at(self):
        value = self.cleaned_data.get("closes_at")
        if value is None:
            return None
        try:
            zone = zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = dt.UTC
        naive = timezone.make_naive(value) if timezone.is_aware(value) else value
        return naive.replace(tzinfo=zone)


class VoteForm(forms.Form):
    option = forms.TypedMultipleChoiceField(coerce=int, choices=())

    def __init__(self, *args, poll, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option"].choices = [(o.pk, o.text) for o in poll.options.all()]
        self.fields["option"].error_messages = {
            "required": "Choose an option.",
            "invalid_choice": "Choose options of this poll.",
        }
