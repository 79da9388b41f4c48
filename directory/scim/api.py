"""The SCIM 2.0 endpoints under /scim/v2/: thin, as every API here — parse, call one service
or selector, answer. Errors come back in SCIM's own shape (RFC 7644 §3.12)."""

from django.http import Http404
from rest_framework import exceptions
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core import replicas
from core.errors import ApplicationError

from .. import selectors, services
from .auth import HasScimToken, ScimTokenAuthentication
from .protocol import (
    ENTERPRISE_SCHEMA,
    ERROR_SCHEMA,
    GROUP_SCHEMA,
    USER_SCHEMA,
    ScimError,
    page_bounds,
    parse_filter,
)
from .resources import group_resource, list_response, user_resource

SCIM_MEDIA_TYPE = "application/scim+json"


class ScimParser(JSONParser):
    media_type = SCIM_MEDIA_TYPE


class ScimRenderer(JSONRenderer):
    media_type = SCIM_MEDIA_TYPE


def scim_exception_handler(exc, context):
    if isinstance(exc, ScimError):
        status, scim_type, detail = exc.status, exc.scim_type, exc.message
    elif isinstance(exc, ApplicationError):
        status, scim_type, detail = exc.status, "invalidValue", exc.message
    elif isinstance(exc, Http404):
        status, scim_type, detail = 404, "noTarget", "Not found."
    elif isinstance(exc, exceptions.ParseError):
        status, scim_type, detail = 400, "invalidSyntax", str(exc.detail)
    elif isinstance(exc, exceptions.APIException):
        status, scim_type, detail = exc.status_code, None, str(exc.detail)
    else:
        return None
    body = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": detail}
    if scim_type and status in (400, 409):
        body["scimType"] = scim_type
    response = Response(body, status=status)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        response["WWW-Authenticate"] = 'Bearer realm="scim"'
    return response


class ScimView(APIView):
    authentication_classes = [ScimTokenAuthentication]
    permission_classes = [HasScimToken]
    parser_classes = [ScimParser, JSONParser]
    renderer_classes = [ScimRenderer, JSONRenderer]
    throttle_classes: list = []
    # SCIM describes itself (/ServiceProviderConfig, /ResourceTypes): not in /api/schema/.
    schema = None

    def initial(self, request, *args, **kwargs):
        # A provider reads what it wrote a moment ago, in another request: never a replica.
        replicas.read_primary()
        super().initial(request, *args, **kwargs)

    def get_exception_handler(self):
        return scim_exception_handler

    @property
    def token(self):
        return self.request.auth


def _excluded(request) -> set[str]:
    raw = request.query_params.get("excludedAttributes", "")
    return {part.strip().lower() for part in raw.split(",") if part.strip()}


def _page(request, queryset, render) -> Response:
    start, count = page_bounds(
        request.query_params.get("startIndex"), request.query_params.get("count")
    )
    total = queryset.count()
    items = list(queryset[start - 1 : start - 1 + count]) if count else []
    return Response(
        list_response([render(item) for item in items], total=total, start=start),
    )


class UsersApi(ScimView):
    def get(self, request):
        users = selectors.scim_users()
        if "filter" in request.query_params:
            lookup, value = parse_filter(
                request.query_params["filter"], allowed=selectors.USER_FILTERS
            )
            users = selectors.filtered(users, lookup, value)
        return _page(request, users, lambda user: user_resource(request, user))

    def post(self, request):
        user = services.create_scim_user(token=self.token, body=request.data)
        return Response(user_resource(request, selectors.get_scim_user(user.pk)), status=201)


class UserApi(ScimView):
    def get(self, request, user_id: str):
        return Response(user_resource(request, selectors.get_scim_user(user_id)))

    def put(self, request, user_id: str):
        user = services.replace_scim_user(
            token=self.token, user=selectors.get_scim_user(user_id), body=request.data
        )
        return Response(user_resource(request, selectors.get_scim_user(user.pk)))

    def patch(self, request, user_id: str):
        user = services.patch_scim_user(
            token=self.token, user=selectors.get_scim_user(user_id), body=request.data
        )
        return Response(user_resource(request, selectors.get_scim_user(user.pk)))

    def delete(self, request, user_id: str):
        services.delete_scim_user(token=self.token, user=selectors.get_scim_user(user_id))
        return Response(status=204)


class GroupsApi(ScimView):
    def get(self, request):
        with_members = "members" not in _excluded(request)
        groups = selectors.scim_groups(with_members=with_members)
        if "filter" in request.query_params:
            lookup, value = parse_filter(
                request.query_params["filter"], allowed=selectors.GROUP_FILTERS
            )
            groups = selectors.filtered(groups, lookup, value)
        return _page(
            request, groups, lambda g: group_resource(request, g, with_members=with_members)
        )

    def post(self, request):
        department = services.create_scim_group(token=self.token, body=request.data)
        return Response(
            group_resource(request, selectors.get_scim_group(department.pk)), status=201
        )


class GroupApi(ScimView):
    def get(self, request, group_id: str):
        with_members = "members" not in _excluded(request)
        found = selectors.get_scim_group(group_id, with_members=with_members)
        return Response(group_resource(request, found, with_members=with_members))

    def put(self, request, group_id: str):
        department = services.replace_scim_group(
            token=self.token,
            department=selectors.get_scim_group(group_id, with_members=False),
            body=request.data,
        )
        return Response(group_resource(request, selectors.get_scim_group(department.pk)))

    def patch(self, request, group_id: str):
        services.patch_scim_group(
            token=self.token,
            department=selectors.get_scim_group(group_id, with_members=False),
            body=request.data,
        )
        # Entra and Okta accept 204 for a group PATCH: no member list to build for it.
        return Response(status=204)

    def delete(self, request, group_id: str):
        services.delete_scim_group(
            token=self.token, department=selectors.get_scim_group(group_id, with_members=False)
        )
        return Response(status=204)


class ServiceProviderConfigApi(ScimView):
    def get(self, request):
        return Response(
            {
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
                "patch": {"supported": True},
                "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
                "filter": {"supported": True, "maxResults": 200},
                "changePassword": {"supported": False},
                "sort": {"supported": False},
                "etag": {"supported": False},
                "authenticationSchemes": [
                    {
                        "type": "oauthbearertoken",
                        "name": "Bearer token",
                        "description": "A token an admin creates at /directory/scim-tokens/.",
                        "primary": True,
                    }
                ],
            }
        )


class ResourceTypesApi(ScimView):
    def get(self, request):
        types = [
            {
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
                "id": "User",
                "name": "User",
                "endpoint": "/Users",
                "schema": USER_SCHEMA,
                "schemaExtensions": [{"schema": ENTERPRISE_SCHEMA, "required": False}],
            },
            {
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
                "id": "Group",
                "name": "Group",
                "endpoint": "/Groups",
                "schema": GROUP_SCHEMA,
            },
        ]
        return Response(list_response(types, total=len(types), start=1))
