"""The social team corrects a draft or open campaign (brief, guidance, hashtag, dates) on
the page and through the API; nobody else may; a closed campaign keeps what it said."""

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.models import Campaign
from notifications.models import Notification

from ..conftest import client_for
from ..xss import assert_inert, payloads
from .conftest import make_campaign

pytestmark = pytest.mark.django_db


def _form(campaign, **changes):
    fields = {
        "title": campaign.title,
        "hashtag": campaign.hashtag,
        "starts_at": timezone.localtime(campaign.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(campaign.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "brief": campaign.brief,
        "guidance": campaign.guidance,
    }
    return {**fields, **changes}


def test_the_social_team_edits_an_open_campaign_on_its_page(social, campaign, employee):
    client = client_for(social)
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert f'href="/campaigns/{campaign.pk}/edit/"' in page
    form = client.get(f"/campaigns/{campaign.pk}/edit/").content.decode()
    assert "Edit campaign" in form and 'value="TeachersInspire"' in form
    notified = Notification.objects.count()
    later = timezone.localtime() + dt.timedelta(days=30)
    response = client.post(
        f"/campaigns/{campaign.pk}/edit/",
        _form(campaign, brief="A **new** brief", ends_at=later.strftime("%Y-%m-%dT%H:%M")),
    )
    assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
    campaign.refresh_from_db()
    assert campaign.brief == "A **new** brief" and "<strong>new</strong>" in campaign.brief_html
    assert campaign.ends_at.date() == later.date()
    assert Notification.objects.count() == notified  # nobody is told twice
    assert (
        "<strong>new</strong>"
        in client_for(employee).get(f"/campaigns/{campaign.pk}/").content.decode()
    )


def test_an_open_campaign_cannot_be_moved_to_have_ended(social, campaign):
    yesterday = timezone.localtime() - dt.timedelta(days=1)
    response = client_for(social).post(
        f"/campaigns/{campaign.pk}/edit/",
        _form(
            campaign,
            starts_at=(yesterday - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            ends_at=yesterday.strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert response.status_code == 400
    assert "ends in the future" in response.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).ends_at > timezone.now()


@pytest.mark.parametrize("who", ["employee", "rep", "deactivated"])
def test_only_the_social_team_edits(request, who, campaign):
    user = request.getfixturevalue(who)
    client = client_for(user)
    before = Campaign.objects.get(pk=campaign.pk).brief
    page = client.get(f"/campaigns/{campaign.pk}/edit/")
    posted = client.post(f"/campaigns/{campaign.pk}/edit/", _form(campaign, brief="Mine now"))
    api = client.patch(
        f"/api/v1/campaigns/{campaign.pk}/", {"brief": "Mine now"}, content_type="application/json"
    )
    if who == "deactivated":  # signed out: to the login page, the API says 401/403
        assert page.status_code == posted.status_code == 302
        assert api.status_code in (401, 403)
    else:
        assert page.status_code == posted.status_code == api.status_code == 403
    assert Campaign.objects.get(pk=campaign.pk).brief == before


def test_a_draft_is_invisible_and_uneditable_outside_the_social_team(draft, employee):
    assert client_for(employee).get(f"/campaigns/{draft.pk}/edit/").status_code == 404


def test_the_api_patches_some_fields_and_a_closed_campaign_refuses(social, campaign):
    client = client_for(social)
    url = f"/api/v1/campaigns/{campaign.pk}/"
    response = client.patch(url, {"hashtag": "#Mentors"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["hashtag"] == "Mentors"
    assert response.json()["title"] == "Teachers who inspired us"  # kept
    bad = client.patch(url, {"hashtag": "two words"}, content_type="application/json")
    assert bad.status_code == 400 and "hashtag" in bad.json()
    unknown = client.patch(url, {"status": "draft"}, content_type="application/json")
    assert unknown.status_code == 400
    client.post(f"/api/v1/campaigns/{campaign.pk}/status/", {"status": "closed"},
                content_type="application/json")  # fmt: skip
    closed = client.patch(url, {"brief": "Too late"}, content_type="application/json")
    assert closed.status_code == 409
    assert Campaign.objects.get(pk=campaign.pk).brief.startswith("Tell us about")
    assert (
        f'href="/campaigns/{campaign.pk}/edit/"'
        not in client.get(f"/campaigns/{campaign.pk}/").content.decode()
    )


def test_xss_vectors_stay_inert_after_an_edit(social, employee):
    campaign = make_campaign(social)
    vectors = payloads()
    patched = client_for(social).patch(
        f"/api/v1/campaigns/{campaign.pk}/",
        {"brief": "\n\n".join(vectors), "guidance": "\n".join(vectors)[:2000]},
        content_type="application/json",
    )
    assert patched.status_code == 200, patched.content
    assert_inert(client_for(employee).get(f"/campaigns/{campaign.pk}/").content.decode())
    assert_inert(client_for(social).get(f"/campaigns/{campaign.pk}/edit/").content.decode())
