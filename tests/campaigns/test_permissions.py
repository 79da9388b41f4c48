"""Who may do what with a campaign: one matrix over the standing users (social team,
certified representative, employee, admin, deactivated), on the API and the pages."""

import pytest

from campaigns.models import Contribution, Share, SharePost
from notifications.models import Notification

from ..conftest import client_for
from .conftest import make_campaign

pytestmark = pytest.mark.django_db

ROLES = ("social", "rep", "employee", "admin_user", "deactivated")


def _client(request, role):
    user = request.getfixturevalue(role)
    return user, client_for(user)


CREATE = {
    "title": "Volunteering week",
    "brief": "What did you do?",
    "hashtag": "#GiveBack",
    "guidance": "Your own photos.",
    "starts_at": "2030-01-01T09:00:00+01:00",
    "ends_at": "2030-01-08T18:00:00+01:00",
}


@pytest.mark.parametrize(
    ("role", "expected"),
    [("social", 201), ("admin_user", 201), ("rep", 403), ("employee", 403), ("deactivated", 401)],
)
def test_who_may_start_a_campaign(request, role, expected):
    _, client = _client(request, role)
    response = client.post("/api/v1/campaigns/", CREATE, content_type="application/json")
    assert response.status_code == expected
    if expected == 201:
        assert response.json()["hashtag"] == "GiveBack"
        assert response.json()["status"] == "draft"


@pytest.mark.parametrize(
    ("role", "sees_draft"),
    [("social", True), ("admin_user", True), ("rep", False), ("employee", False)],
)
def test_drafts_are_the_social_teams_alone(request, role, sees_draft, draft, campaign):
    _, client = _client(request, role)
    listed = {c["id"] for c in client.get("/api/v1/campaigns/").json()["results"]}
    detail = client.get(f"/api/v1/campaigns/{draft.pk}/")
    page = client.get(f"/campaigns/{draft.pk}/")
    assert (draft.pk in listed) is sees_draft
    assert detail.status_code == page.status_code == (200 if sees_draft else 404)
    assert campaign.pk in listed


@pytest.mark.parametrize("role", ROLES)
def test_contributions_of_an_open_campaign_are_read_by_every_active_employee(
    request, role, contribution
):
    _, client = _client(request, role)
    campaign_id = contribution.campaign_id
    api = client.get(f"/api/v1/campaigns/{campaign_id}/contributions/")
    page = client.get(f"/campaigns/{campaign_id}/")
    if role == "deactivated":
        assert api.status_code == 401
        assert page.status_code == 302
    else:
        assert [c["id"] for c in api.json()["results"]] == [contribution.pk]
        assert b"Mrs. Ito taught me" in page.content


def test_closed_campaign_keeps_stories_to_their_authors_and_the_team(
    social, employee, colleague, contribution
):
    client_for(social).post(
        f"/api/v1/campaigns/{contribution.campaign_id}/status/",
        {"status": "closed"},
        content_type="application/json",
    )
    url = f"/api/v1/campaigns/{contribution.campaign_id}/contributions/"
    assert len(client_for(employee).get(url).json()["results"]) == 1
    assert len(client_for(social).get(url).json()["results"]) == 1
    assert client_for(colleague).get(url).json()["results"] == []


@pytest.mark.parametrize(
    ("role", "expected"),
    [("social", 201), ("admin_user", 201), ("rep", 403), ("employee", 403), ("deactivated", 401)],
)
def test_who_may_pick(request, role, expected, contribution):
    _, client = _client(request, role)
    response = client.post(
        f"/api/v1/campaigns/{contribution.campaign_id}/contributions/{contribution.pk}/pick/",
        {"suggested_text": "A teacher changed my life. #TeachersInspire"},
        content_type="application/json",
    )
    assert response.status_code == expected
    assert SharePost.objects.exists() is (expected == 201)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("rep", 201), ("social", 403), ("admin_user", 403), ("employee", 403), ("deactivated", 401)],
)
def test_only_certified_representatives_record_shares(request, role, expected, share_post):
    _, client = _client(request, role)
    response = client.post(
        f"/api/v1/campaigns/{share_post.campaign_id}/posts/{share_post.pk}/shares/",
        {"platform": "linkedin", "url": "https://www.linkedin.com/posts/rita-1"},
        content_type="application/json",
    )
    assert response.status_code == expected
    assert Share.objects.exists() is (expected == 201)
    if expected == 403:
        assert "certified" in str(response.json())


