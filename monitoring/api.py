"""The listening API under /api/v1/monitoring/: watch rules and alerts.

`POST alerts/<id>/declare/` (declare an incident from an alert) belongs to the crisis app,
which sits above this one: it adds that URL to its own API and reads the alert through
monitoring.selectors.get_visible_alert. Nothing here knows about incidents.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import PAGE_PARAMETERS, keyset_page, keyset_response, keyset_schema, validated
from core.errors import ApplicationError

from . import selectors, services
from .serializers import (
    AlertDetailSerializer,
    AlertSerializer,
    RuleInputSerializer,
    RuleSerializer,
)

TAG = ["monitoring"]
ALERT_ORDER = ("-opened_at", "-id")
MAX_RULES = 500


def _require_reader(request) -> None:
    if not selectors.may_read_listening(request.user):
        raise PermissionDenied("Listening is for the social team, admins and department leaders.")


def _rule_fields(data: dict) -> dict:
    return {k: v for k, v in data.items() if k in RuleInputSerializer().fields}


class RuleListApi(APIView):
    @extend_schema(
        tags=TAG, responses=RuleSerializer(many=True), operation_id="monitoring_rules_list"
    )
    def get(self, request):
        """Every watch rule, by name (the social team, admins and department leaders)."""
        _require_reader(request)
        rules = selectors.visible_rules(request.user)[:MAX_RULES]
        return Response(RuleSerializer(rules, many=True).data)

    @extend_schema(
        tags=TAG,
        request=RuleInputSerializer,
        responses={201: RuleSerializer},
        operation_id="monitoring_rules_create",
    )
    def post(self, request):
        """A new watch rule (the social team and admins)."""
        data = validated(RuleInputSerializer, request)
        rule = services.create_rule(actor=request.user, **_rule_fields(data))
        rule = selectors.get_visible_rule(request.user, rule.pk)
        return Response(RuleSerializer(rule).data, status=status.HTTP_201_CREATED)


class RuleDetailApi(APIView):
    @extend_schema(tags=TAG, responses=RuleSerializer, operation_id="monitoring_rules_retrieve")
    def get(self, request, rule_id: int):
        return Response(RuleSerializer(selectors.get_visible_rule(request.user, rule_id)).data)

    @extend_schema(
        tags=TAG,
        request=RuleInputSerializer(partial=True),
        responses=RuleSerializer,
        operation_id="monitoring_rules_partial_update",
    )
    def patch(self, request, rule_id: int):
        """Change the given fields of a rule."""
        rule = selectors.get_visible_rule(request.user, rule_id)
        data = validated(RuleInputSerializer, request, partial=True)
        services.update_rule(actor=request.user, rule=rule, **_rule_fields(data))
        return Response(RuleSerializer(selectors.get_visible_rule(request.user, rule_id)).data)

    @extend_schema(tags=TAG, responses={204: None}, operation_id="monitoring_rules_destroy")
    def delete(self, request, rule_id: int):
        rule = selectors.get_visible_rule(request.user, rule_id)
        services.delete_rule(actor=request.user, rule=rule)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AlertListApi(APIView):
    @extend_schema(
        tags=TAG,
        parameters=[
            OpenApiParameter(
                "status", str, enum=["open", "resolved", ""], description="open: not resolved"
            ),
            *PAGE_PARAMETERS,
        ],
        responses=keyset_schema(AlertSerializer),
        operation_id="monitoring_alerts_list",
    )
    def get(self, request):
        """Alerts newest first; keyset-paginated."""
        _require_reader(request)
        wanted = request.query_params.get("status", "")
        if wanted not in ("open", "resolved", ""):
            raise ApplicationError("Choose open, resolved or nothing.", field="status")
        page = keyset_page(
            request,
            selectors.visible_alerts(request.user, status=wanted),
            ordering=ALERT_ORDER,
            types=(dt.datetime, int),
        )
        return keyset_response(page, AlertSerializer(page.items, many=True).data, request)


def _detail(request, alert_id: int) -> Response:
    alert = selectors.get_visible_alert(request.user, alert_id)
    alert.series = selectors.alert_series(alert)
    alert.questions = selectors.questions_behind(request.user, alert)
    return Response(AlertDetailSerializer(alert).data)


class AlertDetailApi(APIView):
    @extend_schema(
        tags=TAG, responses=AlertDetailSerializer, operation_id="monitoring_alerts_retrieve"
    )
    def get(self, request, alert_id: int):
        """One alert with its hourly volume beside the baseline and the questions behind it."""
        return _detail(request, alert_id)


class AlertAcknowledgeApi(APIView):
    @extend_schema(
        tags=TAG,
        request=None,
        responses=AlertDetailSerializer,
        operation_id="monitoring_alerts_acknowledge",
    )
    def post(self, request, alert_id: int):
        """Say someone is on it."""
        alert = selectors.get_visible_alert(request.user, alert_id)
        services.acknowledge_alert(actor=request.user, alert=alert)
        return _detail(request, alert_id)


class AlertResolveApi(APIView):
    @extend_schema(
        tags=TAG,
        request=None,
        responses=AlertDetailSerializer,
        operation_id="monitoring_alerts_resolve",
    )
    def post(self, request, alert_id: int):
        """Close the alert (a new surge opens a new one)."""
        alert = selectors.get_visible_alert(request.user, alert_id)
        services.resolve_alert(actor=request.user, alert=alert)
        return _detail(request, alert_id)
