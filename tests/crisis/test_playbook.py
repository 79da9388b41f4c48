"""The crisis playbook: versioned Markdown with a diff (core.versioning, as the policy),
written by admins and crisis leads, read by the crisis and social teams, acknowledged by
the crisis team; its holding statements per scenario; XSS vectors on the playbook, an
incident's summary and notes."""

import pytest
from rest_framework.test import APIClient

from core.errors import ApplicationError
from crisis import selectors
from crisis import services as crisis
from crisis.models import PlaybookVersion

from ..conftest import client_for
from ..xss import assert_inert, payloads
from .conftest import declare

pytestmark = pytest.mark.django_db

BODY = """# Crisis playbook

## Roles
- Crisis lead: decides, speaks to the board.
- Communications: writes every public word.

## Contact tree
Lead → communications → legal → department mentors.

## Holding statements

### Service outage
We know some of you cannot reach us. We are fixing it and will update here within the hour.

### Data incident
We are investigating a report about customer data. We will share what we learn.
"""


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def published(admin_user):
    version = crisis.create_playbook_version(actor=admin_user, title="Crisis playbook", body=BODY)
    return crisis.publish_playbook_version(actor=admin_user, version=version)


def test_versions_like_the_policy_api(lead, published):
    api = _api(lead)
    created = api.post(
        "/api/v1/crisis/playbook/",
        {"title": "Crisis playbook", "body": BODY + "\n### Recall\nWe are recalling it.\n"},
        format="json",
    )
    assert created.status_code == 201 and created.json()["status"] == "draft"
    number = created.json()["number"]
    edited = api.patch(
        f"/api/v1/crisis/playbook/{number}/", {"change_note": "Recall added"}, format="json"
    )
    assert edited.json()["change_note"] == "Recall added"
    diff = api.get(f"/api/v1/crisis/playbook/diff/?old=1&new={number}").json()
    assert any(line["kind"] == "added" and "Recall" in line["text"] for line in diff["lines"])
    publish = api.post(f"/api/v1/crisis/playbook/{number}/publish/")
    assert publish.status_code == 200 and publish.json()["status"] == "published"
    current = api.get("/api/v1/crisis/playbook/current/").json()
    assert current["number"] == number
    assert [s["scenario"] for s in current["holding_statements"]] == [
        "Service outage",
        "Data incident",
        "Recall",
    ]
    assert PlaybookVersion.objects.get(number=1).status == "superseded"
    assert (
        api.patch(f"/api/v1/crisis/playbook/{number}/", {"title": "x"}, format="json").status_code
        == 400
    )


def test_holding_statements_come_from_the_playbook(published):
    statements = dict(selectors.holding_statements(published))
    assert statements["Service outage"].startswith("We know some of you cannot reach us.")
    assert "Data incident" in statements and "Roles" not in statements


def test_the_crisis_team_acknowledges_each_version(admin_user, lead, published):
    notice = lead.notifications.get(target_key=f"playbook-version:{published.pk}")
    assert "acknowledge" in notice.text
    response = _api(lead).post(f"/api/v1/crisis/playbook/{published.number}/acknowledge/")
    assert response.status_code == 201
    page = client_for(admin_user).get("/crisis/playbook/").content.decode()
    assert "Lea Lead" in page and "Acknowledged" in page


@pytest.mark.parametrize(
    "who, reads, writes",
    [
        ("admin_user", True, True),
        ("lead", True, True),
        ("social", True, False),
        ("finance_mentor", True, False),
        ("other", False, False),
    ],
)
def test_who_reads_and_writes_the_playbook(request, who, reads, writes, published):
    user = request.getfixturevalue(who)
    api = _api(user)
    assert api.get("/api/v1/crisis/playbook/current/").status_code == (200 if reads else 403)
    assert client_for(user).get("/crisis/playbook/").status_code == (200 if reads else 403)
    created = api.post("/api/v1/crisis/playbook/", {"title": "T", "body": "B"}, format="json")
    assert created.status_code == (201 if writes else 403)


def test_drafts_stay_with_their_writers(admin_user, social, published):
    draft = crisis.create_playbook_version(actor=admin_user, title="Next", body=BODY + "more")
    assert _api(social).get(f"/api/v1/crisis/playbook/{draft.number}/").status_code == 404
    listed = _api(social).get("/api/v1/crisis/playbook/").json()["results"]
    assert [v["number"] for v in listed] == [published.number]
    with pytest.raises(ApplicationError):
        crisis.acknowledge_playbook(actor=admin_user, version=draft)


@pytest.mark.parametrize("payload", payloads())
def test_playbook_summary_and_notes_are_inert(admin_user, social, published, payload):
    version = crisis.create_playbook_version(actor=admin_user, title=payload[:200], body=payload)
    client = client_for(admin_user)
    assert_inert(client.get(f"/crisis/playbook/versions/{version.number}/").content.decode())
    assert_inert(client.get(f"/crisis/playbook/diff/?old=1&new={version.number}").content.decode())
    incident = declare(social, title=payload[:200], summary=payload)
    crisis.add_note(actor=social, incident=incident, text=payload)
    assert_inert(client.get(f"/crisis/incidents/{incident.pk}/").content.decode())
    assert_inert(
        client.get(f"/crisis/incidents/{incident.pk}/timeline/").content.decode(), fragment=True
    )
    assert_inert(client.get("/crisis/").content.decode())
    assert_inert(
        _api(admin_user).get(f"/api/v1/crisis/incidents/{incident.pk}/").json()["summary_html"],
        fragment=True,
    )
    closed = crisis.close_incident(actor=social, incident=incident, resolution=payload)
    assert_inert(client.get(f"/crisis/incidents/{closed.pk}/report/").content.decode())


@pytest.mark.parametrize("bad", ["x", "0", "²", "99999999999999999999", ""])
def test_a_playbook_diff_asked_for_no_version_number_is_a_400_naming_it(lead, published, bad):
    response = client_for(lead).get(f"/api/v1/crisis/playbook/diff/?old={bad}&new=1")
    assert response.status_code == 400 and "old" in response.json()
    assert client_for(lead).get(f"/crisis/playbook/diff/?old=1&new={bad}").status_code == 400
