"""The groups and posts API is all in the OpenAPI schema, which generates with no warning."""

import pytest

from ..groups.api_routes import ROUTES as GROUP_ROUTES
from .api_routes import ROUTES as FEED_ROUTES

pytestmark = pytest.mark.django_db


def _openapi_path(route: str) -> str:
    """ "api/v1/posts/<int:post_id>/" -> "/api/v1/posts/{post_id}/"."""
    import re

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def test_schema_generates_without_warnings_and_lists_every_route(openapi_schema):
    schema = openapi_schema
    for route in [*GROUP_ROUTES, *FEED_ROUTES]:
        assert _openapi_path(route) in schema["paths"], route
    operation_ids = [op["operationId"] for ops in schema["paths"].values() for op in ops.values()]
    assert len(operation_ids) == len(set(operation_ids))
