"""Forms of the knowledge pages: they parse and report field errors; services decide."""

from django import forms

from .models import MAX_BODY, MAX_TITLE


class EntryForm(forms.Form):
    title = forms.CharField(
        max_length=MAX_TITLE,
        label="The question, as anyone could ask it",
        help_text="Rewrite the customer's question as a general one.",
    )
    body = forms.CharField(
        max_length=MAX_BODY,
        label="The answer",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Markdown. Names, handles, emails, phone and order numbers and links "
        "from the customer are taken out before anything is kept.",
    )
    topics = forms.CharField(
        required=False,
        max_length=600,
        label="Topics",
        help_text="A few words, separated by commas: billing, refunds.",
    )
    note = forms.CharField(
        required=False, max_length=300, label="What changed", help_text="For the history."
    )


class ListFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200)
    department = forms.SlugField(required=False, max_length=100)
    topic = forms.CharField(required=False, max_length=51)


class StateForm(forms.Form):
    state = forms.ChoiceField(
        choices=[("published", "published"), ("outdated", "outdated"), ("retired", "retired")]
    )


class ReuseForm(forms.Form):
    question = forms.IntegerField(min_value=1, max_value=2_147_483_647)
    into = forms.ChoiceField(choices=[("answer", "answer"), ("reply", "reply")])
