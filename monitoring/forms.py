from django import forms

from routing.models import Channel

from .models import Severity


class RuleForm(forms.Form):
    """The page's rule form; the service validates the terms (monitoring.terms)."""

    name = forms.CharField(max_length=100)
    terms = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        help_text="One term or phrase per line (or separated by commas). Whole words; "
        "capitals and accents do not matter.",
    )
    department = forms.ChoiceField(required=False)
    channel = forms.ChoiceField(choices=[("", "Every channel"), *Channel.choices], required=False)
    severity = forms.ChoiceField(choices=Severity.choices, initial=Severity.MEDIUM)

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "Every department")] + [
            (d.slug, d.name) for d in departments
        ]
