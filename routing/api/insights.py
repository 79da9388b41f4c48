"""Insights and the dashboard's figures."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import PAGE_PARAMETERS, keyset_page, keyset_response
from core.errors import ApplicationError
from people.selectors import get_department

from .. import selectors, training
from ..models import InsightTag
from ..serializers import (
    DashboardSerializer,
    QuestionSerializer,
    RetrainSerializer,
)
from .intake import ORDER, QUESTION_PAGE, TYPES


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


class RouterRetrainApi(APIView):
    @extend_schema(
        request=None, responses={202: RetrainSerializer}, operation_id="questions_router_retrain"
    )
    def post(self, request):
        """Admins: train a new router version now, in the worker. It becomes active only if
        it is not worse than the active one on the most recent labels it did not train on;
        the dashboard's `accuracy` lists every version with its figures and the reason."""
        with transaction.atomic():
            training.request_retraining(actor=request.user)
        return Response(RetrainSerializer({"queued": True}).data, status=202)
