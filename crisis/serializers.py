"""Input and output shapes of the crisis and social APIs. Input serializers check types and
lengths; the services decide. Timeline text about a customer question is already what the
reader may see (crisis.selectors.timeline)."""

from rest_framework import serializers

from core.api import StrictSerializer
from people.serializers import DepartmentRefSerializer, UserRefSerializer
from policies.serializers import DiffSerializer  # noqa: F401  (the same diff shape)

from .models import (
    BrandActivity,
    CrisisRole,
    HeldReply,
    Incident,
    PlaybookVersion,
    Severity,
    TimelineEntry,
)

# --- The playbook ---------------------------------------------------------------------


class PlaybookListItemSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField(help_text="One of: " + ", ".join(PlaybookVersion.Status.values))
    change_note = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)


class HoldingStatementSerializer(serializers.Serializer):
    scenario = serializers.CharField()
    text = serializers.CharField()


class PlaybookSerializer(PlaybookListItemSerializer):
    body = serializers.CharField(help_text="Markdown source")
    body_html = serializers.CharField(help_text="Sanitized HTML")
    acknowledged_at = serializers.DateTimeField(
        allow_null=True, help_text="When I acknowledged this version"
    )
    holding_statements = HoldingStatementSerializer(many=True)


class PlaybookInputSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200, allow_blank=True)
    body = serializers.CharField(max_length=50_000, allow_blank=True, trim_whitespace=False)
    change_note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class PlaybookUpdateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    body = serializers.CharField(
        max_length=50_000, required=False, allow_blank=True, trim_whitespace=False
    )
    change_note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class PlaybookAcknowledgementSerializer(serializers.Serializer):
    version = serializers.IntegerField(source="version.number")
    acknowledged_at = serializers.DateTimeField()


# --- Incidents ------------------------------------------------------------------------


class IncidentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField(help_text="Markdown source")
    summary_html = serializers.CharField(help_text="Sanitized HTML")
    severity = serializers.CharField(help_text="One of: " + ", ".join(Severity.values))
    status = serializers.CharField(help_text="One of: " + ", ".join(Incident.Status.values))
    crisis_mode = serializers.BooleanField()
    second_approval = serializers.BooleanField()
    departments = serializers.SerializerMethodField()
    alert_id = serializers.IntegerField(allow_null=True)
    watch_rule_ids = serializers.ListField(child=serializers.IntegerField())
    declared_by = UserRefSerializer(allow_null=True)
    declared_at = serializers.DateTimeField()
    closed_by = UserRefSerializer(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    resolution = serializers.CharField()

    def get_departments(self, incident) -> list[str]:
        return [d.slug for d in incident.departments.all()]


class IncidentInputSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200, allow_blank=True)
    summary = serializers.CharField(max_length=5_000, allow_blank=True, trim_whitespace=False)
    severity = serializers.ChoiceField(choices=Severity.choices)
    departments = serializers.ListField(
        child=serializers.SlugField(max_length=80), required=False, max_length=200
    )
    watch_rule_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        required=False,
        max_length=200,
    )
    second_approval = serializers.BooleanField(required=False, default=False)


class DeclareFromAlertInputSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200, allow_blank=True)
    summary = serializers.CharField(max_length=5_000, allow_blank=True, trim_whitespace=False)
    severity = serializers.ChoiceField(choices=Severity.choices)
    departments = serializers.ListField(
        child=serializers.SlugField(max_length=80), required=False, max_length=200
    )
    second_approval = serializers.BooleanField(required=False, default=False)


class IncidentCloseInputSerializer(StrictSerializer):
    resolution = serializers.CharField(max_length=5_000, required=False, allow_blank=True)


class NoteInputSerializer(StrictSerializer):
    text = serializers.CharField(max_length=5_000, allow_blank=True, trim_whitespace=False)


class AnnouncementInputSerializer(StrictSerializer):
    body = serializers.CharField(max_length=5_000, allow_blank=True, trim_whitespace=False)


class AnnouncementSerializer(serializers.Serializer):
    post = serializers.IntegerField(source="pk")
    url = serializers.CharField(source="get_absolute_url")


class TimelineEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="One of: " + ", ".join(TimelineEntry.Kind.values))
    actor = UserRefSerializer(allow_null=True)
    text = serializers.CharField(
        source="visible_text", help_text="Plain text; customer data as the reader may see it"
    )
    question = serializers.IntegerField(source="question_id", allow_null=True)
    link = serializers.CharField()
    created_at = serializers.DateTimeField()


class HeldReplySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    incident = serializers.IntegerField(source="incident_id")
    question = serializers.IntegerField(source="question_id")
    author = UserRefSerializer(allow_null=True)
    text = serializers.CharField(
        source="visible_text", help_text="The reply; customer data as the reader may see it"
    )
    status = serializers.ChoiceField(choices=HeldReply.Status.choices)
    decided_by = UserRefSerializer(allow_null=True)
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)


# --- The org chart and brand activity -------------------------------------------------


class OrgDepartmentSerializer(serializers.Serializer):
    department = DepartmentRefSerializer()
    mentors = UserRefSerializer(many=True)
    representatives = UserRefSerializer(many=True)


class OrgAccountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    platform = serializers.CharField()
    handle = serializers.CharField()
    url = serializers.CharField()
    owner = DepartmentRefSerializer(source="department")
    authorized = UserRefSerializer(many=True)


class CrisisRoleGroupSerializer(serializers.Serializer):
    role = serializers.CharField(help_text="One of: " + ", ".join(CrisisRole.Role.labels))
    people = UserRefSerializer(many=True)


class OrgChartSerializer(serializers.Serializer):
    engagement_model = serializers.CharField()
    engagement_label = serializers.CharField()
    designated_departments = DepartmentRefSerializer(many=True)
    social_team = UserRefSerializer(many=True)
    departments = OrgDepartmentSerializer(many=True)
    brand_accounts = OrgAccountSerializer(many=True)
    crisis_roles = CrisisRoleGroupSerializer(many=True)


class BrandActivitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="One of: " + ", ".join(BrandActivity.Kind.values))
    account = serializers.SerializerMethodField()
    channel = serializers.CharField()
    department = DepartmentRefSerializer(allow_null=True)
    actor = UserRefSerializer(allow_null=True)
    text = serializers.CharField(help_text="Without the customer's personal data")
    occurred_at = serializers.DateTimeField()

    def get_account(self, item) -> str | None:
        return str(item.account) if item.account_id else None
