"""The groups API: directory, detail, joining, members, join requests, reports, audit log
(reporting a post or comment is feeds': feeds.api.ReportCreateApi).

Each view parses its input with its own serializer, asks one selector or calls one service,
and answers with its own output serializer. Who may see a group is groups.selectors';
who may change it is groups.services' (ApplicationError 403, nothing written).
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
from people import selectors as people_selectors

from . import selectors, services
from .models import AuditEntry, Group, JoinRequest
from .serializers import (
    AuditEntrySerializer,
    GroupCreateSerializer,
    GroupDetailSerializer,
    GroupListItemSerializer,
    GroupUpdateSerializer,
    JoinInputSerializer,
    JoinRequestSerializer,
    JoinResultSerializer,
    MemberInviteSerializer,
    MemberSerializer,
    MemberUpdateSerializer,
    ReasonSerializer,
    ReportSerializer,
)

PRIVATE_MESSAGE = "This group is private: only its members can see its members and posts."


def readable_group(user, slug: str) -> Group:
    """A group whose content `user` may read. A group they may not know of is 404; a
    private group they know of but do not belong to is 403 with a clear message."""
    group = selectors.get_listed_group(user, slug)
    if not selectors.can_read(user, group):
        raise PermissionDenied(PRIVATE_MESSAGE)
    return group


def _moderated_group(user, slug: str) -> Group:
    group = selectors.get_listed_group(user, slug)
    if not selectors.can_moderate(user, group):
        raise PermissionDenied("Only the group's leaders can see this.")
    return group


def _person(viewer, username: str, *, field: str | None = None):
    """An active person by username: 404, or a 400 naming `field` when it came in a body."""
    try:
        return people_selectors.get_person(viewer, username)
    except Http404:
        if field is None:
            raise
        raise ApplicationError("Nobody here has this username.", field=field) from None


def _detail(request, slug: str) -> dict:
    group = selectors.get_directory_group(request.user, slug)
    membership = selectors.membership_of(request.user, group)
    pending = membership is None and selectors.my_pending_request(request.user, group) is not None
    data = {
        "slug": group.slug,
        "name": group.name,
        "description": group.description,
        "kind": group.kind,
        "privacy": group.privacy,
        "posting": group.posting,
        "cover_url": request.build_absolute_uri(group.cover_url) if group.cover else "",
        "member_count": group.member_count,
        "can_read": selectors.can_read(request.user, group, membership),
        "can_moderate": selectors.can_moderate(request.user, group, membership),
        "membership": membership,
        "pending_request": pending,
        "url": request.build_absolute_uri(group.get_absolute_url()),
    }
    return GroupDetailSerializer(data).data


# --- Groups ------------------------------------------------------------------------------


class GroupListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Part of the name or description"),
            OpenApiParameter("kind", str, enum=Group.Kind.values),
            *PAGE_PARAMETERS,
        ],
        responses=keyset_schema(GroupListItemSerializer),
        operation_id="groups_list",
    )
    def get(self, request):
        """The groups I may know of, by name; keyset-paginated."""
        kind = request.query_params.get("kind", "")
        if kind and kind not in Group.Kind.values:
            return Response({"kind": ["Choose company, department or interest."]}, status=400)
        groups = selectors.directory(
            request.user, query=request.query_params.get("q", "")[:100], kind=kind
        )
        page = keyset_page(request, groups, ordering=("name", "id"), types=(str, int))
        data = GroupListItemSerializer(page.items, many=True, context={"request": request}).data
        return keyset_response(page, data, request)

    @extend_schema(
        request=GroupCreateSerializer,
        responses={201: GroupDetailSerializer},
        operation_id="groups_create",
    )
    def post(self, request):
        """Create an interest group; I become its owner."""
        data = validated(GroupCreateSerializer, request)
        group = services.create_group(actor=request.user, **data)
        return Response(_detail(request, group.slug), status=status.HTTP_201_CREATED)


class GroupDetailApi(APIView):
    @extend_schema(responses=GroupDetailSerializer, operation_id="groups_retrieve")
    def get(self, request, slug: str):
        """A group I may know of, with my membership and whether I asked to join."""
        return Response(_detail(request, slug))

    @extend_schema(
        request=GroupUpdateSerializer,
        responses=GroupDetailSerializer,
        operation_id="groups_partial_update",
    )
    def patch(self, request, slug: str):
        """Leaders (and admins) change the name, description, (interest groups) privacy or
        who may start posts; audited. The cover picture is changed on the group's edit page."""
        data = validated(GroupUpdateSerializer, request)
        group = selectors.get_listed_group(request.user, slug)
        services.edit_group(
            actor=request.user,
            group=group,
            name=data.get("name", group.name),
            description=data.get("description", group.description),
            privacy=data.get("privacy", group.privacy),
            posting=data.get("posting"),
        )
        return Response(_detail(request, slug))


