"""Forms of the question pages: they parse and report field errors; services decide."""

from django import forms

from people.selectors import all_departments

from .models import Channel, InsightTag, Priority, Status

TEXT_LIMIT = 10_000


class QuestionForm(forms.Form):
    """The social team's web form for a question that came in by phone, email or a DM."""

    channel = forms.ChoiceField(choices=Channel.choices, initial=Channel.TWITTER)
    priority = forms.ChoiceField(choices=Priority.choices, initial=Priority.NORMAL)
    text = forms.CharField(
        max_length=TEXT_LIMIT,
        label="The customer's question",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Paste the customer's question."},
    )
    customer_name = forms.CharField(required=False, max_length=200, label="Customer name")
    customer_handle = forms.CharField(required=False, max_length=200, label="Handle")
    customer_email = forms.EmailField(required=False, max_length=254, label="Email")
    external_id = forms.CharField(
        required=False,
        max_length=200,
        label="Id on the channel",
        help_text="The post or message id: the same id twice is one question.",
    )
    external_url = forms.URLField(
        required=False, max_length=500, label="Link to the original", assume_scheme="https"
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=(
            "Columns: channel, external_id, text, and optionally external_url, customer_name, "
            "customer_handle, customer_email, priority, received_at (ISO 8601)."
        ),
    )


def _choices(choices, anything: str):
    return [("", anything), *choices]


class InboxFilterForm(forms.Form):
    """The inbox's tab, filters and search (all optional; the API takes the same names)."""

    view = forms.CharField(required=False, max_length=20)
    cursor = forms.CharField(required=False, max_length=500)
    channel = forms.ChoiceField(required=False, choices=_choices(Channel.choices, "Any channel"))
    priority = forms.ChoiceField(required=False, choices=_choices(Priority.choices, "Any priority"))
    department = forms.CharField(required=False, max_length=100)
    status = forms.ChoiceField(required=False, choices=_choices(Status.choices, "Any status"))
    tag = forms.ChoiceField(required=False, choices=_choices(InsightTag.Tag.choices, "Any tag"))
    q = forms.CharField(required=False, max_length=200, strip=True)

    def clean_department(self):
        slug = self.cleaned_data["department"]
        if slug and slug != "none" and not all_departments().filter(slug=slug).exists():
            raise forms.ValidationError("No department has this slug.")
        return slug

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].replace("\x00", "").split())

    def filters(self):
        from .selectors import InboxFilters

        data = self.cleaned_data
        return InboxFilters(
            **{k: data[k] for k in ("channel", "priority", "department", "status", "tag", "q")}
        )


class BulkForm(forms.Form):
    """The inbox's bulk bar: an action on the questions ticked."""

    questions = forms.TypedMultipleChoiceField(
        coerce=int, error_messages={"required": "Tick at least one question."}
    )
    action = forms.ChoiceField(
        choices=[
            ("assign", "Assign to…"),
            ("tag", "Tag as…"),
            ("close", "Close"),
            ("spam", "Close as spam"),
        ],
        error_messages={"required": "Choose what to do."},
    )
    expert = forms.CharField(required=False, max_length=150)
    tag = forms.ChoiceField(required=False, choices=_choices(InsightTag.Tag.choices, "Tag…"))
    next = forms.CharField(required=False, max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any whole number: the service says per question what it found.
        self.fields["questions"].valid_value = lambda v: str(v).isdigit() and len(str(v)) < 12
        self.fields["questions"].choices = []

    def clean_questions(self):
        ids = self.cleaned_data["questions"]
        if len(ids) > 100:
            raise forms.ValidationError("Choose at most 100 questions at a time.")
        return ids


def department_field(**kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=all_departments(),
        to_field_name="slug",
        empty_label="Choose a department",
        **kwargs,
    )


class RouteForm(forms.Form):
    department = department_field()


class RerouteForm(forms.Form):
    department = department_field()
    reason = forms.CharField(max_length=500, error_messages={"required": "Say why."})


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=500, error_messages={"required": "Say why."})


class DeclineForm(ReasonForm):
    wrong_department = forms.BooleanField(
        required=False, label="Not a question for this department: back to triage"
    )


class AssignForm(forms.Form):
    username = forms.CharField(max_length=150, label="Expert")


class TextForm(forms.Form):
    text = forms.CharField(max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 4}))


class ReplyForm(forms.Form):
    text = forms.CharField(
        max_length=5_000, label="Public reply", widget=forms.Textarea(attrs={"rows": 4})
    )
    url = forms.URLField(
        required=False, max_length=500, label="Link to the reply (optional)", assume_scheme="https"
    )


class TagForm(forms.Form):
    tag = forms.ChoiceField(choices=InsightTag.Tag.choices)
    on = forms.TypedChoiceField(choices=[("1", "on"), ("0", "off")], coerce=lambda v: v == "1")


class CloseForm(forms.Form):
    spam = forms.TypedChoiceField(
        choices=[("0", "close"), ("1", "spam")], coerce=lambda v: v == "1", required=False
    )


class QueueFilterForm(forms.Form):
    department = forms.SlugField(required=False, max_length=100)
    cursor = forms.CharField(required=False, max_length=500)


class ReassignForm(forms.Form):
    """A leader (or the social team) gives a question of the queue to an expert."""

    expert = forms.CharField(
        max_length=150, label="Expert", error_messages={"required": "Choose an expert."}
    )
