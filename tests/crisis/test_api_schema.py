"""The crisis and social APIs are all in the OpenAPI schema, which generates with no warning."""

import re

import pytest

from .routes import ROUTES

pytestmark = pytest.mark.django_db


def test_every_crisis_and_social_api_route_is_in_the_schema(openapi_schema):
    schema = openapi_schema
    for route in ROUTES:
        if route.startswith("api/"):
            assert "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route) in schema["paths"], route
    operation_ids = [op["operationId"] for ops in schema["paths"].values() for op in ops.values()]
    assert len(operation_ids) == len(set(operation_ids))
