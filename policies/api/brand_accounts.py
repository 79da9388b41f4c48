"""Brand accounts under /api/v1/policies/accounts/: the registry, one account, who may
post on it (authorize, revoke) and completing a handover. Admins manage; everyone reads."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import PAGE_PARAMETERS, keyset_page, keyset_response, keyset_schema, validated
from core.errors import ApplicationError
from people import selectors as people
from people.roles import is_admin

from .. import selectors, services
from ..serializers import (
    BrandAccountInputSerializer,
    BrandAccountSerializer,
    BrandAccountUpdateSerializer,
    UsernameInputSerializer,
)
from .common import _department, _person


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
