"""Input and output shapes of the notifications API."""

from rest_framework import serializers

from core.api import StrictSerializer
from people.serializers import UserRefSerializer

from .models import Delivery, EmailSettings, Notification


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Notification.Kind.choices)
    text = serializers.CharField(help_text="Plain text; escape it when showing it.")
    summary = serializers.CharField(
        help_text='The text with the other actors folded in ("Ana and 3 others ..."); plain.'
    )
    url = serializers.CharField(help_text="Where the notification leads, a path on this site.")
    actor = UserRefSerializer(allow_null=True)
    actor_count = serializers.IntegerField(help_text="Distinct people who did this.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class PreferencesSerializer(StrictSerializer):
    """My email choices: the digest's rhythm and a delivery for each kind."""

    digest = serializers.ChoiceField(choices=EmailSettings.Digest.choices, required=False)
    kinds = serializers.DictField(
        child=serializers.ChoiceField(choices=Delivery.choices),
        required=False,
        help_text="kind -> immediate | digest | off; kinds: " + ", ".join(Notification.Kind.values),
    )

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        bad = sorted(set(value.get("kinds", {})) - set(Notification.Kind.values))
        if bad:
            raise serializers.ValidationError({"kinds": [f"Unknown kind: {bad[0][:40]}."]})
        return value
