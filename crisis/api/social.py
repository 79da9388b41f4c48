"""Social: who does what (the org chart) and the brand activity feed."""

import datetime as dt

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import PAGE_PARAMETERS, keyset_page, keyset_response, keyset_schema

from .. import selectors
from ..serializers import BrandActivitySerializer, OrgChartSerializer


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