class GroupJoinApi(APIView):
    @extend_schema(
        request=JoinInputSerializer,
        responses={200: JoinResultSerializer, 201: JoinResultSerializer, 202: JoinResultSerializer},
        operation_id="groups_join",
    )
    def post(self, request, slug: str):
        """Join a public group (201; 200 if I was a member already), or ask to join a
        private one (202, pending until a leader decides)."""
        data = validated(JoinInputSerializer, request)
        group = selectors.get_listed_group(request.user, slug)
        was_member = selectors.membership_of(request.user, group) is not None
        result = services.join_group(actor=request.user, group=group, **data)
        if isinstance(result, JoinRequest):
            body = {"status": "pending", "role": None, "request_id": result.pk}
            return Response(JoinResultSerializer(body).data, status=status.HTTP_202_ACCEPTED)
        body = {"status": "member", "role": result.role, "request_id": None}
        code = status.HTTP_200_OK if was_member else status.HTTP_201_CREATED
        return Response(JoinResultSerializer(body).data, status=code)

    @extend_schema(responses={204: None}, operation_id="groups_join_cancel")
    def delete(self, request, slug: str):
        """Withdraw my pending request to join."""
        group = selectors.get_listed_group(request.user, slug)
        services.cancel_join_request(actor=request.user, group=group)
        return Response(status=status.HTTP_204_NO_CONTENT)


class GroupLeaveApi(APIView):
    @extend_schema(request=None, responses={204: None}, operation_id="groups_leave")
    def post(self, request, slug: str):
        """Leave the group (the last owner must name another first)."""
        group = selectors.get_listed_group(request.user, slug)
        services.leave_group(actor=request.user, group=group)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Members -----------------------------------------------------------------------------


class MemberListApi(APIView):
    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=keyset_schema(MemberSerializer),
        operation_id="groups_members_list",
    )
    def get(self, request, slug: str):
        """The members, by display name, for those who may read the group."""
        group = readable_group(request.user, slug)
        page = keyset_page(
            request,
            selectors.members(request.user, group),
            ordering=("user__profile__display_name", "id"),
            types=(str, int),
        )
        context = {"moderator": selectors.can_moderate(request.user, group)}
        return keyset_response(
            page, MemberSerializer(page.items, many=True, context=context).data, request
        )

    @extend_schema(
        request=MemberInviteSerializer,
        responses={201: MemberSerializer},
        operation_id="groups_members_create",
    )
    def post(self, request, slug: str):
        """Leaders add a person (the only way into a secret group)."""
        data = validated(MemberInviteSerializer, request)
        group = selectors.get_listed_group(request.user, slug)
        person = _person(request.user, data["username"], field="username")
        membership = services.invite_member(actor=request.user, group=group, user=person)
        return Response(
            MemberSerializer(membership, context={"moderator": True}).data,
            status=status.HTTP_201_CREATED,
        )


class MemberDetailApi(APIView):
    @extend_schema(
        request=MemberUpdateSerializer,
        responses=MemberSerializer,
        operation_id="groups_members_partial_update",
    )
    def patch(self, request, slug: str, username: str):
        """Owners change a member's role; leaders mute (`until` a time) or unmute (`null`)."""
        data = validated(MemberUpdateSerializer, request)
        group = selectors.get_listed_group(request.user, slug)
        person = _person(request.user, username)
        services.update_member(
            actor=request.user,
            group=group,
            user=person,
            role=data.get("role"),
            mute=data.get("mute"),
        )
        membership = selectors.membership_of(person, group)
        membership.user = person
        return Response(MemberSerializer(membership, context={"moderator": True}).data)

    @extend_schema(
        request=ReasonSerializer, responses={204: None}, operation_id="groups_members_destroy"
    )
    def delete(self, request, slug: str, username: str):
        """Leaders remove a member, with a reason for the audit log."""
        data = validated(ReasonSerializer, request)
        group = selectors.get_listed_group(request.user, slug)
        person = _person(request.user, username)
        services.remove_member(actor=request.user, group=group, user=person, **data)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Join requests -----------------------------------------------------------------------