def test_employee_record_share_page_is_refused_with_the_reason(employee, share_post):
    client = client_for(employee)
    page = client.get(f"/campaigns/{share_post.campaign_id}/shares/")
    assert b"Only certified brand representatives" in page.content
    assert b"Record my share" not in page.content
    response = client.post(
        f"/campaigns/{share_post.campaign_id}/shares/{share_post.pk}/record/",
        {"platform": "x", "url": "https://x.com/ana/status/1"},
    )
    assert response.status_code == 403
    assert b"Only certified brand representatives" in response.content
    assert not Share.objects.exists()


def test_a_representative_whose_certification_is_revoked_cannot_record(admin_user, rep, share_post):
    from policies import services as policy_services

    policy_services.revoke_certification(actor=admin_user, user=rep, reason="left the team")
    response = client_for(rep).post(
        f"/api/v1/campaigns/{share_post.campaign_id}/posts/{share_post.pk}/shares/",
        {"platform": "x", "url": "https://x.com/rita/status/1"},
        content_type="application/json",
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("role", "expected"),
    [("social", 200), ("admin_user", 200), ("rep", 403), ("employee", 403)],
)
def test_who_may_read_the_report(request, role, expected, campaign):
    _, client = _client(request, role)
    assert client.get(f"/api/v1/campaigns/{campaign.pk}/report/").status_code == expected
    assert client.get(f"/campaigns/{campaign.pk}/report/").status_code == expected
    assert client.get(f"/campaigns/{campaign.pk}/report.csv").status_code == expected


@pytest.mark.parametrize(("role", "expected"), [("social", 302), ("employee", 403)])
def test_who_may_open_the_new_campaign_page(request, role, expected):
    _, client = _client(request, role)
    data = {**CREATE, "starts_at": "2030-01-01T09:00", "ends_at": "2030-01-08T18:00"}
    assert client.post("/campaigns/new/", data).status_code == expected


def test_opening_notifies_everyone_in_bulk(social, employee, colleague, deactivated):
    campaign = make_campaign(social, open_it=False)
    client_for(social).post(f"/campaigns/{campaign.pk}/open/")
    notified = set(
        Notification.objects.filter(kind=Notification.Kind.CAMPAIGN).values_list(
            "recipient_id", flat=True
        )
    )
    assert notified == {employee.pk, colleague.pk}  # not the actor, not the deactivated


def test_opening_costs_the_same_queries_for_many_people(social, django_assert_max_num_queries):
    from ..factories import make_person

    for i in range(60):
        make_person(f"person.{i}")
    campaign = make_campaign(social, open_it=False)
    from campaigns import services

    with django_assert_max_num_queries(8):
        services.open_campaign(actor=social, campaign=campaign)
    assert Notification.objects.filter(kind=Notification.Kind.CAMPAIGN).count() == 60


def test_picking_tells_the_contributor(social, employee, contribution):
    Notification.objects.all().delete()
    client_for(social).post(
        f"/campaigns/{contribution.campaign_id}/contributions/{contribution.pk}/pick/",
        {"suggested_text": "Thank you, Mrs. Ito! #TeachersInspire"},
    )
    note = Notification.objects.get(recipient=employee)
    assert note.kind == Notification.Kind.CAMPAIGN
    assert "picked" in note.text
    assert SharePost.objects.get().suggested_text == "Thank you, Mrs. Ito! #TeachersInspire"


def test_a_story_without_consent_cannot_be_picked(social, employee, campaign):
    from campaigns import services

    private = services.contribute(
        actor=employee, campaign=campaign, text="Just for us", consent=False
    )
    response = client_for(social).post(
        f"/api/v1/campaigns/{campaign.pk}/contributions/{private.pk}/pick/",
        {},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "contribution" in response.json()
    assert not SharePost.objects.exists()


def test_draft_campaign_takes_no_contributions(employee, social, draft):
    client = client_for(social)
    response = client.post(
        f"/api/v1/campaigns/{draft.pk}/contributions/",
        {"text": "Too early"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert not Contribution.objects.exists()
