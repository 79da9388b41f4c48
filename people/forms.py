import re

from django import forms
from django.conf import settings

from . import selectors
from .models import TIMEZONE_CHOICES, WEEKDAYS, Department, Profile

# A person picked from a name list reads "Ana García (@ana.garcia)": the username is in brackets.
PICKED = re.compile(r"\(@([\w.@+-]+)\)$")


def named(profile: Profile) -> str:
    """How a person picker shows someone: name, then username (namesakes exist)."""
    return f"{profile.display_name} (@{profile.user.username})"


class ProfileForm(forms.Form):
    """Edit my profile. Validation of meaning (manager cycles, avatar content) lives in the
    service; this form parses and reports field errors."""

    display_name = forms.CharField(max_length=120, label="Name")
    title = forms.CharField(max_length=120, required=False, label="Job title")
    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("name"), required=False, empty_label="—"
    )
    manager = forms.CharField(
        required=False,
        max_length=150,
        label="Manager",
        help_text="Start typing their name and pick them from the list.",
        widget=forms.TextInput(attrs={"list": "manager-options", "autocomplete": "off"}),
    )
    location = forms.CharField(max_length=120, required=False)
    timezone = forms.ChoiceField(choices=TIMEZONE_CHOICES)
    work_start = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    work_end = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    working_days = forms.MultipleChoiceField(choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple)
    out_of_office_until = forms.DateField(
        required=False,
        label="Out of office until",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    skills = forms.CharField(
        required=False,
        max_length=2000,
        help_text="Separate with commas: what colleagues and customer questions can ask you about.",
    )
    ask_me_about = forms.CharField(max_length=300, required=False, label="Ask me about")
    bio = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown: **bold**, _italic_, [links](https://example.com), lists.",
    )
    # Checked by services.make_avatar (format, bytes, pixels), which says what is wrong: a
    # forms.ImageField would answer a photo of too many pixels with "not an image".
    avatar = forms.FileField(
        required=False,
        label="Upload a new photo",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
        ),
    )
    clear_avatar = forms.BooleanField(required=False, label="Remove my photo")

    def __init__(self, *args, profile: Profile, **kwargs):
        self.profile = profile
        initial = {
            "display_name": profile.display_name,
            "title": profile.title,
            "department": profile.department_id,
            "manager": named(profile.manager) if profile.manager_id else "",
            "location": profile.location,
            "timezone": profile.timezone,
            "work_start": profile.work_start,
            "work_end": profile.work_end,
            "working_days": list(profile.working_days),
            "out_of_office_until": profile.out_of_office_until,
            "skills": ", ".join(s.name for s in profile.skill_tags),
            "ask_me_about": profile.ask_me_about,
            "bio": profile.bio,
        }
        super().__init__(*args, initial=initial, **kwargs)
        limit_mb = settings.AVATAR_MAX_BYTES // (1024 * 1024)
        self.fields["avatar"].help_text = f"JPEG, PNG, GIF or WebP, up to {limit_mb} MB."
        self.fields["avatar"].widget.attrs["accept"] = "image/jpeg,image/png,image/gif,image/webp"

    def clean_manager(self):
        text = self.cleaned_data["manager"].strip()
        if not text:
            return None
        picked = PICKED.search(text)
        username = picked.group(1) if picked else text.removeprefix("@")
        manager = selectors.active_profile_named(username)
        if manager is None:
            raise forms.ValidationError(
                f"Nobody here is called “{text}”: pick them from the list as you type their name."
            )
        return manager

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar and avatar.size > settings.AVATAR_MAX_BYTES:
            raise forms.ValidationError(
                f"That image is {avatar.size / 1048576:.1f} MB; the limit is "
                f"{settings.AVATAR_MAX_BYTES / 1048576:.0f} MB."
            )
        return avatar


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Name or title")
    department = forms.SlugField(required=False)
    skill = forms.SlugField(required=False)
    cursor = forms.CharField(required=False, max_length=500)
