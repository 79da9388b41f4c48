"""Versions under /api/v1/policies/: the list and drafts, the current policy, one version,
publishing and acknowledging, diffs, what the policy means for me, and the settings it is
enforced under."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import PAGE_PARAMETERS, keyset_page, keyset_response, keyset_schema, validated
from core.versioning import compared_numbers

from .. import selectors, services
from ..models import PolicyVersion
from ..serializers import (
    AcknowledgementSerializer,
    DiffSerializer,
    MyStatusSerializer,
    SettingsInputSerializer,
    SettingsSerializer,
    VersionInputSerializer,
    VersionListItemSerializer,
    VersionSerializer,
    VersionUpdateSerializer,
)
from .common import _department


def _version_data(user, version: PolicyVersion) -> dict:
    acknowledgement = selectors.acknowledgement_of(user, version)
    return VersionSerializer(
        {
            "number": version.number,
            "title": version.title,
            "status": version.status,
            "change_note": version.change_note,
            "requires_recertification": version.requires_recertification,
            "published_at": version.published_at,
            "body": version.body,
            "body_html": version.body_html,
            "acknowledged_at": acknowledgement.acknowledged_at if acknowledgement else None,
            "has_quiz": hasattr(version, "quiz"),
        }
    ).data


# --- Versions ------------------------------------------------------------------------


class VersionListApi(APIView):
    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=keyset_schema(VersionListItemSerializer),
        operation_id="policies_versions_list",
    )
    def get(self, request):
        """Versions, newest first: published and superseded for everyone, drafts for admins."""
        page = keyset_page(
            request, selectors.visible_versions(request.user), ordering=("-number",), types=(int,)
        )
        return keyset_response(page, VersionListItemSerializer(page.items, many=True).data, request)

    @extend_schema(
        request=VersionInputSerializer,
        responses={201: VersionSerializer},
        operation_id="policies_versions_create",
    )
    def post(self, request):
        """Admins write a new draft."""
        data = validated(VersionInputSerializer, request)
        version = services.create_version(actor=request.user, **data)
        return Response(_version_data(request.user, version), status=status.HTTP_201_CREATED)


class CurrentVersionApi(APIView):
    @extend_schema(responses=VersionSerializer, operation_id="policies_current_retrieve")
    def get(self, request):
        """The policy in force, with when I acknowledged it (404 before the first one)."""
        version = selectors.current_version()
        if version is None:
            raise Http404("No policy is published yet.")
        return Response(_version_data(request.user, version))


class VersionDetailApi(APIView):
    @extend_schema(responses=VersionSerializer, operation_id="policies_versions_retrieve")
    def get(self, request, number: int):
        version = selectors.get_visible_version(request.user, number)
        return Response(_version_data(request.user, version))

    @extend_schema(
        request=VersionUpdateSerializer,
        responses=VersionSerializer,
        operation_id="policies_versions_partial_update",
    )
    def patch(self, request, number: int):
        """Admins edit a draft; published versions never change."""
        data = validated(VersionUpdateSerializer, request)
        version = selectors.get_visible_version(request.user, number)
        services.edit_version(
            actor=request.user,
            version=version,
            title=data.get("title", version.title),
            body=data.get("body", version.body),
            change_note=data.get("change_note", version.change_note),
            requires_recertification=data.get(
                "requires_recertification", version.requires_recertification
            ),
        )
        return Response(_version_data(request.user, version))


class VersionPublishApi(APIView):
    @extend_schema(request=None, responses=VersionSerializer, operation_id="policies_publish")
    def post(self, request, number: int):
        """Admins publish a draft: it supersedes the current version; everyone is notified."""
        version = selectors.get_visible_version(request.user, number)
        published = services.publish_version(actor=request.user, version=version)
        return Response(_version_data(request.user, published))


class VersionAcknowledgeApi(APIView):
    @extend_schema(
        request=None,
        responses={201: AcknowledgementSerializer},
        operation_id="policies_acknowledge",
    )
    def post(self, request, number: int):
        """Acknowledge the current version (an old version or a draft is a 400)."""
        version = selectors.get_visible_version(request.user, number)
        acknowledgement = services.acknowledge_version(actor=request.user, version=version)
        return Response(
            AcknowledgementSerializer(acknowledgement).data, status=status.HTTP_201_CREATED
        )


class DiffApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("old", int, required=True, description="Version number"),
            OpenApiParameter("new", int, required=True, description="Version number"),
        ],
        responses=DiffSerializer,
        operation_id="policies_diff",
    )
    def get(self, request):
        """The Markdown sources of two versions, line by line (plain text)."""
        old_number, new_number = compared_numbers(request.query_params)
        old = selectors.get_visible_version(request.user, old_number)
        new = selectors.get_visible_version(request.user, new_number)
        lines = selectors.diff_versions(old, new)
        return Response(DiffSerializer({"old": old.number, "new": new.number, "lines": lines}).data)


class MyStatusApi(APIView):
    @extend_schema(responses=MyStatusSerializer, operation_id="policies_me")
    def get(self, request):
        """What the policy means for me: acknowledged, may I post, may I reply publicly."""
        current = selectors.current_version()
        return Response(
            MyStatusSerializer(
                {
                    "current_version": current.number if current else None,
                    "acknowledged": selectors.has_acknowledged_current(request.user),
                    "may_post": selectors.may_post(request.user),
                    "may_reply_publicly": selectors.may_reply_publicly(request.user),
                    "certified": selectors.is_certified(request.user),
                }
            ).data
        )


# --- Settings ------------------------------------------------------------------------


def _settings_data(row) -> dict:
    departments = [] if row._state.adding else [d.slug for d in row.designated_departments.all()]
    return SettingsSerializer(
        {
            "acknowledgement_gate": row.acknowledgement_gate,
            "engagement_model": row.engagement_model,
            "designated_departments": departments,
            "reminder_days": row.reminder_days,
            "ownership_statement": row.ownership_statement,
        }
    ).data


class SettingsApi(APIView):
    @extend_schema(responses=SettingsSerializer, operation_id="policies_settings_retrieve")
    def get(self, request):
        """The organisation's gate, engagement model and reminders (every employee may
        know the rules they work under)."""
        return Response(_settings_data(selectors.policy_settings()))

    @extend_schema(
        request=SettingsInputSerializer,
        responses=SettingsSerializer,
        operation_id="policies_settings_partial_update",
    )
    def patch(self, request):
        """Admins change the settings."""
        data = validated(SettingsInputSerializer, request)
        row = selectors.policy_settings()
        if "designated_departments" in data:
            departments = [
                _department(slug, field="designated_departments")
                for slug in data["designated_departments"]
            ]
        else:
            departments = [] if row._state.adding else list(row.designated_departments.all())
        updated = services.update_settings(
            actor=request.user,
            acknowledgement_gate=data.get("acknowledgement_gate", row.acknowledgement_gate),
            engagement_model=data.get("engagement_model", row.engagement_model),
            reminder_days=data.get("reminder_days", row.reminder_days),
            designated_departments=departments,
            ownership_statement=data.get("ownership_statement"),
        )
        return Response(_settings_data(updated))
