"""The questions API: intake (token and signed webhook), the inbox views, one question and
the actions on it, insights and the dashboard figures.

Each view parses with its own serializer, calls one selector or service, and answers with
its own output serializer; what of the customer a viewer sees (name, handle, email, the
original link and id, the text without them) is selectors.with_customers's decision.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from core.api import PAGE_PARAMETERS, keyset_page, keyset_response, keyset_schema, validated
from core.errors import ApplicationError
from people.models import Department
from people.selectors import get_department

from . import selectors, services, webhooks
from .forms import InboxFilterForm
from .models import Channel, InsightTag, Priority, Status
from .serializers import (
    AssignSerializer,
    BulkInputSerializer,
    BulkResultSerializer,
    CloseInputSerializer,
    DashboardSerializer,
    DepartmentInputSerializer,
    IntakeResultSerializer,
    QuestionCreateSerializer,
    QuestionDetailSerializer,
    QuestionSerializer,
    ReasonInputSerializer,
    ReplyInputSerializer,
    RerouteInputSerializer,
    TagInputSerializer,
    TagsSerializer,
    TextInputSerializer,
    WebhookSerializer,
)


class IntakeThrottle(SimpleRateThrottle):
    """Politeness on intake, per token user or (webhook) per client address; the signature
    and permission checks still decide. Rate: ROUTING_INTAKE_RATE, read at each request."""

    scope = "intake"

    def get_rate(self):
        return settings.ROUTING_INTAKE_RATE

    def allow_request(self, request, view):
        if request.method != "POST":
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        user = getattr(request, "user", None)
        ident = user.pk if user is not None and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


ORDER = ("-received_at", "-id")
QUESTION_PAGE = keyset_schema(QuestionSerializer)
TYPES = (dt.datetime, int)


def _intake_result(request, question, created: bool) -> Response:
    data = IntakeResultSerializer(
        {
            "id": question.pk,
            "created": created,
            "status": question.status,
            "url": request.build_absolute_uri(question.get_absolute_url()),
        }
    ).data
    return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def _department(slug: str) -> Department:
    department = get_department(slug)
    if department is None:
        raise ApplicationError("No department has this slug.", field="department")
    return department


def _detail(request, question_id: int) -> Response:
    question = selectors.question_detail(request.user, question_id)
    return Response(QuestionDetailSerializer(question, context={"request": request}).data)


class QuestionListApi(APIView):
    throttle_classes = [IntakeThrottle]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "view",
                str,
                enum=list(selectors.INBOX_VIEWS),
                description='"mine" for everyone (default for experts); the others for the '
                'social team (default "open")',
            ),
            OpenApiParameter("channel", str, enum=Channel.values),
            OpenApiParameter("priority", str, enum=Priority.values),
            OpenApiParameter(
                "department", str, description='Department slug, or "none" for no department'
            ),
            OpenApiParameter("status", str, enum=Status.values),
            OpenApiParameter("tag", str, enum=InsightTag.Tag.values),
            OpenApiParameter(
                "q", str, description="Words of the text, the customer, or a question number"
            ),
            *PAGE_PARAMETERS,
        ],
        responses=QUESTION_PAGE,
        operation_id="questions_list",
    )
    def get(self, request):
        """A view of the inbox as a queue: nearest SLA deadline first (overdue questions
        lead, those whose clock does not run after them, oldest first; "closed" newest
        first), narrowed by the filters; keyset-paginated."""
        form = InboxFilterForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        view = selectors.inbox_view_for(request.user, form.cleaned_data["view"])
        ordering, types = selectors.inbox_order(view)
        questions = selectors.inbox(request.user, view, form.filters())
        page = keyset_page(request, questions, ordering=ordering, types=types)
        questions = selectors.with_customers(request.user, page.items)
        data = QuestionSerializer(questions, many=True, context={"request": request}).data
        return keyset_response(page, data, request)

    @extend_schema(
        request=QuestionCreateSerializer,
        responses={201: IntakeResultSerializer, 200: IntakeResultSerializer},
        operation_id="questions_create",
    )
    def post(self, request):
        """Intake for integrations (social team token). 201 when new, 200 with the same id
        when this (channel, external_id) was received before."""
        if not selectors.is_social_team(request.user):
            raise PermissionDenied("Only the social media team's tokens may send questions.")
        data = validated(QuestionCreateSerializer, request)
        question, created = services.receive_question(actor=request.user, **data)
        return _intake_result(request, question, created)


class QuestionWebhookApi(APIView):
    """Deliveries from a social-listening tool, signed with ROUTING_WEBHOOK_SECRET."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [IntakeThrottle]

    @extend_schema(
        request=WebhookSerializer,
        responses={201: IntakeResultSerializer, 200: IntakeResultSerializer},
        parameters=[
            OpenApiParameter("X-Socialhub-Timestamp", str, OpenApiParameter.HEADER, required=True),
            OpenApiParameter("X-Socialhub-Delivery", str, OpenApiParameter.HEADER, required=True),
            OpenApiParameter(
                "X-Socialhub-Signature",
                str,
                OpenApiParameter.HEADER,
                required=True,
                description='"sha256=" + hex HMAC-SHA256 of "<timestamp>.<body>"',
            ),
        ],
        operation_id="questions_webhook",
        auth=[],
    )
    def post(self, request):
        """401 and nothing stored when the signature or timestamp is wrong; 409 for a
        delivery id received before (a replay)."""
        refused = webhooks.verify(request.META, request.body)
        if refused:
            return Response({"detail": refused}, status=status.HTTP_401_UNAUTHORIZED)
        try:
            data = validated(WebhookSerializer, request)
        except ParseError:
            raise ApplicationError("Send a JSON object.") from None
        delivery = request.META.get(webhooks.DELIVERY, "")
        question, created = services.receive_webhook(delivery_id=delivery, payload=data)
        return _intake_result(request, question, created)


