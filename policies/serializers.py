"""Input and output shapes of the policies API. Input serializers check types and lengths;
the services decide. No output serializer has a field for the quiz's answer key."""

from rest_framework import serializers

from core.api import StrictSerializer
from people.serializers import UserRefSerializer

from .models import AuditEntry, BrandAccount, PolicySettings, PolicyVersion

# --- Versions ------------------------------------------------------------------------


class VersionListItemSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField(help_text="One of: " + ", ".join(PolicyVersion.Status.values))
    change_note = serializers.CharField()
    requires_recertification = serializers.BooleanField()
    published_at = serializers.DateTimeField(allow_null=True)


class VersionSerializer(VersionListItemSerializer):
    body = serializers.CharField(help_text="Markdown source")
    body_html = serializers.CharField(help_text="Sanitized HTML")
    acknowledged_at = serializers.DateTimeField(
        allow_null=True, help_text="When I acknowledged this version"
    )
    has_quiz = serializers.BooleanField()


class VersionInputSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200, allow_blank=True)
    body = serializers.CharField(max_length=50_000, allow_blank=True, trim_whitespace=False)
    change_note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    requires_recertification = serializers.BooleanField(required=False, default=False)


class VersionUpdateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    body = serializers.CharField(
        max_length=50_000, required=False, allow_blank=True, trim_whitespace=False
    )
    change_note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    requires_recertification = serializers.BooleanField(required=False)


class AcknowledgementSerializer(serializers.Serializer):
    version = serializers.IntegerField(source="version.number")
    acknowledged_at = serializers.DateTimeField()


class DiffLineSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="One of: same, added, removed, gap")
    old_number = serializers.IntegerField(allow_null=True)
    new_number = serializers.IntegerField(allow_null=True)
    text = serializers.CharField()


class DiffSerializer(serializers.Serializer):
    old = serializers.IntegerField()
    new = serializers.IntegerField()
    lines = DiffLineSerializer(many=True)


# --- Quiz ----------------------------------------------------------------------------


class QuizChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()


class QuizQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    choices = QuizChoiceSerializer(many=True, source="choices.all")


class QuizSerializer(serializers.Serializer):
    """What a quiz taker sees: questions and choice ids, never which choice is right."""

    version = serializers.IntegerField(source="version.number")
    pass_mark = serializers.IntegerField()
    questions = QuizQuestionSerializer(many=True, source="questions.all")


class ChoiceInputSerializer(StrictSerializer):
    text = serializers.CharField(max_length=300)
    correct = serializers.BooleanField(default=False)


class QuestionInputSerializer(StrictSerializer):
    text = serializers.CharField(max_length=500)
    choices = ChoiceInputSerializer(many=True)


class QuizInputSerializer(StrictSerializer):
    pass_mark = serializers.IntegerField(help_text="Percent to pass, 1-100")
    questions = QuestionInputSerializer(many=True)


class AttemptInputSerializer(StrictSerializer):
    answers = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Question id -> chosen choice id, for every question",
    )


class AttemptSerializer(serializers.Serializer):
    score = serializers.IntegerField(help_text="Percent of questions answered right")
    passed = serializers.BooleanField()
    pass_mark = serializers.IntegerField(source="quiz.pass_mark")
    certified = serializers.BooleanField()
    created_at = serializers.DateTimeField()


# --- Settings and report -------------------------------------------------------------


class SettingsSerializer(serializers.Serializer):
    acknowledgement_gate = serializers.ChoiceField(choices=PolicySettings.Gate.choices)
    engagement_model = serializers.ChoiceField(choices=PolicySettings.Engagement.choices)
    designated_departments = serializers.ListField(child=serializers.SlugField())
    reminder_days = serializers.IntegerField()
    ownership_statement = serializers.CharField()


