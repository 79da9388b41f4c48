import json
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from directory import services

DATA = Path(__file__).resolve().parent.parent / "data" / "scim"
SCIM = "application/scim+json"


def payload(name: str, **ids) -> dict:
    """A provider's request body from tests/data/scim, with {placeholders} filled in."""
    text = (DATA / f"{name}.json").read_text()
    for key, value in ids.items():
        text = text.replace("{" + key + "}", str(value))
    return json.loads(text)


class ScimClient:
    """Calls the SCIM endpoints as an identity provider does: bearer token, scim+json."""

    def __init__(self, key: str | None):
        self.client = APIClient()
        if key is not None:
            self.client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")

    def _send(self, method: str, path: str, body=None):
        data = json.dumps(body) if body is not None else None
        return getattr(self.client, method)(f"/scim/v2/{path}", data=data, content_type=SCIM)

    def get(self, path: str):
        return self.client.get(f"/scim/v2/{path}", HTTP_ACCEPT=SCIM)

    def post(self, path: str, body):
        return self._send("post", path, body)

    def put(self, path: str, body):
        return self._send("put", path, body)

    def patch(self, path: str, body):
        return self._send("patch", path, body)

    def delete(self, path: str):
        return self._send("delete", path)


@pytest.fixture
def scim_token(admin_user):
    return services.create_scim_token(actor=admin_user, name="Entra ID")


@pytest.fixture
def scim(scim_token):
    return ScimClient(scim_token.key)
