from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import selectors
from .models import TIMEZONE_CHOICES, Department


# Writes people.selectors.DepartmentCount: plain values, as cached with the directory's counts.
class DepartmentSerializer(serializers.Serializer):
    """A department with how many active people it has."""

    id = serializers.IntegerField(source="pk", read_only=True)
    name = serializers.CharField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    description = serializers.CharField(read_only=True)
    parent = serializers.SlugField(
        read_only=True, allow_null=True, help_text="The parent department's slug"
    )
    member_count = serializers.IntegerField(read_only=True)


class DepartmentRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "slug"]


class PersonRefSerializer(serializers.Serializer):
    username = serializers.CharField(source="user.username")
    display_name = serializers.CharField()


class ProfileSerializer(serializers.Serializer):
    """A person as the API shows them. A plain Serializer: lists serialize pages of people,
    and ModelSerializer's field introspection per instance would cost more than the data."""

    username = serializers.CharField(source="user.username")
    display_name = serializers.CharField()
    title = serializers.CharField()
    department = serializers.SerializerMethodField()
    manager = serializers.SerializerMethodField()
    location = serializers.CharField()
    timezone = serializers.CharField()
    work_start = serializers.TimeField()
    work_end = serializers.TimeField()
    working_days = serializers.SerializerMethodField()
    out_of_office_until = serializers.DateField()
    out_of_office = serializers.SerializerMethodField()
    bio = serializers.CharField()
    ask_me_about = serializers.CharField()
    skills = serializers.SerializerMethodField()
    avatar_url = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(DepartmentRefSerializer(allow_null=True))
    def get_department(self, profile) -> dict | None:
        department = profile.department
        if department is None:
            return None
        return {"id": department.pk, "name": department.name, "slug": department.slug}

    def get_manager(self, profile) -> str | None:
        """The manager's username. Reads `manager_username` when the selector annotated it."""
        return getattr(profile, "manager_username", None)

    def get_working_days(self, profile) -> list[int]:
        return [int(d) for d in profile.working_days]

    def get_out_of_office(self, profile) -> bool:
        return profile.is_out_of_office(self.context.get("today"))

    def get_skills(self, profile) -> list[str]:
        return [tag.name for tag in profile.skill_tags]

    def get_avatar_url(self, profile) -> str | None:
        return profile.avatar.url if profile.avatar else None

    def get_url(self, profile) -> str:
        request = self.context.get("request")
        url = profile.get_absolute_url()
        return request.build_absolute_uri(url) if request else url

    def to_representation(self, profile) -> dict:
        """The fields above, read directly: what Serializer.to_representation makes of them
        (tests/people/test_api.py compares the two), without its per-field machinery, which
        cost more than the queries of a page of 25 people (issue 18)."""
        work_start, work_end, away_until = (
            profile.work_start,
            profile.work_end,
            profile.out_of_office_until,
        )
        return {
            "username": str(profile.user.username),
            "display_name": str(profile.display_name),
            "title": str(profile.title),
            "department": self.get_department(profile),
            "manager": self.get_manager(profile),
            "location": str(profile.location),
            "timezone": str(profile.timezone),
            "work_start": None if work_start is None else work_start.isoformat(),
            "work_end": None if work_end is None else work_end.isoformat(),
            "working_days": self.get_working_days(profile),
            "out_of_office_until": None if away_until is None else away_until.isoformat(),
            "out_of_office": self.get_out_of_office(profile),
            "bio": str(profile.bio),
            "ask_me_about": str(profile.ask_me_about),
            "skills": self.get_skills(profile),
            "avatar_url": self.get_avatar_url(profile),
            "url": self.get_url(profile),
        }


class ProfileUpdateSerializer(serializers.Serializer):
    """PATCH /api/v1/people/me/: every field optional; unknown fields are refused."""

    display_name = serializers.CharField(max_length=120)
    title = serializers.CharField(max_length=120, allow_blank=True)
    department = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Department.objects.all(),
        allow_null=True,
        error_messages={
            "does_not_exist": "No department has this slug.",
            "invalid": "No department has this slug.",
        },
    )
    manager = serializers.CharField(max_length=150, allow_null=True, allow_blank=True)
    location = serializers.CharField(max_length=120, allow_blank=True)
    timezone = serializers.ChoiceField(choices=TIMEZONE_CHOICES)
    work_start = serializers.TimeField()
    work_end = serializers.TimeField()
    working_days = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=7), min_length=1, max_length=7
    )
    out_of_office_until = serializers.DateField(allow_null=True)
    bio = serializers.CharField(max_length=4000, allow_blank=True)
    ask_me_about = serializers.CharField(max_length=300, allow_blank=True)
    skills = serializers.ListField(
        child=serializers.CharField(max_length=60, allow_blank=False), max_length=30
    )

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": ["Send a JSON object."]})
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({unknown[0]: ["This field cannot be changed."]})
        return super().to_internal_value(data)

    def validate_manager(self, username):
        if not username:
            return None
        manager = selectors.active_profile_named(username)
        if manager is None:
            raise serializers.ValidationError(f"Nobody here has the username “{username}”.")
        return manager

    def validate(self, attrs):
        for field in ("display_name", "bio", "title", "location", "ask_me_about"):
            if "\x00" in str(attrs.get(field, "")):
                raise serializers.ValidationError({field: ["Remove the NUL character."]})
        return attrs


class AvatarUploadSerializer(serializers.Serializer):
    avatar = serializers.FileField()


class UserRefSerializer(serializers.Serializer):
    """A person given as their user, profile loaded (select_related("...__profile")); the
    same fields as PersonRefSerializer, which takes the profile."""

    username = serializers.CharField()
    display_name = serializers.CharField(source="profile.display_name")
