"""Policy versions: drafts, publication, acknowledgement, differences, bad input."""

import pytest

from core.errors import ApplicationError
from notifications.models import Notification
from policies import selectors, services
from policies.models import Acknowledgement, AuditEntry, PolicyVersion

from ..conftest import client_for
from ..factories import make_person
from ..xss import assert_inert, payloads

pytestmark = pytest.mark.django_db


def test_publishing_supersedes_the_current_version(admin_user, policy, draft):
    services.publish_version(actor=admin_user, version=draft)
    policy.refresh_from_db()
    draft.refresh_from_db()
    assert policy.status == PolicyVersion.Status.SUPERSEDED
    assert draft.status == PolicyVersion.Status.PUBLISHED
    assert selectors.current_version() == draft
    assert AuditEntry.objects.filter(action="publish_version", version=draft).exists()


def test_employee_cannot_publish_and_nothing_changes(employee, policy, draft):
    with pytest.raises(ApplicationError) as exc:
        services.publish_version(actor=employee, version=draft)
    assert exc.value.status == 403
    draft.refresh_from_db()
    assert draft.status == PolicyVersion.Status.DRAFT
    assert selectors.current_version() == policy


def test_employee_cannot_publish_through_the_page_or_api(employee, policy, draft):
    client = client_for(employee)
    assert client.post(f"/policies/versions/{draft.number}/publish/").status_code == 404
    assert client.post(f"/api/v1/policies/versions/{draft.number}/publish/").status_code == 404
    response = client.post("/api/v1/policies/versions/", {"title": "Mine", "body": "x"})
    assert response.status_code == 403
    assert PolicyVersion.objects.count() == 2
    assert PolicyVersion.objects.get(pk=draft.pk).status == PolicyVersion.Status.DRAFT


def test_drafts_are_for_admins_only(employee, admin_user, draft):
    assert client_for(employee).get(f"/policies/versions/{draft.number}/").status_code == 404
    numbers = [
        v["number"]
        for v in client_for(employee).get("/api/v1/policies/versions/").json()["results"]
    ]
    assert numbers == [1]
    assert client_for(admin_user).get(f"/policies/versions/{draft.number}/").status_code == 200


def test_publishing_notifies_every_active_employee_in_bulk(
    admin_user,
    employee,
    colleague,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
    tasks_in_process,
):
    for i in range(30):
        make_person(f"p{i}")
    version = services.create_version(actor=admin_user, title="Policy", body="Text")
    # The request's count does not grow with the company (12 -> 9: the notifications left
    # it for a bulk job, whose chunks are pinned in test_publication.py).
    with django_assert_max_num_queries(9), django_capture_on_commit_callbacks() as callbacks:
        services.publish_version(actor=admin_user, version=version)
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    notified = Notification.objects.filter(kind=Notification.Kind.POLICY)
    assert notified.count() == 32  # everyone active but the admin who published
    assert not notified.filter(recipient=admin_user).exists()


def test_acknowledging_the_current_version_is_recorded(employee, policy):
    ack = services.acknowledge_version(actor=employee, version=policy)
    assert (ack.user, ack.version) == (employee, policy)
    assert ack.acknowledged_at is not None
    services.acknowledge_version(actor=employee, version=policy)  # twice is once
    assert Acknowledgement.objects.filter(user=employee).count() == 1


def test_acknowledging_an_old_version_is_refused(admin_user, employee, policy, draft):
    services.publish_version(actor=admin_user, version=draft)
    policy.refresh_from_db()
    with pytest.raises(ApplicationError) as exc:
        services.acknowledge_version(actor=employee, version=policy)
    assert exc.value.field == "version"
    response = client_for(employee).post(f"/api/v1/policies/versions/{policy.number}/acknowledge/")
    assert response.status_code == 400 and "version" in response.json()
    assert not Acknowledgement.objects.filter(user=employee).exists()


def test_acknowledging_a_draft_is_refused(admin_user, draft):
    with pytest.raises(ApplicationError):
        services.acknowledge_version(actor=admin_user, version=draft)
    response = client_for(admin_user).post(f"/api/v1/policies/versions/{draft.number}/acknowledge/")
    assert response.status_code == 400
    assert not Acknowledgement.objects.filter(version=draft).exists()


def test_acknowledging_through_the_page(employee, policy):
    client = client_for(employee)
    response = client.post(f"/policies/versions/{policy.number}/acknowledge/")
    assert response.status_code == 302
    assert Acknowledgement.objects.filter(user=employee, version=policy).exists()
    page = client.get("/policies/").content.decode()
    assert "Acknowledged" in page and "policy-banner" not in page


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [
        ("", "text", "title"),
        ("Title", "", "body"),
        ("Title", "   \n  ", "body"),
        ("x" * 201, "t", "title"),
    ],
)
def test_empty_policy_is_a_clear_error(admin_user, title, body, field):
    with pytest.raises(ApplicationError) as exc:
        services.create_version(actor=admin_user, title=title, body=body)
    assert exc.value.field == field
    response = client_for(admin_user).post(
        "/api/v1/policies/versions/", {"title": title, "body": body}
    )
    assert response.status_code == 400 and field in response.json()
    page = client_for(admin_user).post("/policies/versions/", {"title": title, "body": body})
    assert page.status_code == 400
    assert not PolicyVersion.objects.exists()


def test_published_versions_never_change(admin_user, policy):
    with pytest.raises(ApplicationError):
        services.edit_version(actor=admin_user, version=policy, title="New", body="New text")
    response = client_for(admin_user).patch(
        f"/api/v1/policies/versions/{policy.number}/",
        {"body": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
    policy.refresh_from_db()
    assert policy.body.startswith("# Rules")


def test_diff_shows_added_and_removed_lines_escaped(admin_user, policy):
    draft = services.create_version(
        actor=admin_user,
        title="Policy",
        body="# Rules\n\nBe kind.\n<script>alert(1)</script>",
    )
    lines = selectors.diff_versions(policy, draft)
    assert ("added", "<script>alert(1)</script>") in [(x.kind, x.text) for x in lines]
    assert ("removed", "Say who you are.") in [(x.kind, x.text) for x in lines]
    page = client_for(admin_user).get(f"/policies/diff/?old=1&new={draft.number}").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page
    api = client_for(admin_user).get(f"/api/v1/policies/diff/?old=1&new={draft.number}").json()
    assert {
        "kind": "removed",
        "old_number": 4,
        "new_number": None,
        "text": "Say who you are.",
    } in api["lines"]


def test_diff_of_a_draft_is_404_for_employees(employee, draft):
    assert client_for(employee).get(f"/policies/diff/?old=1&new={draft.number}").status_code == 404
    assert client_for(employee).get("/api/v1/policies/diff/?old=1&new=x").status_code == 400


@pytest.mark.parametrize("payload", payloads())
def test_policy_text_and_diff_are_inert(admin_user, policy, payload):
    version = services.create_version(actor=admin_user, title=payload[:200], body=payload)
    client = client_for(admin_user)
    assert_inert(client.get(f"/policies/versions/{version.number}/").content.decode())
    assert_inert(client.get(f"/policies/diff/?old=1&new={version.number}").content.decode())


@pytest.mark.parametrize("bad", ["x", "0", "-1", "²", "99999999999999999999", ""])
def test_a_diff_asked_for_no_version_number_is_a_400_naming_it(admin_user, policy, bad):
    client = client_for(admin_user)
    response = client.get(f"/api/v1/policies/diff/?old=1&new={bad}")
    assert response.status_code == 400 and "new" in response.json()
    assert client.get(f"/policies/diff/?old={bad}&new=1").status_code == 400
