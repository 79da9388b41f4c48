"""My data under /api/v1/: ask for a copy of my data, list the copies I asked for with their
status, download one when it is ready; an admin asks for a copy of someone's data (audited:
the admin's log and the company audit log). The same service and task as the My data page
(people.personal_data); only the one who asked for a copy downloads it."""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import PAGE_PARAMETERS, keyset_page, keyset_response, keyset_schema
from core.errors import ApplicationError
from core.files import serve_stored_file

from . import personal_data, roles, selectors
from .models import EXPORT_FOLDER, DataExport

TAGS = ["people"]


class DataExportSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="person.username", read_only=True)
    requested_by_me_for_someone_else = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField(
        help_text="The API URL of the zip while it is ready (null otherwise)"
    )

    class Meta:
        model = DataExport
        fields = [
            "id",
            "person",
            "requested_by_me_for_someone_else",
            "status",
            "size",
            "created_at",
            "finished_at",
            "expires_at",
            "download",
        ]
        read_only_fields = fields

    def get_requested_by_me_for_someone_else(self, export) -> bool:
        return export.person_id != export.requested_by_id

    def get_download(self, export) -> str | None:
        if not export.is_downloadable:
            return None
        return self.context["request"].build_absolute_uri(
            f"/api/v1/people/me/data/{export.pk}/download/"
        )


def _created(request, export) -> Response:
    data = DataExportSerializer(export, context={"request": request}).data
    return Response(data, status=status.HTTP_202_ACCEPTED)


class MyDataExportsApi(APIView):
    @extend_schema(
        tags=TAGS,
        parameters=PAGE_PARAMETERS,
        responses=keyset_schema(DataExportSerializer),
        operation_id="my_data_exports",
    )
    def get(self, request):
        """The copies I asked for (mine, and for an admin, others'), newest first."""
        page = keyset_page(
            request,
            selectors.data_exports_requested(request.user),
            ordering=("-created_at", "-id"),
            types=(str, int),
        )
        data = DataExportSerializer(page.items, many=True, context={"request": request}).data
        return keyset_response(page, data, request)

    @extend_schema(
        tags=TAGS,
        request=None,
        responses={202: DataExportSerializer},
        operation_id="my_data_export_request",
    )
    def post(self, request):
        """Ask for a copy of my data: built by a task, announced by a notification. Asking
        again while one is being prepared returns that one."""
        export = personal_data.request_data_export(actor=request.user, person=request.user)
        return _created(request, export)


class PersonDataExportApi(APIView):
    @extend_schema(
        tags=TAGS,
        request=None,
        responses={202: DataExportSerializer, 403: OpenApiResponse(description="Not an admin")},
        operation_id="person_data_export_request",
    )
    def post(self, request, username: str):
        """An admin asks for a copy of someone's data (sent to the admin; audited)."""
        if not roles.is_admin(request.user):
            raise ApplicationError("Only an admin may ask for someone else's data.", status=403)
        person = get_object_or_404(get_user_model(), username=username)
        export = personal_data.request_data_export(actor=request.user, person=person)
        return _created(request, export)


class MyDataExportDownloadApi(APIView):
    @extend_schema(
        tags=TAGS,
        responses={
            (200, "application/zip"): OpenApiTypes.BINARY,
            409: OpenApiResponse(description="Still being prepared"),
            410: OpenApiResponse(description="Expired, deleted or could not be prepared"),
        },
        operation_id="my_data_export_download",
    )
    def get(self, request, export_id: int):
        """The zip of a copy I asked for, while it is ready."""
        export = selectors.get_data_export(request.user, export_id)
        if export.status == DataExport.Status.PENDING:
            raise ApplicationError("This copy is still being prepared.", status=409)
        if not export.is_downloadable:
            raise ApplicationError("This copy is not available: ask for a new one.", status=410)
        stamp = (export.finished_at or export.created_at).strftime("%Y-%m-%d")
        return serve_stored_file(
            name=export.file.name,
            folder=EXPORT_FOLDER,
            filename=f"socialhub-data-{export.person.username}-{stamp}.zip",
            content_type="application/zip",
            inline=False,
            max_age=0,
        )
