from django import forms

from .models import MAX_BRIEF, MAX_GUIDANCE, MAX_STORY, Share


class CampaignForm(forms.Form):
    title = forms.CharField(max_length=200)
    hashtag = forms.CharField(max_length=51, help_text="Letters, digits or underscores.")
    starts_at = forms.DateTimeField(
        label="Starts", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label="Ends", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    brief = forms.CharField(
        max_length=MAX_BRIEF, widget=forms.Textarea(attrs={"rows": 8}), help_text="Markdown"
    )
    guidance = forms.CharField(
        label="What may be shared",
        max_length=MAX_GUIDANCE,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ContributionForm(forms.Form):
    text = forms.CharField(
        label="Your story", max_length=MAX_STORY, widget=forms.Textarea(attrs={"rows": 5})
    )
    image = forms.FileField(
        label="Photo (optional)",
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        ),
    )
    consent = forms.BooleanField(label="The brand may share this publicly", required=False)


class ShareForm(forms.Form):
    platform = forms.ChoiceField(choices=Share.Platform.choices)
    url = forms.CharField(label="Link to your post", max_length=500)
