"""Forms of the feed pages: they parse and report field errors; services decide."""

from django import forms
from django.urls import reverse_lazy

from .models import (
    MAX_COMMENT_LENGTH,
    MAX_POST_LENGTH,
    WRITABLE_POST_KINDS,
    Badge,
    Post,
    Reaction,
)


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
    # "Save draft" and "Schedule" (with publish_at) keep the text on the server instead.
    action = forms.ChoiceField(
        choices=[("post", "post"), ("draft", "draft"), ("schedule", "schedule")],
        required=False,
    )
    publish_at = forms.DateTimeField(
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        error_messages={"invalid": "Give a date and time."},
    )

    def __init__(self, *args, can_announce: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = list(WRITABLE_POST_KINDS)
        if not can_announce:
            kinds = [c for c in kinds if c[0] != Post.Kind.ANNOUNCEMENT]
        self.fields["kind"].choices = kinds
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


class ShareForm(forms.Form):
    group = forms.SlugField(max_length=140, error_messages={"required": "Choose a group."})
    body = forms.CharField(
        max_length=MAX_POST_LENGTH,
        required=False,
        label="Add a comment (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DraftForm(forms.Form):
    """The draft page: text, where, kind, and when to publish it (empty: not scheduled)."""

    body = forms.CharField(
        max_length=MAX_POST_LENGTH,
        label="Text",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Write something first."},
    )
    group = forms.SlugField(max_length=140, required=False)
    kind = forms.ChoiceField(
        choices=WRITABLE_POST_KINDS,
        initial=Post.Kind.UPDATE,
    )
    publish_at = forms.DateTimeField(
        required=False,
        label="Publish at",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        error_messages={"invalid": "Give a date and time."},
    )


class PraiseForm(forms.Form):
    group = forms.SlugField(max_length=140, error_messages={"required": "Choose a group."})
    people = forms.CharField(
        max_length=2000,
        label="Who",
        error_messages={"required": "Name the people you praise (@name)."},
    )
    badge = forms.ChoiceField(
        choices=Badge.choices, error_messages={"required": "Choose one of the badges."}
    )
    body = forms.CharField(
        max_length=MAX_POST_LENGTH,
        label="What for",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what you thank them for."},
    )
