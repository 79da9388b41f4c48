"""The crisis and social APIs are all in the OpenAPI schema, which generates with no warning."""

import re

import pytest
import yaml
from django.core.management import call_command

from .routes import ROUTES

pytestmark = pytest.mark.django_db


def test_every_crisis_and_social_api_route_is_in_the_schema(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    for route in ROUTES:
        if route.startswith("api/"):
            assert "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route) in schema["paths"], route
    operation_ids = [op["operationId"] for ops in schema["paths"].values() for op in ops.values()]
    assert len(operation_ids) == len(set(operation_ids))
