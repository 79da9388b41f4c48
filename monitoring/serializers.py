"""Input and output shapes of the listening API. Questions behind an alert come through
routing.selectors.with_customers: their text is without the customer for those who may not
see them."""

from rest_framework import serializers

from core.api import StrictSerializer
from people.serializers import DepartmentRefSerializer, UserRefSerializer
from routing.models import Channel

from .models import Alert, Severity


class RuleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    terms = serializers.ListField(child=serializers.CharField())
    department = DepartmentRefSerializer(allow_null=True)
    channel = serializers.CharField(help_text="Empty for every channel")
    severity = serializers.ChoiceField(choices=Severity.choices)
    active = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class RuleInputSerializer(StrictSerializer):
    """Bad rules are refused with a 400 naming the field: an empty name, no terms, a term
    that is too short or too common to listen for, an unknown department or channel."""

    name = serializers.CharField(max_length=1000, allow_blank=True, trim_whitespace=False)
    terms = serializers.ListField(
        child=serializers.CharField(max_length=1000, allow_blank=True), max_length=100
    )
    department = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text="A department slug"
    )
    channel = serializers.ChoiceField(
        choices=[("", "Every channel"), *Channel.choices], required=False, allow_blank=True
    )
    severity = serializers.ChoiceField(choices=Severity.choices, required=False)
    active = serializers.BooleanField(required=False)


class QuestionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField(source="get_absolute_url")
    received_at = serializers.DateTimeField()
    text = serializers.CharField(
        source="visible_text", help_text="Without the customer for those who may not see them"
    )
    department = DepartmentRefSerializer(allow_null=True)
    priority = serializers.CharField()


class PointSerializer(serializers.Serializer):
    hour = serializers.DateTimeField()
    observed = serializers.IntegerField()
    expected = serializers.FloatField()


class AlertSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField(help_text="department:<id>, tag:<tag> or rule:<id>")
    kind = serializers.CharField(help_text="One of: " + ", ".join(Alert.Kind.values))
    title = serializers.CharField()
    trigger = serializers.CharField(help_text="One of: " + ", ".join(Alert.Trigger.values))
    severity = serializers.CharField(help_text="One of: " + ", ".join(Severity.values))
    status = serializers.CharField(help_text="One of: " + ", ".join(Alert.Status.values))
    department = DepartmentRefSerializer(allow_null=True)
    rule = serializers.IntegerField(source="rule_id", allow_null=True)
    tag = serializers.CharField()
    observed = serializers.IntegerField(help_text="Questions in the window")
    expected = serializers.FloatField(help_text="What the baseline expected in the window")
    p_value = serializers.FloatField(
        allow_null=True, help_text="Poisson P(X >= observed | expected)"
    )
    window_minutes = serializers.IntegerField()
    baseline_method = serializers.CharField(help_text="seasonal or ewma")
    peak_observed = serializers.IntegerField()
    match_count = serializers.IntegerField()
    opened_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    acknowledged_by = UserRefSerializer(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    url = serializers.CharField(source="get_absolute_url")


class AlertDetailSerializer(AlertSerializer):
    series = PointSerializer(many=True, help_text="Hourly volume beside the baseline")
    questions = QuestionRefSerializer(many=True, help_text="The newest questions behind it")
