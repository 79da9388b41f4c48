"""What admins read under /api/v1/policies/: the acknowledgement report per department and
the audit log."""

import datetime as dt

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import PAGE_PARAMETERS, keyset_page, keyset_response, keyset_schema

from .. import selectors
from ..serializers import AcknowledgementReportSerializer, PolicyAuditEntrySerializer
from .common import _require_admin


class ReportApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("version", int, description="Default: the current one")],
        responses=AcknowledgementReportSerializer,
        operation_id="policies_report",
    )
    def get(self, request):
        """Admins: per department, acknowledged and pending (CSV: /policies/report.csv)."""
        _require_admin(request.user)
        raw = request.query_params.get("version", "")
        if raw and not raw.isdigit():
            return Response({"version": ["Give a version number."]}, status=400)
        version = (
            selectors.get_visible_version(request.user, int(raw))
            if raw
            else selectors.current_version()
        )
        if version is None or version.is_draft:
            raise Http404("No published policy to report on.")
        rows = selectors.acknowledgement_report(request.user, version)
        return Response(
            AcknowledgementReportSerializer({"version": version.number, "departments": rows}).data
        )


class AuditLogApi(APIView):
    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=keyset_schema(PolicyAuditEntrySerializer),
        operation_id="policies_audit_log",
    )
    def get(self, request):
        """Admins: every change to policies, certifications and brand accounts."""
        _require_admin(request.user)
        page = keyset_page(
            request,
            selectors.audit_log(request.user),
            ordering=("-created_at", "-id"),
            types=(dt.datetime, int),
        )
        return keyset_response(
            page, PolicyAuditEntrySerializer(page.items, many=True).data, request
        )
