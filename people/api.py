from django.db.models import F
from django.urls import get_script_prefix
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import parsers, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import PAGE_PARAMETERS, as_json, keyset_schema, keyset_text_response
from core.pagination import page_size_from

from . import selectors, services
from .serializers import (
    AvatarUploadSerializer,
    DepartmentSerializer,
    ProfileSerializer,
    ProfileUpdateSerializer,
)


def _for_output(profiles):
    """Annotate what ProfileSerializer reads so a page of people costs two queries."""
    return profiles.annotate(manager_username=F("manager__user__username"))


class PeopleListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("department", str, description="Department slug"),
            OpenApiParameter("skill", str, description="Skill name or slug"),
            OpenApiParameter(
                "q", str, description="Part of a name, title or username (accents, case ignored)"
            ),
            *PAGE_PARAMETERS,
        ],
        responses=keyset_schema(ProfileSerializer),
        operation_id="people_list",
    )
    def get(self, request):
        """Active employees in directory order, filtered; keyset-paginated."""
        params = request.query_params
        department = skill = None
        if params.get("department"):
            department = selectors.get_department(params["department"])
            if department is None:
                return Response({"department": ["No department has this slug."]}, status=400)
        if params.get("skill"):
            skill = selectors.get_skill(params["skill"]) or selectors.get_skill_by_name(
                services.normalize_skill_name(params["skill"])
            )
            if skill is None:
                return Response({"skill": ["No such skill."]}, status=400)
        generation = selectors.counts_generation()  # before the page: _person_texts
        page = selectors.people_page(
            viewer=request.user,
            cursor=params.get("cursor"),
            size=page_size_from(params.get("page_size")),
            department=department,
            skill=skill,
            query=params.get("q", "")[:100],
            manager_username=True,
            as_rows=True,
            defer_rows=True,
        )
        return keyset_text_response(request, page, _person_texts(request, page.items, generation))


# How long a person's entry in the people API is kept. A profile, an account, a department
# or a skill saved moves the generation on (people.receivers: forget_counts), so an entry is
# never read after a change; this only bounds what an idle cache holds.
PERSON_TEXT_SECONDS = 300


def _person_texts(request, rows: list[dict], generation: str) -> list[str]:
    """ProfileSerializer's output for the people of `rows` (profile_page's), as JSON text,
    kept per person (selectors.kept_per_person) as the directory keeps its cards. A page of
    25 read from the cache costs no query beyond its own, and no profile is built.

    The key holds the counts' generation read before the page's query (a text made from
    rows read before a change is never kept under the key that follows it), the day ("out
    of office" ends with it) and the address the links are written for (`url`). Who is on a
    page is still decided by the page's own query."""
    today = timezone.localdate()
    serializer = ProfileSerializer(context={"request": request, "today": today})
    return selectors.kept_per_person(
        rows,
        prefix=(
            f"people:api:v1:{generation}:{today}:"
            f"{request.scheme}://{request.get_host()}{get_script_prefix()}"
        ),
        make=lambda person: as_json(serializer.to_representation(person)),
        seconds=PERSON_TEXT_SECONDS,
        read_for=request.user,
        manager_username=True,
    )


class PersonDetailApi(APIView):
    @extend_schema(responses=ProfileSerializer, operation_id="people_retrieve")
    def get(self, request, username: str):
        profile = _one(request.user, username)
        return Response(ProfileSerializer(profile, context={"request": request}).data)


def _me_response(request) -> Response:
    profile = _one(request.user, request.user.username)
    return Response(ProfileSerializer(profile, context={"request": request}).data)


def _one(viewer, username: str):
    profile = _for_output(selectors.visible_profiles(viewer)).filter(user__username=username)
    profile = selectors.with_skills(list(profile))
    if not profile:
        raise NotFound("No such person.")
    return profile[0]


class MeApi(APIView):
    @extend_schema(responses=ProfileSerializer, operation_id="people_me_retrieve")
    def get(self, request):
        """My own profile."""
        return _me_response(request)

    @extend_schema(request=ProfileUpdateSerializer, responses=ProfileSerializer)
    def patch(self, request):
        """Change some fields of my profile; the rest stay as they are."""
        serializer = ProfileUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        skills = data.pop("skills", None)
        services.update_profile(
            actor=request.user,
            profile=selectors.profile_of(request.user),
            data=data,
            skills=services.parse_skills(skills) if skills is not None else None,
        )
        return _me_response(request)


class SignOutEverywhereApi(APIView):
    @extend_schema(
        request=None,
        responses=inline_serializer(
            "SignOutEverywhereResponse",
            {
                "sessions_ended": serializers.IntegerField(),
                "token_revoked": serializers.BooleanField(),
            },
        ),
    )
    def post(self, request):
        """End every other session of mine and revoke my API token (the one this call used,
        if any); my open sockets elsewhere close at once."""
        session = getattr(request, "session", None)
        ended = services.sign_out_everywhere(
            actor=request.user, keep_session_key=getattr(session, "session_key", None)
        )
        return Response({"sessions_ended": ended, "token_revoked": True})


class MyAvatarApi(APIView):
    parser_classes = [parsers.MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": AvatarUploadSerializer}, responses=ProfileSerializer
    )
    def put(self, request):
        """Replace my photo (JPEG, PNG, GIF or WebP); it is cropped square and re-encoded."""
        serializer = AvatarUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.update_profile(
            actor=request.user,
            profile=selectors.profile_of(request.user),
            data={},
            avatar=serializer.validated_data["avatar"],
        )
        return _me_response(request)

    @extend_schema(responses={204: None})
    def delete(self, request):
        """Remove my photo."""
        services.update_profile(
            actor=request.user,
            profile=selectors.profile_of(request.user),
            data={},
            clear_avatar=True,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class DepartmentListApi(APIView):
    @extend_schema(responses=DepartmentSerializer(many=True))
    def get(self, request):
        """Every department with its number of active members."""
        return Response(DepartmentSerializer(selectors.departments_with_counts(), many=True).data)
