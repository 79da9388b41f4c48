from django import forms

from .models import MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH, MAX_NOTE_LENGTH
from .selectors import SORT_LABELS


class LibraryFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Search file names")
    sort = forms.ChoiceField(
        required=False, choices=list(SORT_LABELS.items()), label="Sort by", initial="date"
    )
    cursor = forms.CharField(required=False, max_length=500)


class UploadForm(forms.Form):
    file = forms.FileField(required=False, label="File")
    name = forms.CharField(
        required=False,
        max_length=MAX_NAME_LENGTH,
        label="Name",
        help_text="Leave empty to keep the file's own name.",
    )
    description = forms.CharField(
        required=False,
        max_length=MAX_DESCRIPTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Description",
    )


class VersionForm(forms.Form):
    file = forms.FileField(required=False, label="New version")
    note = forms.CharField(
        required=False, max_length=MAX_NOTE_LENGTH, label="What changed", help_text="Optional."
    )
