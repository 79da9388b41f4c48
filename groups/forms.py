"""Forms of the group pages: they parse and report field errors; services decide."""

from django import forms

from .models import AuditEntry, Group, Membership


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Search groups")
    kind = forms.ChoiceField(choices=[("", "All kinds"), *Group.Kind.choices], required=False)
    cursor = forms.CharField(required=False, max_length=500)


class GroupForm(forms.Form):
    name = forms.CharField(max_length=120, error_messages={"required": "Give the group a name."})
    description = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    privacy = forms.ChoiceField(
        choices=Group.Privacy.choices, initial=Group.Privacy.PUBLIC, widget=forms.RadioSelect
    )


class GroupEditForm(forms.Form):
    """A leader edits the group; the service checks the values again and decides."""

    name = forms.CharField(max_length=120, error_messages={"required": "Give the group a name."})
    description = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    privacy = forms.ChoiceField(choices=Group.Privacy.choices, widget=forms.RadioSelect)
    posting = forms.ChoiceField(
        choices=Group.Posting.choices, widget=forms.RadioSelect, label="Who may start posts"
    )
    cover = forms.FileField(
        required=False,
        label="Cover picture",
        help_text="JPEG, PNG, GIF or WebP; shown 1200×300, cropped from the middle.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
        ),
    )
    remove_cover = forms.BooleanField(required=False, label="Remove the cover picture")


class JoinForm(forms.Form):
    message = forms.CharField(
        required=False,
        max_length=500,
        label="Message to the leaders (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        choices=[("1", "approve"), ("0", "deny")], coerce=lambda v: v == "1"
    )


class ReportDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("remove", "remove"), ("dismiss", "dismiss")])
    reason = forms.CharField(required=False, max_length=500)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "remove" and not data.get("reason", "").strip():
            self.add_error("reason", "Tell the author why it is removed.")
        return data


class MuteForm(forms.Form):
    days = forms.IntegerField(min_value=0, max_value=365, label="Days (0 unmutes)")
    reason = forms.CharField(required=False, max_length=500)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)


class InviteForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        label="Add a member",
        widget=forms.TextInput(
            attrs={"list": "invite-options", "autocomplete": "off", "placeholder": "Username"}
        ),
    )


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("", "All actions"), *AuditEntry.Action.choices], required=False
    )
    actor = forms.CharField(required=False, max_length=150, label="By (username)")
    cursor = forms.CharField(required=False, max_length=500)
