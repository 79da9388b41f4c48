"""'Who does what in social' (page and /api/v1/social/org/), social media mentors
(policies.selectors.mentors_of, for monitoring's alerts), and the brand activity feed."""

import pytest
from rest_framework.test import APIClient

from core.errors import ApplicationError
from crisis import services as crisis
from crisis.models import BrandActivity
from policies import selectors as policies
from policies import services as policy_services
from policies.models import PolicySettings

from ..conftest import client_for
from .conftest import set_model

pytestmark = pytest.mark.django_db


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def account(admin_user, finance, rep):
    account = policy_services.create_brand_account(
        actor=admin_user,
        platform="x",
        handle="@acme_billing",
        url="https://x.com/acme_billing",
        department=finance,
    )
    policy_services.authorize_person(actor=admin_user, account=account, user=rep)
    return policies.get_brand_account(admin_user, account.pk)


def test_everyone_reads_who_does_what(
    admin_user, social, lead, certified_rep, finance_mentor, finance, account, other
):
    set_model(admin_user, PolicySettings.Engagement.EMPOWERED_UNITS, departments=[finance])
    page = client_for(other).get("/social/").content.decode()
    for expected in (
        "Empowered units",
        "Sam Social",
        "Lea Lead",
        "Mia Mentor",
        "Rita Rep",
        "@acme_billing",
        "Finance",
    ):
        assert expected in page
    org = _api(other).get("/api/v1/social/org/").json()
    assert org["engagement_model"] == "empowered_units"
    assert [p["username"] for p in org["social_team"]] == ["sam.social"]
    finance_row = next(d for d in org["departments"] if d["department"]["slug"] == "finance")
    assert [p["username"] for p in finance_row["mentors"]] == ["mia.mentor"]
    assert [p["username"] for p in finance_row["representatives"]] == ["rita.rep"]
    assert org["brand_accounts"][0]["authorized"][0]["username"] == "rita.rep"
    lead_row = next(r for r in org["crisis_roles"] if r["role"] == "Crisis lead")
    assert [p["username"] for p in lead_row["people"]] == ["lea.lead"]


def test_mentors_of_a_department_for_its_alerts(admin_user, finance, engineering, finance_mentor):
    assert list(policies.mentors_of(finance)) == [finance_mentor]
    assert list(policies.mentors_of(engineering.pk)) == []
    finance_mentor.is_active = False
    finance_mentor.save()
    assert list(policies.mentors_of(finance)) == []


def test_only_admins_name_mentors(social, finance, other):
    with pytest.raises(ApplicationError) as refused:
        policy_services.name_mentor(actor=social, department=finance, user=other)
    assert refused.value.status == 403


def test_admins_name_roles_and_mentors_on_the_team_page(admin_user, other, finance):
    client = client_for(admin_user)
    client.post("/crisis/team/", {"username": "otto.other", "role": "legal"})
    client.post("/crisis/team/", {"username": "otto.other", "department": "finance"})
    assert list(policies.mentors_of(finance)) == [other]
    assert other.crisis_roles.get().role == "legal"
    bad = client.post("/crisis/team/", {"username": "nobody", "role": "legal"})
    assert bad.status_code == 400 and "Nobody active" in bad.content.decode()
    assert client_for(other).get("/crisis/team/").status_code == 403


def test_an_authorized_person_records_a_brand_post(admin_user, rep, other, account):
    crisis.record_brand_post(actor=rep, account=account, text="New refunds page is live!")
    with pytest.raises(ApplicationError) as refused:
        crisis.record_brand_post(actor=other, account=account, text="Hello")
    assert refused.value.status == 403
    activity = BrandActivity.objects.get()
    assert activity.kind == "post" and activity.account_id == account.pk
    feed = _api(other).get("/api/v1/social/brand-activity/").json()["results"]
    assert feed[0]["text"] == "New refunds page is live!"
    assert (
        "New refunds page is live!" in client_for(other).get("/social/activity/").content.decode()
    )


def test_the_brand_activity_page_records_from_a_form(rep, account):
    client = client_for(rep)
    response = client.post(
        "/social/activity/", {"account": account.pk, "text": "Posted", "url": "javascript:x"}
    )
    assert response.status_code == 400
    response = client.post("/social/activity/", {"account": account.pk, "text": "Posted"})
    assert response.status_code == 302
    assert BrandActivity.objects.get().text == "Posted"


def test_brand_activity_goes_out_live_to_the_company(monkeypatch, rep, account):
    from core import events

    sent = []
    monkeypatch.setattr(events, "publish", lambda **kwargs: sent.append(kwargs))
    crisis.record_brand_post(actor=rep, account=account, text="Hello world")
    assert sent == [
        {
            "audience": "company",
            "event_type": "topic.changed",
            "payload": {"topic": "brand-activity"},
        }
    ]


def test_the_brand_activity_list_costs_the_same_whatever_its_length(
    rep, account, django_assert_num_queries
):
    api = _api(rep)
    crisis.record_brand_post(actor=rep, account=account, text="One")
    with django_assert_num_queries(1) as one:
        api.get("/api/v1/social/brand-activity/")
    for n in range(10):
        crisis.record_brand_post(actor=rep, account=account, text=f"Post {n}")
    with django_assert_num_queries(len(one.captured_queries)):
        api.get("/api/v1/social/brand-activity/")
