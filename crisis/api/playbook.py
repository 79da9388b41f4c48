"""The crisis playbook: versions (drafts for admins and crisis leads), the one in force,
publication, acknowledgement and diffs, as the policy API has them."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import PAGE_PARAMETERS, keyset_page, keyset_response, keyset_schema, validated
from core.versioning import compared_numbers
from policies.serializers import DiffSerializer

from .. import selectors, services
from ..models import PlaybookVersion
from ..serializers import (
    PlaybookAcknowledgementSerializer,
    PlaybookInputSerializer,
    PlaybookListItemSerializer,
    PlaybookSerializer,
    PlaybookUpdateSerializer,
)


def _playbook_reader(user) -> None:
    if not selectors.may_read_playbook(user):
        raise PermissionDenied("The crisis playbook is for the crisis team and the social team.")


def _playbook_data(user, version: PlaybookVersion) -> dict:
    acknowledgement = selectors.playbook_acknowledgement(user, version)
    return PlaybookSerializer(
        {
            "number": version.number,
            "title": version.title,
            "status": version.status,
            "change_note": version.change_note,
            "published_at": version.published_at,
            "body": version.body,
            "body_html": version.body_html,
            "acknowledged_at": acknowledgement.acknowledged_at if acknowledgement else None,
            "holding_statements": [
                {"scenario": s, "text": t} for s, t in selectors.holding_statements(version)
            ],
        }
    ).data


class PlaybookListApi(APIView):
    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=keyset_schema(PlaybookListItemSerializer),
        operation_id="crisis_playbook_list",
    )
    def get(self, request):
        """Playbook versions, newest first (drafts for admins and crisis leads)."""
        _playbook_reader(request.user)
        page = keyset_page(
            request,
            selectors.visible_playbook_versions(request.user),
            ordering=("-number",),
            types=(int,),
        )
        data = PlaybookListItemSerializer(page.items, many=True).data
        return keyset_response(page, data, request)

    @extend_schema(
        request=PlaybookInputSerializer,
        responses={201: PlaybookSerializer},
        operation_id="crisis_playbook_create",
    )
    def post(self, request):
        """Admins and crisis leads write a new draft."""
        data = validated(PlaybookInputSerializer, request)
        version = services.create_playbook_version(actor=request.user, **data)
        return Response(_playbook_data(request.user, version), status=status.HTTP_201_CREATED)


class PlaybookCurrentApi(APIView):
    @extend_schema(responses=PlaybookSerializer, operation_id="crisis_playbook_current")
    def get(self, request):
        """The playbook in force (404 before the first one)."""
        _playbook_reader(request.user)
        version = selectors.current_playbook()
        if version is None:
            raise Http404("No playbook is published yet.")
        return Response(_playbook_data(request.user, version))


class PlaybookDetailApi(APIView):
    @extend_schema(responses=PlaybookSerializer, operation_id="crisis_playbook_retrieve")
    def get(self, request, number: int):
        _playbook_reader(request.user)
        version = selectors.get_playbook_version(request.user, number)
        return Response(_playbook_data(request.user, version))

    @extend_schema(
        request=PlaybookUpdateSerializer,
        responses=PlaybookSerializer,
        operation_id="crisis_playbook_partial_update",
    )
    def patch(self, request, number: int):
        """Edit a draft; published versions never change."""
        data = validated(PlaybookUpdateSerializer, request)
        _playbook_reader(request.user)
        version = selectors.get_playbook_version(request.user, number)
        services.edit_playbook_version(
            actor=request.user,
            version=version,
            title=data.get("title", version.title),
            body=data.get("body", version.body),
            change_note=data.get("change_note", version.change_note),
        )
        return Response(_playbook_data(request.user, version))


class PlaybookPublishApi(APIView):
    @extend_schema(
        request=None, responses=PlaybookSerializer, operation_id="crisis_playbook_publish"
    )
    def post(self, request, number: int):
        """Publish a draft: it supersedes the current one; the crisis team is asked to
        acknowledge it."""
        _playbook_reader(request.user)
        version = selectors.get_playbook_version(request.user, number)
        published = services.publish_playbook_version(actor=request.user, version=version)
        return Response(_playbook_data(request.user, published))


class PlaybookAcknowledgeApi(APIView):
    @extend_schema(
        request=None,
        responses={201: PlaybookAcknowledgementSerializer},
        operation_id="crisis_playbook_acknowledge",
    )
    def post(self, request, number: int):
        _playbook_reader(request.user)
        version = selectors.get_playbook_version(request.user, number)
        acknowledgement = services.acknowledge_playbook(actor=request.user, version=version)
        return Response(
            PlaybookAcknowledgementSerializer(acknowledgement).data,
            status=status.HTTP_201_CREATED,
        )


class PlaybookDiffApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("old", int, required=True, description="Version number"),
            OpenApiParameter("new", int, required=True, description="Version number"),
        ],
        responses=DiffSerializer,
        operation_id="crisis_playbook_diff",
    )
    def get(self, request):
        """The Markdown sources of two versions, line by line (plain text)."""
        _playbook_reader(request.user)
        old_number, new_number = compared_numbers(request.query_params)
        old = selectors.get_playbook_version(request.user, old_number)
        new = selectors.get_playbook_version(request.user, new_number)
        lines = selectors.diff_playbook(old, new)
        return Response(DiffSerializer({"old": old.number, "new": new.number, "lines": lines}).data)
