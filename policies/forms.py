"""Forms of the policy pages: they parse and report field errors; services decide."""

from django import forms

from people.selectors import all_departments

from .models import BrandAccount, PolicySettings
from .services import QUIZ_FORMAT_HELP


class VersionForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Give the policy a title."})
    body = forms.CharField(
        max_length=50_000,
        label="Policy text (Markdown)",
        widget=forms.Textarea(attrs={"rows": 18}),
        error_messages={"required": "The policy is empty: write its text."},
    )
    change_note = forms.CharField(
        required=False, max_length=500, label="What changed (shown to readers)"
    )
    requires_recertification = forms.BooleanField(
        required=False, label="Requires re-certification: publishing ends every certification"
    )


class QuizForm(forms.Form):
    pass_mark = forms.IntegerField(
        label="Pass mark (%)",
        min_value=1,
        max_value=100,
        error_messages={
            "min_value": "The pass mark is a percentage from 1 to 100.",
            "max_value": "The pass mark is a percentage from 1 to 100.",
        },
    )
    questions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=QUIZ_FORMAT_HELP,
        error_messages={"required": "Add at least one question."},
    )


class SettingsForm(forms.Form):
    acknowledgement_gate = forms.ChoiceField(
        choices=PolicySettings.Gate.choices, widget=forms.RadioSelect, label="Acknowledgement gate"
    )
    engagement_model = forms.ChoiceField(
        choices=PolicySettings.Engagement.choices,
        widget=forms.RadioSelect,
        label="Who may reply to customers publicly",
    )
    designated_departments = forms.ModelMultipleChoiceField(
        queryset=all_departments(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Designated departments (empowered units)",
    )
    reminder_days = forms.IntegerField(
        min_value=1, max_value=365, label="Remind people who have not acknowledged after (days)"
    )
    ownership_statement = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), label="Ownership statement"
    )


class AccountForm(forms.Form):
    platform = forms.ChoiceField(choices=BrandAccount.Platform.choices)
    handle = forms.CharField(max_length=100)
    url = forms.URLField(max_length=300, label="Web address", assume_scheme="https")
    department = forms.ModelChoiceField(queryset=all_departments(), label="Owning department")
    description = forms.CharField(required=False, max_length=300)


class PersonForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        widget=forms.TextInput(
            attrs={"list": "people-options", "autocomplete": "off", "placeholder": "Username"}
        ),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(required=False, max_length=300)


class OffboardForm(forms.Form):
    """People pickers send usernames; a name typed without picking works when unique."""

    username = forms.CharField(max_length=150, label="Employee who leaves")
    handover_to = forms.CharField(max_length=150, label="Colleague who takes over their accounts")
    # Set by the confirmation step's button: the first POST only shows what will happen.
    confirm = forms.BooleanField(required=False)


class ReportForm(forms.Form):
    version = forms.IntegerField(required=False, min_value=1)
    department = forms.CharField(required=False, max_length=100)
