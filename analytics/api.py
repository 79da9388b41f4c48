"""Community analytics under /api/v1/: a group's (its leaders and admins) and the
company's (admins). Someone who may not see the figures gets 403 (404 for a secret group
they are not in, as everywhere)."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from groups.selectors import can_read, get_listed_group

from . import selectors
from .serializers import CommunityReportQuerySerializer, CommunityReportSerializer

TAGS = ["analytics"]
WEEKS = OpenApiParameter("weeks", int, description="4 to 52, default 12")


def _weeks(request) -> int:
    serializer = CommunityReportQuerySerializer(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data["weeks"]


class GroupAnalyticsApi(APIView):
    @extend_schema(
        tags=TAGS,
        parameters=[WEEKS],
        responses=CommunityReportSerializer,
        operation_id="group_analytics",
    )
    def get(self, request, slug: str):
        """A group's weekly figures and top contributors."""
        group = get_listed_group(request.user, slug)
        if not (
            can_read(request.user, group) and selectors.can_see_group_analytics(request.user, group)
        ):
            raise PermissionDenied("Only the group's leaders and admins see its analytics.")
        report = selectors.community_report(group=group, weeks=_weeks(request))
        return Response(CommunityReportSerializer(report).data)


class CompanyAnalyticsApi(APIView):
    @extend_schema(
        tags=TAGS,
        parameters=[WEEKS],
        responses=CommunityReportSerializer,
        operation_id="company_analytics",
    )
    def get(self, request):
        """The whole company's weekly figures (admins)."""
        if not selectors.can_see_company_analytics(request.user):
            raise PermissionDenied("Only admins see the company's analytics.")
        report = selectors.community_report(group=None, weeks=_weeks(request))
        return Response(CommunityReportSerializer(report).data)
