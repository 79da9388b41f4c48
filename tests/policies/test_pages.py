"""Who reaches which policy page: employees read, admins manage."""

import pytest

from policies import services

from ..conftest import client_for

pytestmark = pytest.mark.django_db

EVERYONE = [
    "/policies/",
    "/policies/versions/",
    "/policies/versions/1/",
    "/policies/diff/?old=1&new=1",
    "/policies/quiz/",
    "/policies/representatives/",
    "/policies/accounts/",
    "/policies/accounts/{account}/",
]
ADMINS = [
    "/policies/versions/2/",
    "/policies/versions/1/quiz/",
    "/policies/report/",
    "/policies/report.csv",
    "/policies/settings/",
    "/policies/offboard/",
    "/policies/audit/",
]


@pytest.fixture
def account(admin_user, engineering, draft):
    return services.create_brand_account(
        actor=admin_user,
        platform="x",
        handle="@acme",
        url="https://x.com/acme",
        department=engineering,
    )


@pytest.mark.parametrize("path", EVERYONE)
def test_employees_read_the_policy_pages(employee, account, path):
    response = client_for(employee).get(path.format(account=account.pk))
    assert response.status_code == 200


@pytest.mark.parametrize("path", ADMINS)
def test_admin_pages_are_refused_to_employees(employee, admin_user, account, path):
    assert client_for(employee).get(path).status_code in (403, 404)
    assert client_for(admin_user).get(path).status_code == 200


def test_employees_see_no_admin_controls(employee, account):
    client = client_for(employee)
    for path in ("/policies/", "/policies/accounts/", f"/policies/accounts/{account.pk}/"):
        page = client.get(path).content.decode()
        assert "/policies/settings/" not in page
        assert "Register an account" not in page and "Authorize someone" not in page


def test_admin_drafts_edits_and_publishes_in_the_app(
    admin_user, employee, django_capture_on_commit_callbacks, tasks_in_process
):
    from notifications.models import Notification
    from policies.models import PolicyVersion

    client = client_for(admin_user)
    response = client.post(
        "/policies/versions/", {"title": "Our policy", "body": "Be kind.", "change_note": ""}
    )
    assert response.status_code == 302 and response.url == "/policies/versions/1/"
    response = client.post(
        "/policies/versions/1/",
        {"title": "Our policy", "body": "Be kind.\n\nSay who you are.", "change_note": "First"},
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):  # the bulk job's task
        assert client.post("/policies/versions/1/publish/").status_code == 302
    version = PolicyVersion.objects.get(number=1)
    assert version.status == "published" and "Say who you are." in version.body_html
    assert Notification.objects.filter(recipient=employee, kind="policy").exists()
    assert "policy-banner" in client_for(employee).get("/people/").content.decode()


@pytest.mark.parametrize("who", ["employee", "admin_user"])
def test_a_version_is_listed_exactly_when_its_detail_answers(request, who, draft):
    from policies import services as policy_services

    admin = request.getfixturevalue("admin_user")
    policy_services.publish_version(actor=admin, version=draft)
    policy_services.create_version(actor=admin, title="Next", body="Later")  # a draft, v3
    client = client_for(request.getfixturevalue(who))
    listed = {v["number"] for v in client.get("/api/v1/policies/versions/").json()["results"]}
    for number in (1, 2, 3, 4):
        api = client.get(f"/api/v1/policies/versions/{number}/").status_code
        page = client.get(f"/policies/versions/{number}/").status_code
        assert (number in listed) == (api == 200) == (page == 200), number
    assert listed == ({1, 2} if who == "employee" else {1, 2, 3})
