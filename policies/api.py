"""The policies API under /api/v1/policies/: versions, acknowledgement, diffs, the quiz,
settings, the acknowledgement report, certified representatives, brand accounts,
offboarding and the audit log.

Each view parses its input with its own serializer, asks one selector or calls one service,
and answers with its own output serializer. Reads are policies.selectors'; writes are
policies.services' (ApplicationError: 400 naming the field, or 403 with nothing written).
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
from people import selectors as people
from people.models import Department
from people.roles import is_admin

from . import selectors, services
from .models import PolicyVersion
from .serializers import (
    AcknowledgementReportSerializer,
    AcknowledgementSerializer,
    AttemptInputSerializer,
    AttemptSerializer,
    BrandAccountInputSerializer,
    BrandAccountSerializer,
    BrandAccountUpdateSerializer,
    DiffSerializer,
    MyStatusSerializer,
    OffboardInputSerializer,
    OffboardPreviewSerializer,
    OffboardResultSerializer,
    PolicyAuditEntrySerializer,
    QuizInputSerializer,
    QuizSerializer,
    RepresentativeSerializer,
    RevokeInputSerializer,
    SettingsInputSerializer,
    SettingsSerializer,
    UsernameInputSerializer,
    VersionInputSerializer,
    VersionListItemSerializer,
    VersionSerializer,
    VersionUpdateSerializer,
)


def _require_admin(user) -> None:
    if not is_admin(user):
        raise PermissionDenied("Only admins can see this.")


def _person(username: str, *, field: str):
    person = people.get_account(username=username)
    if person is None:
        raise ApplicationError("Nobody active here has this username.", field=field)
    return person


def _department(slug: str, *, field: str = "department") -> Department:
    department = people.get_department(slug)
    if department is None:
        raise ApplicationError("No department has this slug.", field=field)
    return department


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


# --- Quiz ----------------------------------------------------------------------------


class VersionQuizApi(APIView):
    @extend_schema(
        request=QuizInputSerializer,
        responses=QuizSerializer,
        operation_id="policies_versions_quiz_update",
    )
    def put(self, request, number: int):
        """Admins attach a quiz to a version, or replace its questions. Exactly one choice
        per question is `correct`; the pass mark is a percentage from 1 to 100."""
        data = validated(QuizInputSerializer, request)
        version = selectors.get_visible_version(request.user, number)
        questions = [
            services.QuestionInput(
                q["text"].strip(), [(c["text"].strip(), c["correct"]) for c in q["choices"]]
            )
            for q in data["questions"]
        ]
        services.set_quiz(
            actor=request.user, version=version, pass_mark=data["pass_mark"], questions=questions
        )
        return Response(QuizSerializer(selectors.quiz_of(version)).data)


class QuizApi(APIView):
    @extend_schema(responses=QuizSerializer, operation_id="policies_quiz_retrieve")
    def get(self, request):
        """The certification quiz: questions and choice ids, never the answer key."""
        quiz = selectors.current_quiz()
        if quiz is None:
            raise Http404("There is no certification quiz yet.")
        return Response(QuizSerializer(quiz).data)


class QuizAttemptApi(APIView):
    @extend_schema(
        request=AttemptInputSerializer,
        responses={201: AttemptSerializer},
        operation_id="policies_quiz_attempt",
    )
    def post(self, request):
        """Submit answers; the server scores them. Passing certifies me."""
        data = validated(AttemptInputSerializer, request)
        quiz = selectors.current_quiz()
        if quiz is None:
            raise Http404("There is no certification quiz yet.")
        attempt = services.submit_quiz(actor=request.user, quiz=quiz, answers=data["answers"])
        attempt.certified = selectors.is_certified(request.user)
        return Response(AttemptSerializer(attempt).data, status=status.HTTP_201_CREATED)


# --- Settings and report -------------------------------------------------------------


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


# --- Certified people ----------------------------------------------------------------


class RepresentativeListApi(APIView):
    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=keyset_schema(RepresentativeSerializer),
        operation_id="policies_representatives_list",
    )
    def get(self, request):
        """Certified brand representatives, by name."""
        page = keyset_page(
            request,
            selectors.representatives(request.user),
            ordering=("user__profile__display_name", "id"),
            types=(str, int),
        )
        return keyset_response(page, RepresentativeSerializer(page.items, many=True).data, request)


class RepresentativeRevokeApi(APIView):
    @extend_schema(
        request=RevokeInputSerializer,
        responses={204: None},
        operation_id="policies_representatives_revoke",
    )
    def post(self, request, username: str):
        """Admins revoke someone's certification."""
        data = validated(RevokeInputSerializer, request)
        person = people.get_account(username=username)
        if person is None:
            raise Http404("No such person.")
        services.revoke_certification(actor=request.user, user=person, **data)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Brand accounts ------------------------------------------------------------------