class QuestionDetailApi(APIView):
    @extend_schema(responses=QuestionDetailSerializer, operation_id="questions_retrieve")
    def get(self, request, question_id: int):
        """One question with its answers, notes, public replies, reroutes and tags."""
        return _detail(request, question_id)


class _QuestionActionApi(APIView):
    """POST an input, run one service on the question, answer with the question."""

    input_serializer = None

    def act(self, request, question, data) -> None:
        raise NotImplementedError

    def post(self, request, question_id: int):
        question = selectors.get_visible_question(request.user, question_id)
        data = validated(self.input_serializer, request)
        self.act(request, question, data)
        return _detail(request, question_id)


def _action(name: str, serializer, doc: str):
    return extend_schema(
        request=serializer,
        responses=QuestionDetailSerializer,
        operation_id=f"questions_{name}",
        description=doc,
    )


class QuestionAssignApi(_QuestionActionApi):
    input_serializer = AssignSerializer

    def act(self, request, question, data):
        expert = selectors.find_assignee(data["expert"])
        if expert is None:
            raise ApplicationError("Nobody here has this username or name.", field="expert")
        services.assign_question(actor=request.user, question=question, expert=expert)

    @_action(
        "assign",
        AssignSerializer,
        "The social team gives the question to anyone; a leader of the question's department "
        "to an active expert of that department.",
    )
    def post(self, request, question_id: int):
        return super().post(request, question_id)


class QuestionRouteApi(_QuestionActionApi):
    input_serializer = DepartmentInputSerializer

    def act(self, request, question, data):
        services.route_to_department(
            actor=request.user, question=question, department=_department(data["department"])
        )

    @_action("route", DepartmentInputSerializer, "The social team takes it out of triage.")
    def post(self, request, question_id: int):
        return super().post(request, question_id)


class QuestionRerouteApi(_QuestionActionApi):
    input_serializer = RerouteInputSerializer

    def act(self, request, question, data):
        services.reroute_question(
            actor=request.user,
            question=question,
            department=_department(data["department"]),
            reason=data["reason"],
        )

    @_action("reroute", RerouteInputSerializer, "Send it to another department, with a reason.")
    def post(self, request, question_id: int):
        return super().post(request, question_id)


class QuestionDeclineApi(_QuestionActionApi):
    input_serializer = ReasonInputSerializer

    def act(self, request, question, data):
        services.decline_question(actor=request.user, question=question, reason=data["reason"])

    @_action("decline", ReasonInputSerializer, "The assigned expert hands it back.")
    def post(self, request, question_id: int):
        return super().post(request, question_id)


