"""Forms of the notification pages: they parse and report field errors; services decide."""

from django import forms

from .models import Delivery, EmailSettings, Notification


class PreferencesForm(forms.Form):
    """One choice per kind of notification, and the digest's rhythm."""

    digest = forms.ChoiceField(
        choices=EmailSettings.Digest.choices, label="Digest email", widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Notification.Kind.choices:
            self.fields[kind] = forms.ChoiceField(choices=Delivery.choices, label=label)

    def kind_fields(self):
        return [self[kind] for kind in Notification.Kind.values]

    def deliveries(self) -> dict[str, str]:
        return {kind: self.cleaned_data[kind] for kind in Notification.Kind.values}


class CursorForm(forms.Form):
    cursor = forms.CharField(required=False, max_length=500)
    unread = forms.BooleanField(required=False)
