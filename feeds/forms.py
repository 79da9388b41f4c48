"""Forms of the feed pages: they parse and report field errors; services decide."""

from django import forms
from django.urls import reverse_lazy

from .models import MAX_COMMENT_LENGTH, MAX_POST_LENGTH, Post, Reaction


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class PostForm(forms.Form):
    body = forms.CharField(
        max_length=MAX_POST_LENGTH,
        label="Write a post",
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "placeholder": (
                    "Share an update, ask a question… Markdown, @mentions and #topics work."
                ),
                "data-mention-target": "",
            }
        ),
        error_messages={"required": "Write something first."},
    )
    kind = forms.ChoiceField(choices=Post.Kind.choices, initial=Post.Kind.UPDATE, label="Kind")
    attachments = MultipleFileField(required=False, label="Attach files")
    group = forms.SlugField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, can_announce: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_announce:
            self.fields["kind"].choices = [
                c for c in Post.Kind.choices if c[0] != Post.Kind.ANNOUNCEMENT
            ]
        self.fields["body"].error_messages["max_length"] = (
            f"Keep it under {MAX_POST_LENGTH:,} characters."
        )


class EditPostForm(forms.Form):
    body = forms.CharField(
        max_length=MAX_POST_LENGTH,
        label="Text",
        widget=forms.Textarea(
            attrs={
                "rows": 10,
                "data-draft": "",
                "data-suggest-people": reverse_lazy("people:suggest"),
                "data-suggest-topics": reverse_lazy("feeds:suggest-topics"),
            }
        ),
        error_messages={"required": "Write something first."},
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        max_length=MAX_COMMENT_LENGTH,
        label="Write a comment",
        widget=forms.Textarea(attrs={"rows": 1, "placeholder": "Write a comment…"}),
        error_messages={"required": "Write something first."},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    view = forms.ChoiceField(
        choices=[("card", "card"), ("page", "page")], required=False, widget=forms.HiddenInput
    )


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(choices=Reaction.Kind.choices)


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=500, error_messages={"required": "Give a reason."})


class ToggleForm(forms.Form):
    """on=1 to switch something on (follow, pin, close), on=0 to switch it off."""

    on = forms.TypedChoiceField(choices=[("1", "on"), ("0", "off")], coerce=lambda v: v == "1")


class AcceptForm(forms.Form):
    comment = forms.IntegerField(required=False)


class CursorForm(forms.Form):
    cursor = forms.CharField(required=False, max_length=500)
