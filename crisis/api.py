"""The crisis and social APIs under /api/v1/: the playbook (versions as the policy API),
incidents (declare, close, timeline, notes, announcement; declare from a monitoring alert),
the org chart and the brand activity feed. Reads are crisis.selectors'; writes are
crisis.services' (ApplicationError: 400 naming the field, 403/409 with nothing written).
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import PAGE_PARAMETERS, keyset_page, keyset_response, keyset_schema, validated
from core.errors import ApplicationError
from core.versioning import compared_numbers
from monitoring import selectors as monitoring
from people import selectors as people
from policies.serializers import DiffSerializer

from . import selectors, services
from .models import Incident, PlaybookVersion
from .serializers import (
    AnnouncementInputSerializer,
    AnnouncementSerializer,
    BrandActivitySerializer,
    DeclareFromAlertInputSerializer,
    HeldReplySerializer,
    IncidentCloseInputSerializer,
    IncidentInputSerializer,
    IncidentSerializer,
    NoteInputSerializer,
    OrgChartSerializer,
    PlaybookAcknowledgementSerializer,
    PlaybookInputSerializer,
    PlaybookListItemSerializer,
    PlaybookSerializer,
    PlaybookUpdateSerializer,
    TimelineEntrySerializer,
)

MAX_ID = 2**63 - 1  # an alert's id is a 64-bit column


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


# --- Incidents ------------------------------------------------------------------------


def _departments(slugs) -> list:
    found = []
    for slug in slugs or ():
        department = people.get_department(slug)
        if department is None:
            raise ApplicationError(f"No department has the slug {slug!r}.", field="departments")
        found.append(department)
    return found


def _incident_data(incident: Incident) -> dict:
    return IncidentSerializer(incident).data


class IncidentListApi(APIView):
    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=keyset_schema(IncidentSerializer),
        operation_id="crisis_incidents_list",
    )
    def get(self, request):
        """Incidents I may read, newest first."""
        page = keyset_page(
            request,
            selectors.readable_incidents(request.user).prefetch_related("departments"),
            ordering=("-declared_at", "-id"),
            types=(dt.datetime, int),
        )
        return keyset_response(page, IncidentSerializer(page.items, many=True).data, request)

    @extend_schema(
        request=IncidentInputSerializer,
        responses={201: IncidentSerializer},
        operation_id="crisis_incidents_create",
    )
    def post(self, request):
        """The social team or an admin declares an incident by hand."""
        data = validated(IncidentInputSerializer, request)
        incident = services.declare_incident(
            actor=request.user,
            title=data["title"],
            summary=data["summary"],
            severity=data["severity"],
            departments=_departments(data.get("departments")),
            watch_rule_ids=data.get("watch_rule_ids", []),
            second_approval=data["second_approval"],
        )
        found = selectors.get_readable_incident(request.user, incident.pk)
        return Response(_incident_data(found), status=status.HTTP_201_CREATED)


class DeclareFromAlertApi(APIView):
    @extend_schema(
        request=DeclareFromAlertInputSerializer,
        responses={201: IncidentSerializer},
        operation_id="monitoring_alerts_declare",
    )
    def post(self, request, alert_id: int):
        """Declare an incident from a monitoring alert (served by the crisis app): the alert
        is linked and lands on the incident's timeline."""
        data = validated(DeclareFromAlertInputSerializer, request)
        if alert_id > MAX_ID:
            raise Http404("No such alert.")
        alert = monitoring.get_visible_alert(request.user, alert_id)
        incident = services.declare_incident(
            actor=request.user,
            title=data["title"],
            summary=data["summary"],
            severity=data["severity"],
            departments=_departments(data.get("departments")),
            alert=alert,
            second_approval=data["second_approval"],
        )
        found = selectors.get_readable_incident(request.user, incident.pk)
        return Response(_incident_data(found), status=status.HTTP_201_CREATED)


class IncidentDetailApi(APIView):
    @extend_schema(responses=IncidentSerializer, operation_id="crisis_incidents_retrieve")
    def get(self, request, incident_id: int):
        return Response(_incident_data(selectors.get_readable_incident(request.user, incident_id)))


class IncidentCloseApi(APIView):
    @extend_schema(
        request=IncidentCloseInputSerializer,
        responses=IncidentSerializer,
        operation_id="crisis_incidents_close",
    )
    def post(self, request, incident_id: int):
        """Close the incident: crisis mode ends; the report is ready."""
        data = validated(IncidentCloseInputSerializer, request)
        found = selectors.get_readable_incident(request.user, incident_id)
        services.close_incident(
            actor=request.user, incident=found, resolution=data.get("resolution", "")
        )
        return Response(_incident_data(selectors.get_readable_incident(request.user, incident_id)))


class IncidentTimelineApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("after", int, description="Only entries after this id")],
        responses=TimelineEntrySerializer(many=True),
        operation_id="crisis_incidents_timeline",
    )
    def get(self, request, incident_id: int):
        """Everything about the incident, in order; customer data as I may see it."""
        found = selectors.get_readable_incident(request.user, incident_id)
        raw = request.query_params.get("after", "")
        if raw and (not raw.isdigit() or len(raw) > 12):
            return Response({"after": ["Give an entry id."]}, status=400)
        entries = selectors.timeline(request.user, found, after=int(raw) if raw else None)
        return Response(TimelineEntrySerializer(entries, many=True).data)


class IncidentNotesApi(APIView):
    @extend_schema(
        request=NoteInputSerializer,
        responses={201: TimelineEntrySerializer},
        operation_id="crisis_incidents_notes_create",
    )
    def post(self, request, incident_id: int):
        data = validated(NoteInputSerializer, request)
        found = selectors.get_readable_incident(request.user, incident_id)
        entry = services.add_note(actor=request.user, incident=found, text=data["text"])
        entry.visible_text = entry.text
        return Response(TimelineEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class IncidentAnnouncementApi(APIView):
    @extend_schema(
        request=AnnouncementInputSerializer,
        responses={201: AnnouncementSerializer},
        operation_id="crisis_incidents_announcement",
    )
    def post(self, request, incident_id: int):
        """The crisis lead's pinned company-wide announcement (a post in All company)."""
        data = validated(AnnouncementInputSerializer, request)
        found = selectors.get_readable_incident(request.user, incident_id)
        post = services.publish_announcement(actor=request.user, incident=found, body=data["body"])
        return Response(AnnouncementSerializer(post).data, status=status.HTTP_201_CREATED)


class IncidentHeldRepliesApi(APIView):
    @extend_schema(
        responses=HeldReplySerializer(many=True), operation_id="crisis_incidents_held_replies"
    )
    def get(self, request, incident_id: int):
        """Public replies written during the incident that wait for a second social team
        member's approval (the social team reads them; everyone else gets an empty list)."""
        found = selectors.get_readable_incident(request.user, incident_id)
        held = selectors.pending_held_replies(request.user, found)
        return Response(HeldReplySerializer(held, many=True).data)


class HeldReplyApproveApi(APIView):
    @extend_schema(request=None, responses=HeldReplySerializer)
    def post(self, request, held_id: int):
        """Approve a held reply: it is sent now, by its author, approved by me. 403 for my
        own reply or outside the social team; 409 once decided."""
        held = selectors.get_held_reply(request.user, held_id)
        services.approve_held_reply(actor=request.user, held=held)
        return Response(HeldReplySerializer(selectors.get_held_reply(request.user, held_id)).data)


class HeldReplyRejectApi(APIView):
    @extend_schema(request=None, responses=HeldReplySerializer)
    def post(self, request, held_id: int):
        """Reject a held reply: nothing is sent; the timeline says so. 409 once decided."""
        held = selectors.get_held_reply(request.user, held_id)
        services.reject_held_reply(actor=request.user, held=held)
        return Response(HeldReplySerializer(selectors.get_held_reply(request.user, held_id)).data)


# --- Social -----------------------------------------------------------------------------


class OrgChartApi(APIView):
    @extend_schema(responses=OrgChartSerializer, operation_id="social_org_retrieve")
    def get(self, request):
        """Who does what in social: the engagement model, the social team, each
        department's mentors and certified representatives, brand accounts with the people
        authorized on them, the crisis roles."""
        chart = selectors.org_chart(request.user)
        data = {
            "engagement_model": chart.engagement_model,
            "engagement_label": chart.engagement_label,
            "designated_departments": chart.designated_departments,
            "social_team": chart.social_team,
            "departments": [
                {"department": d, "mentors": m, "representatives": r}
                for d, m, r in chart.departments
            ],
            "brand_accounts": [
                {
                    "id": a.pk,
                    "platform": a.platform,
                    "handle": a.handle,
                    "url": a.url,
                    "department": a.department,
                    "authorized": [auth.user for auth in a.active_authorizations],
                }
                for a in chart.accounts
            ],
            "crisis_roles": [
                {"role": label, "people": users} for label, users in chart.crisis_roles
            ],
        }
        return Response(OrgChartSerializer(data).data)


class BrandActivityApi(APIView):
    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=keyset_schema(BrandActivitySerializer),
        operation_id="social_brand_activity_list",
    )
    def get(self, request):
        """Every public reply and brand post, newest first, without customer personal data."""
        page = keyset_page(
            request,
            selectors.brand_activity(request.user),
            ordering=("-occurred_at", "-id"),
            types=(dt.datetime, int),
        )
        return keyset_response(page, BrandActivitySerializer(page.items, many=True).data, request)
