"""The API answers in the format each request asks for, also once the answer is kept
(core.negotiation): per Accept header, format and view."""

import pytest

from core import negotiation
from tests.conftest import client_for

FEED = "/api/v1/feed/"


@pytest.fixture
def client(employee):
    negotiation.forget()
    yield client_for(employee)
    negotiation.forget()


def _kind(response) -> str:
    return response["Content-Type"].split(";")[0]


def test_each_request_gets_the_format_it_asks_for_every_time(client):
    asked = [
        ({}, "", "application/json"),
        ({"HTTP_ACCEPT": "text/html"}, "", "text/html"),
        ({"HTTP_ACCEPT": "application/json"}, "", "application/json"),
        ({"HTTP_ACCEPT": "text/html"}, "?format=api", "text/html"),
        ({"HTTP_ACCEPT": "*/*"}, "?format=json", "application/json"),
    ]
    for _ in range(2):  # the second time from the kept answers
        for headers, query, kind in asked:
            response = client.get(FEED + query, **headers)
            assert (response.status_code, _kind(response)) == (200, kind), (headers, query)
    assert len(negotiation._answers) == len(asked)


def test_the_same_header_on_views_with_other_renderers_gets_their_own_answer(client):
    assert _kind(client.get(FEED, HTTP_ACCEPT="*/*")) == "application/json"
    schema = client.get("/api/schema/", HTTP_ACCEPT="*/*")
    assert schema.status_code == 200
    assert _kind(schema) == "application/vnd.oai.openapi"
    assert _kind(client.get(FEED, HTTP_ACCEPT="*/*")) == "application/json"


def test_a_format_nobody_renders_is_refused_every_time_and_never_kept(client):
    for _ in range(2):
        assert client.get(FEED, HTTP_ACCEPT="application/xml").status_code == 406
        assert client.get(FEED + "?format=json", HTTP_ACCEPT="text/html").status_code == 406
        assert client.get(FEED + "?format=xml").status_code == 404
    assert negotiation._answers == {}


def test_once_full_the_table_keeps_nothing_more_and_still_answers(client, monkeypatch):
    monkeypatch.setattr(negotiation, "KEPT", 1)
    assert _kind(client.get(FEED, HTTP_ACCEPT="application/json")) == "application/json"
    assert _kind(client.get(FEED, HTTP_ACCEPT="text/html")) == "text/html"
    assert len(negotiation._answers) == 1
