"""Incidents: the list, declared by hand or from a monitoring alert, closed, their timeline,
notes and announcement, and the held replies the social team decides on."""

import datetime as dt

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import PAGE_PARAMETERS, keyset_page, keyset_response, keyset_schema, validated
from core.errors import ApplicationError
from monitoring import selectors as monitoring
from people import selectors as people

from .. import selectors, services
from ..models import Incident
from ..serializers import (
    AnnouncementInputSerializer,
    AnnouncementSerializer,
    DeclareFromAlertInputSerializer,
    HeldReplySerializer,
    IncidentCloseInputSerializer,
    IncidentInputSerializer,
    IncidentSerializer,
    NoteInputSerializer,
    TimelineEntrySerializer,
)

MAX_ID = 2**63 - 1  # an alert's id is a 64-bit column


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