class BrandAccountListApi(APIView):
    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=keyset_schema(BrandAccountSerializer),
        operation_id="policies_accounts_list",
    )
    def get(self, request):
        """The registry of the company's social accounts and who may post on them."""
        page = keyset_page(
            request,
            selectors.brand_accounts(request.user),
            ordering=("platform", "handle", "id"),
            types=(str, str, int),
        )
        return keyset_response(page, BrandAccountSerializer(page.items, many=True).data, request)

    @extend_schema(
        request=BrandAccountInputSerializer,
        responses={201: BrandAccountSerializer},
        operation_id="policies_accounts_create",
    )
    def post(self, request):
        """Admins register an account."""
        if not is_admin(request.user):
            raise ApplicationError("Only admins manage brand accounts.", status=403)
        data = validated(BrandAccountInputSerializer, request)
        data["department"] = _department(data["department"])
        account = services.create_brand_account(actor=request.user, **data)
        found = selectors.get_brand_account(request.user, account.pk)
        return Response(BrandAccountSerializer(found).data, status=status.HTTP_201_CREATED)


class BrandAccountDetailApi(APIView):
    @extend_schema(responses=BrandAccountSerializer, operation_id="policies_accounts_retrieve")
    def get(self, request, account_id: int):
        return Response(
            BrandAccountSerializer(selectors.get_brand_account(request.user, account_id)).data
        )

    @extend_schema(
        request=BrandAccountUpdateSerializer,
        responses=BrandAccountSerializer,
        operation_id="policies_accounts_partial_update",
    )
    def patch(self, request, account_id: int):
        data = validated(BrandAccountUpdateSerializer, request)
        account = selectors.get_brand_account(request.user, account_id)
        if not is_admin(request.user):
            raise ApplicationError("Only admins manage brand accounts.", status=403)
        services.edit_brand_account(
            actor=request.user,
            account=account,
            platform=data.get("platform", account.platform),
            handle=data.get("handle", account.handle),
            url=data.get("url", account.url),
            department=_department(data["department"])
            if "department" in data
            else account.department,
            description=data.get("description", account.description),
        )
        return Response(
            BrandAccountSerializer(selectors.get_brand_account(request.user, account_id)).data
        )


class AuthorizationListApi(APIView):
    @extend_schema(
        request=UsernameInputSerializer,
        responses={201: BrandAccountSerializer},
        operation_id="policies_accounts_authorize",
    )
    def post(self, request, account_id: int):
        """Admins authorize a person to post on the account."""
        data = validated(UsernameInputSerializer, request)
        account = selectors.get_brand_account(request.user, account_id)
        if not is_admin(request.user):
            raise ApplicationError("Only admins authorize people.", status=403)
        person = _person(data["username"], field="username")
        services.authorize_person(actor=request.user, account=account, user=person)
        return Response(
            BrandAccountSerializer(selectors.get_brand_account(request.user, account_id)).data,
            status=status.HTTP_201_CREATED,
        )


class AuthorizationDetailApi(APIView):
    @extend_schema(responses={204: None}, operation_id="policies_accounts_revoke")
    def delete(self, request, account_id: int, username: str):
        """Admins revoke a person's authorization on the account."""
        account = selectors.get_brand_account(request.user, account_id)
        if not is_admin(request.user):
            raise ApplicationError("Only admins revoke authorizations.", status=403)
        person = people.get_account(username=username, active=False)  # or offboarded
        if person is None:
            raise Http404("No such person.")
        services.revoke_authorization(actor=request.user, account=account, user=person)
        return Response(status=status.HTTP_204_NO_CONTENT)


class HandoverApi(APIView):
    @extend_schema(
        request=None, responses=BrandAccountSerializer, operation_id="policies_accounts_handover"
    )
    def post(self, request, account_id: int):
        """Admins complete a pending handover: the named colleague is authorized."""
        account = selectors.get_brand_account(request.user, account_id)
        services.complete_handover(actor=request.user, account=account)
        return Response(
            BrandAccountSerializer(selectors.get_brand_account(request.user, account_id)).data
        )


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
