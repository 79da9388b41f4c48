"""Offboarding under /api/v1/policies/offboarding/: admins offboard an employee, or preview
what that would change first."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import validated
from core.errors import ApplicationError
from people.roles import is_admin

from .. import selectors, services
from ..serializers import (
    OffboardInputSerializer,
    OffboardPreviewSerializer,
    OffboardResultSerializer,
)
from .common import _person


class OffboardingApi(APIView):
    @extend_schema(
        request=OffboardInputSerializer,
        responses=OffboardResultSerializer,
        operation_id="policies_offboard",
    )
    def post(self, request):
        """Admins offboard an employee: deactivated, every authorization and the
        certification revoked, their accounts flagged for handover. One transaction."""
        if not is_admin(request.user):
            raise ApplicationError("Only admins offboard employees.", status=403)
        data = validated(OffboardInputSerializer, request)
        leaver = _person(data["username"], field="username")
        successor = _person(data["handover_to"], field="handover_to")
        revoked = services.offboard_employee(actor=request.user, user=leaver, handover_to=successor)
        return Response(
            OffboardResultSerializer(
                {
                    "username": leaver.username,
                    "revoked_authorizations": revoked,
                    "handover_to": successor.username,
                }
            ).data
        )


class OffboardingPreviewApi(APIView):
    @extend_schema(
        request=OffboardInputSerializer,
        responses=OffboardPreviewSerializer,
        operation_id="policies_offboard_preview",
    )
    def post(self, request):
        """What offboarding would do (the authorizations and certification revoked, the
        accounts flagged for handover), with the same refusals; nothing changes."""
        data = validated(OffboardInputSerializer, request)
        leaver = _person(data["username"], field="username")
        successor = _person(data["handover_to"], field="handover_to")
        services.check_offboarding(actor=request.user, user=leaver, handover_to=successor)
        preview = selectors.offboarding_preview(request.user, leaver=leaver, successor=successor)
        return Response(OffboardPreviewSerializer(preview).data)
