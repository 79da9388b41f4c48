"""Brand accounts: the registry, authorizations, offboarding with handover, audit log."""

import pytest
from django.contrib.auth import get_user_model

from notifications.models import Notification
from policies import selectors, services
from policies.models import AuditEntry, Authorization, BrandAccount, Certification

from ..conftest import client_for
from ..factories import make_person
from .conftest import right_answers

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def accounts(admin_user, engineering, finance):
    made = [
        services.create_brand_account(
            actor=admin_user,
            platform="x",
            handle="@acme",
            url="https://x.com/acme",
            department=engineering,
        ),
        services.create_brand_account(
            actor=admin_user,
            platform="linkedin",
            handle="acme",
            url="https://linkedin.com/company/acme",
            department=finance,
        ),
        services.create_brand_account(
            actor=admin_user,
            platform="instagram",
            handle="@acme",
            url="https://instagram.com/acme",
            department=engineering,
        ),
    ]
    return made


@pytest.fixture
def leaver(admin_user, employee, accounts, policy):
    """Ana runs two accounts and is certified."""
    for account in accounts[:2]:
        services.authorize_person(actor=admin_user, account=account, user=employee)
    services.acknowledge_version(actor=employee, version=policy)
    services.submit_quiz(actor=employee, quiz=policy.quiz, answers=right_answers(policy.quiz))
    return employee


def _state(user):
    return (
        User.objects.get(pk=user.pk).is_active,
        sorted(
            Authorization.objects.filter(user=user, revoked_at__isnull=True).values_list(
                "account_id", flat=True
            )
        ),
        Certification.objects.filter(user=user, revoked_at__isnull=True).count(),
        BrandAccount.objects.filter(handover_requested_at__isnull=False).count(),
        AuditEntry.objects.count(),
    )


def test_offboarding_revokes_everything_and_flags_for_handover(
    admin_user, leaver, colleague, accounts
):
    revoked = services.offboard_employee(actor=admin_user, user=leaver, handover_to=colleague)
    assert revoked == 2
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert not Authorization.objects.filter(user=leaver, revoked_at__isnull=True).exists()
    assert not selectors.is_certified(leaver)
    flagged = BrandAccount.objects.filter(handover_requested_at__isnull=False)
    assert set(flagged) == set(accounts[:2])
    assert all(a.handover_to == colleague and a.handover_from == leaver for a in flagged)
    actions = list(AuditEntry.objects.filter(target_user=leaver).values_list("action", flat=True))
    assert actions.count("revoke_authorization") == 2
    assert actions.count("flag_handover") == 2
    assert "revoke_certification" in actions and "offboard" in actions
    assert Notification.objects.filter(recipient=colleague, kind="policy").count() == 2


