"""Forms of the crisis and social pages: they parse and report field errors; services decide."""

from django import forms

from people.selectors import all_departments

from .models import CrisisRole, Severity


class PlaybookForm(forms.Form):
    title = forms.CharField(
        max_length=200, error_messages={"required": "Give the playbook a title."}
    )
    body = forms.CharField(
        max_length=50_000,
        label="Playbook (Markdown)",
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text="Roles, contact tree, and under “## Holding statements” one “### Scenario” "
        "heading per statement: the reply form offers them during a crisis.",
        error_messages={"required": "The playbook is empty: write its text."},
    )
    change_note = forms.CharField(
        required=False, max_length=500, label="What changed (shown to readers)"
    )


class IncidentForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Name the incident."})
    severity = forms.ChoiceField(choices=Severity.choices, initial=Severity.HIGH)
    summary = forms.CharField(
        max_length=5_000,
        label="Summary (Markdown)",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what is happening."},
    )
    departments = forms.ModelMultipleChoiceField(
        queryset=all_departments(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Linked departments (none: the whole company)",
    )
    second_approval = forms.BooleanField(
        required=False, label="In crisis mode, a second social team member approves each reply"
    )
    alert = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    @classmethod
    def from_alert(cls, alert) -> "IncidentForm":
        """The form filled in from a listening alert: its title, severity, department and
        what the scan saw, for the social team to correct before declaring."""
        seen = (
            f"{alert.observed} questions in {alert.window_minutes} minutes, "
            f"{alert.expected:.1f} expected."
            if alert.window_minutes
            else f"{alert.match_count or alert.observed} matching questions."
        )
        return cls(
            initial={
                "title": alert.title,
                "severity": alert.severity,
                "summary": f"Declared from the listening alert “{alert.title}”: {seen}",
                "departments": [alert.department_id] if alert.department_id else [],
                "alert": alert.pk,
            }
        )


class NoteForm(forms.Form):
    text = forms.CharField(
        max_length=5_000,
        label="Note",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the note."},
    )


class CloseForm(forms.Form):
    resolution = forms.CharField(
        required=False,
        max_length=5_000,
        label="Resolution (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnnouncementForm(forms.Form):
    body = forms.CharField(
        max_length=5_000,
        label="Announcement to All company (pinned)",
        widget=forms.Textarea(attrs={"rows": 4}),
        initial="Please don't comment publicly on this. Send any question you receive to the "
        "social media team.",
        error_messages={"required": "Write the announcement."},
    )


class CrisisRoleForm(forms.Form):
    username = forms.CharField(max_length=150)
    role = forms.ChoiceField(choices=CrisisRole.Role.choices)


class MentorForm(forms.Form):
    username = forms.CharField(max_length=150)
    department = forms.ModelChoiceField(queryset=all_departments(), to_field_name="slug")


class BrandPostForm(forms.Form):
    account = forms.IntegerField(widget=forms.Select)
    text = forms.CharField(
        max_length=5_000, widget=forms.Textarea(attrs={"rows": 3}), label="What was posted"
    )
    url = forms.URLField(
        required=False, max_length=300, label="Link to the post", assume_scheme="https"
    )
