"""/api/v1/knowledge/ and /api/v1/questions/<id>/similar/: the contract of the issue."""

import pytest
from rest_framework.test import APIClient

from knowledge import services

from .conftest import ANSWER, leaks

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def create(user, on, **body):
    body = {"question": on.pk, "title": "Jamal: charged twice?", "body": ANSWER, **body}
    return api(user).post("/api/v1/knowledge/", body, format="json")


def test_draft_publish_edit_and_revisions(answered, billing_expert, outsider):
    response = create(billing_expert, answered, topics=["billing"])
    assert response.status_code == 201, response.content
    draft = response.json()
    assert draft["state"] == "draft" and leaks(response.content.decode()) == []
    assert draft["removed"]["name"] >= 1 and "the customer's name" in draft["summary"][0]
    assert draft["expert"]["username"] == "bea.billing" and draft["topics"] == ["billing"]
    entry_url = f"/api/v1/knowledge/{draft['id']}/"
    assert api(outsider).get(entry_url).status_code == 404  # drafts: managers only

    published = api(billing_expert).post(f"{entry_url}publish/")
    assert published.status_code == 200 and published.json()["state"] == "published"
    assert api(outsider).get(entry_url).json()["title"] == draft["title"]

    patched = api(billing_expert).patch(
        entry_url, {"body": "Reversed in 5 days, call +44 20 7946 0958.", "note": "short"}
    )
    assert patched.status_code == 200 and "[number]" in patched.json()["body"]
    assert api(outsider).patch(entry_url, {"state": "retired"}).status_code == 403
    revisions = api(outsider).get(f"{entry_url}revisions/").json()
    assert [r["number"] for r in revisions["results"]] == [2, 1]
    assert revisions["results"][0]["note"] == "short"

    gone = api(billing_expert).patch(entry_url, {"state": "retired"})
    assert gone.json()["state"] == "retired"
    assert api(outsider).get("/api/v1/knowledge/").json()["results"] == []


def test_list_filters_and_cursor(answered, billing_expert, outsider, finance):
    entry, _ = services.draft_entry(
        actor=billing_expert,
        question=answered,
        title="Charged twice",
        body=ANSWER,
        topics="billing",
    )
    services.publish_entry(actor=billing_expert, entry=entry)
    client = api(outsider)

    def ids(**params):
        body = client.get("/api/v1/knowledge/", params).json()
        return [e["id"] for e in body["results"]]

    assert ids() == [entry.pk]
    assert ids(q="reversed working days") == [entry.pk]
    assert ids(q="parachute") == []
    assert ids(department="finance") == [entry.pk]
    assert ids(topic="billing") == [entry.pk] and ids(topic="other") == []
    page = client.get("/api/v1/knowledge/", {"page_size": 1}).json()
    assert page["next"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"department": "nowhere"}, "department"),
        ({"cursor": "garbage"}, "cursor"),
        ({"page_size": "0"}, "page_size"),
        ({"q": "x" * 300}, "q"),
    ],
)
def test_bad_list_input_is_a_400_naming_the_field(outsider, params, field):
    response = api(outsider).get("/api/v1/knowledge/", params)
    assert response.status_code == 400 and field in response.json()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"body": "   "}, "body"),
        ({"question": "abc"}, "question"),
        ({"topics": "billing"}, "topics"),
        ({"bodyy": "typo"}, "bodyy"),
        ({"title": "\x00" * 10}, "title"),
        ({"body": "x" * 50_000}, "body"),
    ],
)
def test_bad_create_input_is_a_400_naming_the_field(answered, billing_expert, body, field):
    response = create(billing_expert, answered, **body)
    assert response.status_code == 400 and field in response.json(), response.content


def test_only_those_who_answer_write_and_ids_reveal_nothing(answered, outsider, billing_expert):
    assert create(outsider, answered).status_code == 403
    response = api(billing_expert).post(
        "/api/v1/knowledge/", {"question": 999_999, "title": "t", "body": "b"}, format="json"
    )
    assert response.status_code == 404
    assert api(outsider).get("/api/v1/knowledge/999999/").status_code == 404
    assert api(outsider).post("/api/v1/knowledge/999999/publish/").status_code == 404


def test_similar_is_for_the_social_team_and_the_expert(answered, social, billing_expert, outsider):
    url = f"/api/v1/questions/{answered.pk}/similar/"
    assert api(outsider).get(url).status_code == 403
    for user in (social, billing_expert):
        body = api(user).get(url).json()
        assert set(body) == {"entries", "questions"}


def test_the_schema_has_the_knowledge_tag(client_employee):
    from django.conf import settings

    assert "knowledge" in {t["name"] for t in settings.SPECTACULAR_SETTINGS["TAGS"]}
    schema = client_employee.get("/api/schema/", {"format": "json"}).json()
    tags = {
        op["tags"][0]
        for path, ops in schema["paths"].items()
        if path.startswith("/api/v1/knowledge/")
        for op in ops.values()
    }
    assert tags == {"knowledge"}
    assert "/api/v1/questions/{question_id}/similar/" in schema["paths"]
    counts = schema["components"]["schemas"]["SearchCounts"]["properties"]
    assert "knowledge" in counts