def test_a_failure_midway_through_offboarding_changes_nothing(
    admin_user, leaver, colleague, monkeypatch
):
    before = _state(leaver)
    calls = {"n": 0}
    real_audit = services.common._audit

    def failing_audit(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:  # after both revocations and the first handover flag
            raise RuntimeError("database went away")
        return real_audit(*args, **kwargs)

    # every module of the offboarding path that audits
    monkeypatch.setattr(services.brand_accounts, "_audit", failing_audit)
    monkeypatch.setattr(services.offboarding, "_audit", failing_audit)
    with pytest.raises(RuntimeError):
        services.offboard_employee(actor=admin_user, user=leaver, handover_to=colleague)
    assert calls["n"] == 4
    assert _state(leaver) == before
    assert not Notification.objects.filter(recipient=colleague).exists()


def test_deactivating_in_the_django_admin_also_revokes(admin_user, leaver, accounts):
    manager = make_person("mia.manager")
    leaver.profile.manager = manager
    leaver.profile.save()
    leaver.is_active = False
    leaver.save()
    assert not Authorization.objects.filter(user=leaver, revoked_at__isnull=True).exists()
    assert not selectors.is_certified(leaver)
    flagged = BrandAccount.objects.filter(handover_requested_at__isnull=False)
    assert {a.handover_to for a in flagged} == {manager.user}
    assert AuditEntry.objects.filter(action="offboard", target_user=leaver, actor=None).exists()


@pytest.mark.parametrize(
    ("who", "handover", "field"),
    [
        ("ana.garcia", "ana.garcia", "handover_to"),
        ("ana.garcia", "nobody.here", "handover_to"),
        ("nobody.here", "ben.okafor", "username"),
        ("alex.admin", "ben.okafor", "username"),
    ],
)
def test_offboarding_bad_input_names_the_field(admin_user, leaver, colleague, who, handover, field):
    before = _state(leaver)
    response = client_for(admin_user).post(
        "/api/v1/policies/offboarding/",
        {"username": who, "handover_to": handover},
        content_type="application/json",
    )
    assert response.status_code == 400 and field in response.json()
    assert _state(leaver) == before


def test_the_offboarding_api_previews_what_would_happen_and_changes_nothing(
    admin_user, leaver, colleague, accounts, django_assert_num_queries
):
    before = _state(leaver)
    client = client_for(admin_user)
    body = {"username": leaver.username, "handover_to": colleague.username}
    url = "/api/v1/policies/offboarding/preview/"
    client.post(url, body, content_type="application/json")
    # Session and me, the two people, then the accounts, the certification, the handovers.
    with django_assert_num_queries(7):
        response = client.post(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["username"], data["handover_to"]) == ("ana.garcia", "ben.okafor")
    assert sorted(a["id"] for a in data["revoked_authorizations"]) == sorted(
        a.pk for a in accounts[:2]
    )
    assert data["certified_since"] is not None and data["pending_handovers"] == []
    assert _state(leaver) == before
    # The same refusals as offboarding itself, naming the field; admins only.
    same = client.post(
        url,
        {"username": "ana.garcia", "handover_to": "ana.garcia"},
        content_type="application/json",
    )
    assert same.status_code == 400 and "handover_to" in same.json()
    denied = client_for(colleague).post(url, body, content_type="application/json")
    assert denied.status_code == 403 and _state(leaver) == before


def test_offboarding_through_the_page_shows_what_happens_then_asks(
    admin_user, leaver, colleague, accounts
):
    client = client_for(admin_user)
    before = _state(leaver)
    people = {"username": leaver.username, "handover_to": colleague.username}
    response = client.post("/policies/offboard/", people)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Offboard {leaver.profile.display_name}?" in page and "Nothing has changed yet" in page
    assert "2 brand-account authorizations revoked" in page and "@acme" in page
    assert "flagged for handover to" in page and "certification (since" in page
    assert colleague.profile.display_name in page
    assert _state(leaver) == before and User.objects.get(pk=leaver.pk).is_active
    response = client.post("/policies/offboard/", {**people, "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.get(pk=leaver.pk).is_active


def test_offboarding_pickers_accept_a_name_only_one_person_has(admin_user, leaver, colleague):
    response = client_for(admin_user).post(
        "/policies/offboard/",
        {
            "username": leaver.profile.display_name,
            "handover_to": colleague.profile.display_name,
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    assert not User.objects.get(pk=leaver.pk).is_active


@pytest.mark.parametrize(
    ("who", "handover", "field"),
    [
        ("ana.garcia", "ana.garcia", "handover_to"),
        ("ana.garcia", "nobody.here", "handover_to"),
        ("nobody.here", "ben.okafor", "username"),
        ("alex.admin", "ben.okafor", "username"),
    ],
)
def test_offboarding_page_refusals_name_the_field_at_either_step(
    admin_user, leaver, colleague, who, handover, field
):
    before = _state(leaver)
    for confirm in ("", "on"):
        response = client_for(admin_user).post(
            "/policies/offboard/", {"username": who, "handover_to": handover, "confirm": confirm}
        )
        assert response.status_code == 400
        assert field in response.context["form"].errors
        assert "Nothing has changed yet" not in response.content.decode()
    assert _state(leaver) == before


def test_non_admin_cannot_offboard_or_manage_accounts(
    employee, colleague, leaver, accounts, engineering
):
    before = _state(leaver)
    client = client_for(colleague)
    assert (
        client.post(
            "/api/v1/policies/offboarding/",
            {"username": leaver.username, "handover_to": colleague.username},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert client.get("/policies/offboard/").status_code == 403
    assert (
        client.post(
            "/policies/offboard/", {"username": leaver.username, "handover_to": "ben.okafor"}
        ).status_code
        == 403
    )
    body = {
        "platform": "x",
        "handle": "@mine",
        "url": "https://x.com/mine",
        "department": "engineering",
    }
    assert (
        client.post("/api/v1/policies/accounts/", body, content_type="application/json").status_code
        == 403
    )
    assert client.post("/policies/accounts/", body).status_code == 403
    account = accounts[0]
    assert (
        client.post(
            f"/api/v1/policies/accounts/{account.pk}/authorizations/",
            {"username": colleague.username},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert (
        client.delete(
            f"/api/v1/policies/accounts/{account.pk}/authorizations/{leaver.username}/"
        ).status_code
        == 403
    )
    assert (
        client.post(f"/policies/accounts/{account.pk}/revoke/{leaver.username}/").status_code == 403
    )
    assert (
        client.post(
            f"/policies/accounts/{account.pk}/authorize/", {"username": "ben.okafor"}
        ).status_code
        == 403
    )
    assert _state(leaver) == before
    assert BrandAccount.objects.count() == 3


def test_everyone_reads_the_registry_with_its_ownership_statement(employee, accounts):
    page = client_for(employee).get("/policies/accounts/").content.decode()
    assert "@acme" in page and "belong to the company" in page
    api = client_for(employee).get("/api/v1/policies/accounts/").json()
    assert [(a["platform"], a["handle"]) for a in api["results"]] == [
        ("instagram", "@acme"),
        ("linkedin", "acme"),
        ("x", "@acme"),
    ]


def test_registry_api_queries_do_not_grow_with_accounts(
    admin_user, employee, accounts, engineering, django_assert_num_queries
):
    client = client_for(employee)
    client.get("/api/v1/policies/accounts/")
    # session, user, accounts (with department and handover people), authorizations
    with django_assert_num_queries(4):
        client.get("/api/v1/policies/accounts/")
    for i in range(10):
        account = services.create_brand_account(
            actor=admin_user,
            platform="mastodon",
            handle=f"@acme{i}",
            url=f"https://social.example/@acme{i}",
            department=engineering,
        )
        services.authorize_person(actor=admin_user, account=account, user=make_person(f"p{i}").user)
    with django_assert_num_queries(4):
        assert len(client.get("/api/v1/policies/accounts/").json()["results"]) == 13


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"platform": "myspace"}, "platform"),
        ({"handle": ""}, "handle"),
        ({"handle": "has space"}, "handle"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"department": "nope"}, "department"),
        ({"handle": "@acme"}, "handle"),  # registered already
    ],
)
def test_bad_account_input_is_a_400_naming_the_field(
    admin_user, accounts, engineering, body, field
):
    data = {
        "platform": "x",
        "handle": "@new",
        "url": "https://x.com/new",
        "department": "engineering",
    }
    data.update(body)
    response = client_for(admin_user).post(
        "/api/v1/policies/accounts/", data, content_type="application/json"
    )
    assert response.status_code == 400 and field in response.json()
    assert BrandAccount.objects.count() == 3


def test_admin_completes_a_handover(admin_user, leaver, colleague, accounts):
    services.offboard_employee(actor=admin_user, user=leaver, handover_to=colleague)
    account = accounts[0]
    response = client_for(admin_user).post(f"/api/v1/policies/accounts/{account.pk}/handover/")
    assert response.status_code == 200
    body = response.json()
    assert body["needs_handover"] is False
    assert [a["person"]["username"] for a in body["authorized"]] == [colleague.username]
    assert AuditEntry.objects.filter(action="complete_handover", account=account).exists()


def test_authorize_and_revoke_through_the_pages(admin_user, colleague, accounts):
    account = accounts[0]
    client = client_for(admin_user)
    assert (
        client.post(
            f"/policies/accounts/{account.pk}/authorize/", {"username": colleague.username}
        ).status_code
        == 302
    )
    assert Authorization.objects.filter(
        account=account, user=colleague, revoked_at__isnull=True
    ).exists()
    page = client.get(f"/policies/accounts/{account.pk}/").content.decode()
    assert "Ben Okafor" in page
    assert (
        client.post(f"/policies/accounts/{account.pk}/revoke/{colleague.username}/").status_code
        == 302
    )
    assert not Authorization.objects.filter(
        account=account, user=colleague, revoked_at__isnull=True
    ).exists()
    log = client.get("/policies/audit/").content.decode()
    assert (
        "authorized someone on an account" in log.lower()
        and "revoked an authorization" in log.lower()
    )


def test_audit_log_is_for_admins(employee, admin_user, accounts):
    assert client_for(employee).get("/api/v1/policies/audit-log/").status_code == 403
    entries = client_for(admin_user).get("/api/v1/policies/audit-log/").json()["results"]
    assert [e["action"] for e in entries] == ["create_account"] * 3