class QuestionAnswerApi(_QuestionActionApi):
    input_serializer = TextInputSerializer

    def act(self, request, question, data):
        services.answer_question(actor=request.user, question=question, text=data["text"])

    @_action("answer", TextInputSerializer, "The assigned expert's answer.")
    def post(self, request, question_id: int):
        return super().post(request, question_id)


class QuestionNoteApi(_QuestionActionApi):
    input_serializer = TextInputSerializer

    def act(self, request, question, data):
        services.add_note(actor=request.user, question=question, text=data["text"])

    @_action("notes_create", TextInputSerializer, "An internal note, never published.")
    def post(self, request, question_id: int):
        return super().post(request, question_id)


class QuestionReplyApi(_QuestionActionApi):
    input_serializer = ReplyInputSerializer

    def act(self, request, question, data):
        services.record_public_reply(
            actor=request.user, question=question, text=data["text"], url=data["url"]
        )

    @_action("reply", ReplyInputSerializer, "Record (and post) the brand's public reply.")
    def post(self, request, question_id: int):
        return super().post(request, question_id)


class QuestionCloseApi(_QuestionActionApi):
    input_serializer = CloseInputSerializer

    def act(self, request, question, data):
        services.close_question(actor=request.user, question=question, spam=data["spam"])

    @_action("close", CloseInputSerializer, "Close the question, or mark it as spam.")
    def post(self, request, question_id: int):
        return super().post(request, question_id)


class QuestionTagApi(APIView):
    @extend_schema(
        request=TagInputSerializer, responses=TagsSerializer, operation_id="questions_tags"
    )
    def post(self, request, question_id: int):
        """Tag or untag the question for insights."""
        question = selectors.get_visible_question(request.user, question_id)
        data = validated(TagInputSerializer, request)
        tags = services.tag_question(
            actor=request.user, question=question, tag=data["tag"], on=data["on"]
        )
        return Response(TagsSerializer({"tags": tags}).data)


class InsightListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("department", str, description="Department slug"),
            OpenApiParameter("tag", str, enum=InsightTag.Tag.values),
            *PAGE_PARAMETERS,
        ],
        responses=QUESTION_PAGE,
        operation_id="questions_insights",
    )
    def get(self, request):
        """Tagged questions, newest first, for one department or all."""
        slug = request.query_params.get("department", "")
        tag = request.query_params.get("tag", "")
        if tag and tag not in InsightTag.Tag.values:
            raise ApplicationError(
                f"Choose one of: {', '.join(InsightTag.Tag.values)}.", field="tag"
            )
        department = None
        if slug:
            department = get_department(slug[:100])
            if department is None:
                raise Http404("No such department.")
        questions = selectors.insights(request.user, department=department, tag=tag)
        page = keyset_page(request, questions, ordering=ORDER, types=TYPES)
        questions = selectors.with_customers(request.user, page.items)
        data = QuestionSerializer(questions, many=True, context={"request": request}).data
        return keyset_response(page, data, request)


class DashboardApi(APIView):
    @extend_schema(responses=DashboardSerializer, operation_id="questions_dashboard")
    def get(self, request):
        """The dashboard's figures over the last 30 days (social team and leaders)."""
        if not (selectors.is_social_team(request.user) or selectors.is_leader(request.user)):
            raise PermissionDenied("The dashboard is for the social team and leaders.")
        figures = selectors.dashboard()
        figures["accuracy"] = selectors.accuracy_over_time(figures)
        return Response(DashboardSerializer(figures).data)


class QuestionBulkApi(APIView):
    @extend_schema(
        request=BulkInputSerializer,
        responses=BulkResultSerializer,
        operation_id="questions_bulk",
    )
    def post(self, request):
        """The social team acts on many questions at once: "assign" (to `expert`), "tag"
        (with `tag`), "close" or "spam". Each question is changed on its own: the answer
        says per question whether it was done, and if not, why (a refused one does not stop
        the others). 400 naming the field when the request itself is wrong."""
        data = validated(BulkInputSerializer, request)
        expert = None
        if data["action"] == "assign":
            expert = selectors.find_assignee(data.get("expert", ""))
            if expert is None:
                raise ApplicationError("Nobody here has this username or name.", field="expert")
        results = services.apply_bulk_action(
            actor=request.user,
            question_ids=data["questions"],
            action=data["action"],
            expert=expert,
            tag=data.get("tag", ""),
        )
        return Response(BulkResultSerializer({"results": results}).data)