class SettingsInputSerializer(StrictSerializer):
    acknowledgement_gate = serializers.CharField(required=False, max_length=30)
    engagement_model = serializers.CharField(required=False, max_length=30)
    designated_departments = serializers.ListField(
        child=serializers.SlugField(max_length=100), required=False, max_length=200
    )
    reminder_days = serializers.IntegerField(required=False)
    ownership_statement = serializers.CharField(required=False, max_length=2000)


class DepartmentAcknowledgementSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    employees = serializers.IntegerField()
    acknowledged = serializers.IntegerField()
    pending = serializers.IntegerField()


class AcknowledgementReportSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    departments = DepartmentAcknowledgementSerializer(many=True)


class MyStatusSerializer(serializers.Serializer):
    current_version = serializers.IntegerField(allow_null=True)
    acknowledged = serializers.BooleanField()
    may_post = serializers.BooleanField()
    may_reply_publicly = serializers.BooleanField()
    certified = serializers.BooleanField()


# --- Certified people and brand accounts ---------------------------------------------


class RepresentativeSerializer(serializers.Serializer):
    person = UserRefSerializer(source="user")
    department = serializers.CharField(source="user.profile.department.name", allow_null=True)
    version = serializers.IntegerField(source="version.number")
    certified_at = serializers.DateTimeField()


class RevokeInputSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class AuthorizationSerializer(serializers.Serializer):
    person = UserRefSerializer(source="user")
    granted_at = serializers.DateTimeField()


class BrandAccountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    platform = serializers.ChoiceField(choices=BrandAccount.Platform.choices)
    handle = serializers.CharField()
    url = serializers.URLField()
    department = serializers.SlugField(source="department.slug")
    description = serializers.CharField()
    authorized = AuthorizationSerializer(many=True, source="active_authorizations")
    needs_handover = serializers.BooleanField()
    handover_to = UserRefSerializer(allow_null=True)


class BrandAccountInputSerializer(StrictSerializer):
    platform = serializers.CharField(max_length=20)
    handle = serializers.CharField(max_length=100)
    url = serializers.CharField(max_length=300)
    department = serializers.SlugField(max_length=100)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)


class BrandAccountUpdateSerializer(StrictSerializer):
    platform = serializers.CharField(max_length=20, required=False)
    handle = serializers.CharField(max_length=100, required=False)
    url = serializers.CharField(max_length=300, required=False)
    department = serializers.SlugField(max_length=100, required=False)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)


class UsernameInputSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)


class OffboardInputSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)
    handover_to = serializers.CharField(max_length=150)


class OffboardResultSerializer(serializers.Serializer):
    username = serializers.CharField()
    revoked_authorizations = serializers.IntegerField()
    handover_to = serializers.CharField()


class OffboardAccountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    platform = serializers.ChoiceField(choices=BrandAccount.Platform.choices)
    handle = serializers.CharField()
    department = serializers.SlugField(source="department.slug")


class OffboardPreviewSerializer(serializers.Serializer):
    username = serializers.CharField(source="leaver.username")
    handover_to = serializers.CharField(source="successor.username")
    revoked_authorizations = OffboardAccountSerializer(
        many=True, source="accounts", help_text="Revoked, and flagged for handover"
    )
    certified_since = serializers.DateTimeField(
        source="certification.certified_at",
        allow_null=True,
        default=None,
        help_text="The certification that would be revoked (null: none)",
    )
    pending_handovers = OffboardAccountSerializer(
        many=True, help_text="Accounts already being handed over to the leaver"
    )


class PolicyAuditEntrySerializer(serializers.Serializer):
    action = serializers.CharField(help_text="One of: " + ", ".join(AuditEntry.Action.values))
    actor = UserRefSerializer(allow_null=True)
    target = UserRefSerializer(source="target_user", allow_null=True)
    account = serializers.IntegerField(source="account_id", allow_null=True)
    version = serializers.IntegerField(source="version.number", allow_null=True, default=None)
    detail = serializers.CharField()
    created_at = serializers.DateTimeField()
