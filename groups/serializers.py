"""Input and output shapes of the groups API. Plain serializers: input ones validate types
and lengths only (the services decide), output ones read what the selectors loaded."""

from rest_framework import serializers

from core.api import StrictSerializer
from people.serializers import UserRefSerializer

from .models import AuditEntry, Group, Membership

# Outputs give `kind` as a documented string rather than an enum: three choice sets are
# called "kind" across the API, and the schema can name only one enum per field name
# without a settings entry (ENUM_NAME_OVERRIDES).
GROUP_KINDS = "One of: " + ", ".join(Group.Kind.values)

# --- Shared pieces -----------------------------------------------------------------------


class GroupRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


def _absolute(context, url: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(url) if request else url


# --- Groups ------------------------------------------------------------------------------


class GroupListItemSerializer(serializers.Serializer):
    """A directory entry (groups.selectors.directory annotates the counts)."""

    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    kind = serializers.CharField(help_text=GROUP_KINDS)
    privacy = serializers.ChoiceField(choices=Group.Privacy.choices)
    member_count = serializers.IntegerField()
    is_member = serializers.BooleanField()
    url = serializers.SerializerMethodField()

    def get_url(self, group) -> str:
        return _absolute(self.context, group.get_absolute_url())


SOURCE_HELP = (
    "How the membership came: `department` (one's own department's group) and `company` "
    "(All company) follow the organisation chart and cannot be left or removed by hand; "
    "`joined` and `invited` can."
)


class MyMembershipSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Membership.Role.choices)
    source = serializers.ChoiceField(choices=Membership.Source.choices, help_text=SOURCE_HELP)
    joined_at = serializers.DateTimeField()
    muted_until = serializers.DateTimeField(allow_null=True)


class GroupDetailSerializer(serializers.Serializer):
    """A group as someone who may know it exists sees it. Whether they may read its content
    is `can_read`; the content itself has its own endpoints."""

    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    kind = serializers.CharField(help_text=GROUP_KINDS)
    privacy = serializers.ChoiceField(choices=Group.Privacy.choices)
    posting = serializers.ChoiceField(choices=Group.Posting.choices)
    cover_url = serializers.CharField(help_text="The cover picture, or empty")
    member_count = serializers.IntegerField()
    can_read = serializers.BooleanField()
    can_moderate = serializers.BooleanField()
    membership = MyMembershipSerializer(allow_null=True)
    pending_request = serializers.BooleanField()
    url = serializers.CharField()


class GroupCreateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    privacy = serializers.ChoiceField(choices=Group.Privacy.choices, required=False)


class GroupUpdateSerializer(StrictSerializer):
    """PATCH: every field optional, the rest stay as they are."""

    name = serializers.CharField(max_length=120, required=False)
    description = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    privacy = serializers.ChoiceField(choices=Group.Privacy.choices, required=False)
    posting = serializers.ChoiceField(
        choices=Group.Posting.choices,
        required=False,
        help_text='Who may start posts: "everyone" (who may write in the group) or "leaders"',
    )


class JoinInputSerializer(StrictSerializer):
    message = serializers.CharField(max_length=500, allow_blank=True, required=False)


class JoinResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["member", "pending"])
    role = serializers.ChoiceField(choices=Membership.Role.choices, allow_null=True)
    request_id = serializers.IntegerField(allow_null=True)


# --- Members -----------------------------------------------------------------------------


class MemberSerializer(serializers.Serializer):
    """A member as readers of the group see them; `muted_until` only for its moderators
    (context["moderator"])."""

    username = serializers.CharField(source="user.username")
    display_name = serializers.CharField(source="user.profile.display_name")
    role = serializers.ChoiceField(choices=Membership.Role.choices)
    source = serializers.ChoiceField(choices=Membership.Source.choices, help_text=SOURCE_HELP)
    joined_at = serializers.DateTimeField()
    muted_until = serializers.SerializerMethodField()

    def get_muted_until(self, membership) -> str | None:
        if not self.context.get("moderator") or membership.muted_until is None:
            return None
        return serializers.DateTimeField().to_representation(membership.muted_until)


class MemberInviteSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)


class MuteSerializer(StrictSerializer):
    until = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")


class MemberUpdateSerializer(StrictSerializer):
    """Change a member's role (owners), mute or unmute them (leaders): one or both."""

    role = serializers.ChoiceField(choices=Membership.Role.choices, required=False)
    mute = MuteSerializer(required=False)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(
                {"non_field_errors": ["Send a role, a mute, or both."]}
            )
        return attrs


class ReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")


class RequiredReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=500)


# --- Join requests, reports, audit log ----------------------------------------------------


class JoinRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    user = UserRefSerializer()
    message = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    group = serializers.SlugField(source="group.slug")
    reporter = serializers.CharField(source="reporter.username")
    post = serializers.IntegerField(source="post_id", allow_null=True)
    comment = serializers.IntegerField(source="comment_id", allow_null=True)
    reason = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class ReportCreateSerializer(StrictSerializer):
    post = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    comment = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    reason = serializers.CharField(max_length=500)

    def validate(self, attrs):
        if (attrs.get("post") is None) == (attrs.get("comment") is None):
            raise serializers.ValidationError({"post": ["Report one post or one comment."]})
        return attrs


class AuditEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    action = serializers.ChoiceField(choices=AuditEntry.Action.choices)
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    target_user = serializers.CharField(
        source="target_user.username", allow_null=True, default=None
    )
    post = serializers.IntegerField(source="post_id", allow_null=True)
    comment = serializers.IntegerField(source="comment_id", allow_null=True)
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()
