"""The files API under /api/v1/groups/<slug>/files/: the same selectors and services as
the Files tab. A group the caller may not read answers 404 on every route, like one that
does not exist."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import PAGE_PARAMETERS, keyset_response, keyset_schema
from core.pagination import KeysetPage, page_size_from

from . import selectors, services, views
from .serializers import (
    FileListQuerySerializer,
    FileUploadSerializer,
    FileVersionSerializer,
    LibraryEntrySerializer,
    LibraryFileSerializer,
    VersionUploadSerializer,
)

TAGS = ["files"]


def _file_data(library_file) -> dict:
    versions = list(selectors.versions_of(library_file))
    return LibraryFileSerializer(library_file, context={"versions": versions}).data


def _valid(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class GroupFilesApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=TAGS,
        parameters=[
            *PAGE_PARAMETERS,
            OpenApiParameter("sort", str, enum=list(selectors.SORTS), description="Order"),
            OpenApiParameter("q", str, description="Part of a file name"),
        ],
        responses=keyset_schema(LibraryEntrySerializer),
        operation_id="group_files_list",
    )
    def get(self, request, slug: str):
        """The group's library: files uploaded to it and its posts' attachments."""
        group = selectors.get_readable_group(request.user, slug)
        query = _valid(FileListQuerySerializer, request.query_params)
        entries, next_cursor = selectors.library_page(
            request.user,
            group,
            sort=query["sort"],
            query=query["q"],
            cursor=request.query_params.get("cursor") or None,
            size=page_size_from(request.query_params.get("page_size")),
        )
        page = KeysetPage(items=entries, next_cursor=next_cursor)
        return keyset_response(page, LibraryEntrySerializer(entries, many=True).data, request)

    @extend_schema(
        tags=TAGS,
        request={"multipart/form-data": FileUploadSerializer},
        responses={201: LibraryFileSerializer},
        operation_id="group_files_create",
    )
    def post(self, request, slug: str):
        """Upload a file to the library (its first version)."""
        group = selectors.get_readable_group(request.user, slug)
        data = _valid(FileUploadSerializer, request.data)
        library_file = services.add_file(
            actor=request.user,
            group=group,
            upload=data["file"],
            name=data["name"],
            description=data["description"],
        )
        library_file = selectors.get_library_file(request.user, group, library_file.pk)
        return Response(_file_data(library_file), status=status.HTTP_201_CREATED)


class GroupFileApi(APIView):
    @extend_schema(tags=TAGS, responses=LibraryFileSerializer, operation_id="group_files_retrieve")
    def get(self, request, slug: str, file_id: int):
        """A library file with its versions, newest first."""
        group = selectors.get_readable_group(request.user, slug)
        return Response(_file_data(selectors.get_library_file(request.user, group, file_id)))

    @extend_schema(tags=TAGS, responses={204: None}, operation_id="group_files_destroy")
    def delete(self, request, slug: str, file_id: int):
        """Take a file and its versions out of the library (who added it, leaders)."""
        group = selectors.get_readable_group(request.user, slug)
        library_file = selectors.get_library_file(request.user, group, file_id)
        services.delete_file(actor=request.user, library_file=library_file)
        return Response(status=status.HTTP_204_NO_CONTENT)


class GroupFileVersionsApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=TAGS,
        request={"multipart/form-data": VersionUploadSerializer},
        responses={201: FileVersionSerializer},
        operation_id="group_files_versions_create",
    )
    def post(self, request, slug: str, file_id: int):
        """Upload a new version; it becomes the current one."""
        group = selectors.get_readable_group(request.user, slug)
        library_file = selectors.get_library_file(request.user, group, file_id)
        data = _valid(VersionUploadSerializer, request.data)
        version = services.add_version(
            actor=request.user, library_file=library_file, upload=data["file"], note=data["note"]
        )
        version.file = library_file
        return Response(FileVersionSerializer(version).data, status=status.HTTP_201_CREATED)


class GroupFileDownloadApi(APIView):
    @extend_schema(
        tags=TAGS,
        responses={(200, "application/octet-stream"): bytes},
        operation_id="group_files_versions_download",
    )
    def get(self, request, slug: str, file_id: int, number: int):
        """The bytes of a version (token clients; pages use the same URL's page twin)."""
        group = selectors.get_readable_group(request.user, slug)
        return views.serve_version(selectors.get_version(request.user, group, file_id, number))