class JoinRequestListApi(APIView):
    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=keyset_schema(JoinRequestSerializer),
        operation_id="groups_join_requests_list",
    )
    def get(self, request, slug: str):
        """Pending requests to join, oldest first, for the group's leaders."""
        group = _moderated_group(request.user, slug)
        page = keyset_page(
            request,
            selectors.pending_requests(request.user, group),
            ordering=("created_at", "id"),
            types=(dt.datetime, int),
        )
        return keyset_response(page, JoinRequestSerializer(page.items, many=True).data, request)


class _DecideJoinRequestApi(APIView):
    approve: bool

    def post(self, request, slug: str, request_id: int):
        data = validated(ReasonSerializer, request)
        group = selectors.get_listed_group(request.user, slug)
        join_request = selectors.get_join_request(request.user, group, request_id)
        decided = services.decide_join_request(
            actor=request.user, join_request=join_request, approve=self.approve, **data
        )
        decided.user = join_request.user
        return Response(JoinRequestSerializer(decided).data)


class JoinRequestApproveApi(_DecideJoinRequestApi):
    approve = True

    @extend_schema(
        request=ReasonSerializer,
        responses=JoinRequestSerializer,
        operation_id="groups_join_requests_approve",
    )
    def post(self, request, slug: str, request_id: int):
        """Leaders let the person in."""
        return super().post(request, slug, request_id)


class JoinRequestDenyApi(_DecideJoinRequestApi):
    approve = False

    @extend_schema(
        request=ReasonSerializer,
        responses=JoinRequestSerializer,
        operation_id="groups_join_requests_deny",
    )
    def post(self, request, slug: str, request_id: int):
        """Leaders turn the request down."""
        return super().post(request, slug, request_id)


# --- Reports and the audit log -----------------------------------------------------------


class GroupReportListApi(APIView):
    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=keyset_schema(ReportSerializer),
        operation_id="groups_reports_list",
    )
    def get(self, request, slug: str):
        """Open reports, newest first, for the group's leaders."""
        group = _moderated_group(request.user, slug)
        page = keyset_page(
            request,
            selectors.open_reports(request.user, group),
            ordering=("-created_at", "-id"),
            types=(dt.datetime, int),
        )
        return keyset_response(page, ReportSerializer(page.items, many=True).data, request)


class ReportDismissApi(APIView):
    @extend_schema(
        request=ReasonSerializer,
        responses=ReportSerializer,
        operation_id="reports_dismiss",
    )
    def post(self, request, report_id: int):
        """Leaders close a report and leave the content up."""
        data = validated(ReasonSerializer, request)
        report = selectors.get_report(request.user, report_id)
        report = services.dismiss_report(actor=request.user, report=report, **data)
        return Response(ReportSerializer(report).data)


class AuditLogApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("action", str, enum=AuditEntry.Action.values),
            OpenApiParameter("actor", str, description="Username of who acted"),
            *PAGE_PARAMETERS,
        ],
        responses=keyset_schema(AuditEntrySerializer),
        operation_id="groups_audit_log_list",
    )
    def get(self, request, slug: str):
        """The group's moderation log, newest first, for its leaders and admins."""
        action = request.query_params.get("action", "")
        if action and action not in AuditEntry.Action.values:
            return Response({"action": ["No such moderation action."]}, status=400)
        group = _moderated_group(request.user, slug)
        entries = selectors.audit_log(
            request.user, group, action=action, actor=request.query_params.get("actor", "")[:150]
        )
        page = keyset_page(
            request, entries, ordering=("-created_at", "-id"), types=(dt.datetime, int)
        )
        return keyset_response(page, AuditEntrySerializer(page.items, many=True).data, request)
