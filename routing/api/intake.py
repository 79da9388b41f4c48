"""Questions in: the list (and intake by POST) and the signed webhook, throttled."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from core.api import PAGE_PARAMETERS, keyset_page, keyset_response, keyset_schema, validated
from core.cache import WindowAllowance
from core.errors import ApplicationError

from .. import selectors, services, webhooks
from ..forms import InboxFilterForm
from ..models import Channel, InsightTag, Priority, Status
from ..serializers import (
    IntakeResultSerializer,
    QuestionCreateSerializer,
    QuestionSerializer,
    WebhookSerializer,
)


class IntakeThrottle(SimpleRateThrottle):
    """Politeness on intake, per token user or (webhook) per client address; the signature
    and permission checks still decide. Rate: ROUTING_INTAKE_RATE, read at each request.

    A counter per fixed window shared by every process (core.cache.WindowAllowance: at the
    default 6,000/min a process takes 16 admissions in one round trip to Redis), not DRF's
    history of timestamps, which is read and written whole at every request: at 6,000/min
    that list was most of a delivery's cost. A sender may reach twice the rate across a
    window's edge."""

    scope = "intake"
    allowance = WindowAllowance()

    def get_rate(self):
        return settings.ROUTING_INTAKE_RATE

    def allow_request(self, request, view):
        if request.method != "POST":
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        now = self.timer()
        window = int(now // self.duration)
        self.wait_seconds = (window + 1) * self.duration - now
        key = self.get_cache_key(request, view)
        return self.allowance.admit(
            key, self.num_requests, window, self.duration + 1, cache=self.cache
        )

    def wait(self):
        return self.wait_seconds

    def get_cache_key(self, request, view):
        user = getattr(request, "user", None)
        ident = user.pk if user is not None and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


ORDER = ("-received_at", "-id")


QUESTION_PAGE = keyset_schema(QuestionSerializer)


TYPES = (dt.datetime, int)


def _intake_result(request, question, created: bool, code: int | None = None) -> Response:
    """IntakeResultSerializer's fields (the schema's), written as a plain dict: every value
    is already of its type, and a delivery pays no serializer for its answer."""
    data = {
        "id": question.pk,
        "created": created,
        "status": question.status,
        "url": request.build_absolute_uri(question.get_absolute_url()),
    }
    if code is None:
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return Response(data, status=code)


WEBHOOK_STATUS = {
    services.Received.NEW: status.HTTP_201_CREATED,
    services.Received.KNOWN: status.HTTP_200_OK,
    services.Received.REDELIVERED: status.HTTP_202_ACCEPTED,
}


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
        when this (channel, external_id) was received before. The question is stored with
        status "new" and routed (department, expert) by a task right after."""
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
        responses={
            201: IntakeResultSerializer,
            200: IntakeResultSerializer,
            202: IntakeResultSerializer,
        },
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
        """201: a new question, stored with status "new" and routed by a task right after;
        200: its (channel, external_id) came before in another delivery (that question);
        202: this delivery id was received before (a retry or a replay: nothing is done
        again; that delivery's question). 401 and nothing stored when the signature or
        timestamp is wrong."""
        refused = webhooks.verify(request.META, request.body)
        if refused:
            return Response({"detail": refused}, status=status.HTTP_401_UNAUTHORIZED)
        try:
            data = validated(WebhookSerializer, request)
        except ParseError:
            raise ApplicationError("Send a JSON object.") from None
        delivery = request.META.get(webhooks.DELIVERY, "")
        question, received = services.receive_webhook(delivery_id=delivery, payload=data)
        created = received == services.Received.NEW
        return _intake_result(request, question, created, WEBHOOK_STATUS[received])
