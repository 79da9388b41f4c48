"""SCIM tokens: an admin creates one and sees it once; it is stored hashed; revoked, it stops
working; nobody else can create or revoke one; every caller without a valid token gets 401
and changes nothing."""

import pytest
from django.contrib.auth import get_user_model

from core.errors import ApplicationError
from directory import services
from directory.models import DirectoryAuditEntry, ScimToken

from ..conftest import client_for
from .conftest import ScimClient, payload

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_the_key_is_stored_only_as_a_hash(scim_token):
    row = ScimToken.objects.get()
    assert scim_token.key.startswith("shscim_") and len(scim_token.key) > 40
    assert scim_token.key not in {row.key_hash, row.prefix, row.name}
    assert row.key_hash == services.tokens.hash_key(scim_token.key)
    assert DirectoryAuditEntry.objects.filter(action="token_created", token=row).exists()


def test_admin_sees_the_key_once_on_the_page(admin_user):
    client = client_for(admin_user)
    response = client.post("/directory/scim-tokens/", {"name": "Okta"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    key = response.context["new_token"].key
    assert key.encode() in response.content
    again = client.get("/directory/scim-tokens/")
    assert key.encode() not in again.content
    assert b"Okta" in again.content


def test_employee_cannot_create_or_revoke_tokens(employee, scim_token):
    with pytest.raises(ApplicationError) as refused:
        services.create_scim_token(actor=employee, name="mine")
    assert refused.value.status == 403
    client = client_for(employee)
    assert client.get("/directory/scim-tokens/").status_code == 403
    assert client.post("/directory/scim-tokens/", {"name": "mine"}).status_code == 403
    revoke = f"/directory/scim-tokens/{scim_token.token.pk}/revoke/"
    assert client.post(revoke).status_code == 403
    assert ScimToken.objects.get().revoked_at is None
    assert ScimToken.objects.count() == 1


def test_a_revoked_token_is_refused(admin_user, scim_token):
    scim = ScimClient(scim_token.key)
    assert scim.get("Users").status_code == 200
    response = client_for(admin_user).post(f"/directory/scim-tokens/{scim_token.token.pk}/revoke/")
    assert response.status_code == 302
    refused = scim.post("Users", payload("okta_create_user"))
    assert refused.status_code == 401
    assert not User.objects.filter(username="test.user@okta.local").exists()
    assert DirectoryAuditEntry.objects.filter(action="token_revoked").count() == 1


@pytest.mark.parametrize(
    "key",
    [None, "", "shscim_wrong", "Token abc", "not-even-a-token"],
    ids=["anonymous", "empty", "wrong", "drf-token", "garbage"],
)
def test_callers_without_a_valid_token_get_401_and_change_nothing(scim_token, employee, key):
    client = ScimClient(key if key and not key.startswith("Token") else None)
    if key and key.startswith("Token"):
        client.client.credentials(HTTP_AUTHORIZATION=key)
    elif key == "":
        client.client.credentials(HTTP_AUTHORIZATION="Bearer")
    before = (User.objects.count(), User.objects.get(pk=employee.pk).is_active)
    for response in (
        client.get("Users"),
        client.post("Users", payload("okta_create_user")),
        client.patch(f"Users/{employee.pk}", payload("okta_patch_deactivate")),
        client.delete(f"Users/{employee.pk}"),
        client.post("Groups", payload("okta_create_group")),
    ):
        assert response.status_code == 401, response.content
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert response.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert (User.objects.count(), User.objects.get(pk=employee.pk).is_active) == before


def test_a_signed_in_admin_session_is_not_a_scim_client(admin_user, employee, scim_token):
    client = client_for(admin_user)
    response = client.patch(
        f"/scim/v2/Users/{employee.pk}",
        data=payload("okta_patch_deactivate"),
        content_type="application/scim+json",
    )
    assert response.status_code == 401
    assert User.objects.get(pk=employee.pk).is_active


def test_a_users_api_token_is_not_a_scim_token(employee, scim_token):
    from rest_framework.authtoken.models import Token

    key = Token.objects.create(user=employee).key
    response = ScimClient(key).get("Users")
    assert response.status_code == 401


def test_scim_describes_itself_and_stays_out_of_the_api_schema(scim, employee):
    config = scim.get("ServiceProviderConfig").json()
    assert config["patch"]["supported"] is True
    assert config["authenticationSchemes"][0]["type"] == "oauthbearertoken"
    types = scim.get("ResourceTypes").json()["Resources"]
    assert {t["id"] for t in types} == {"User", "Group"}
    schema = client_for(employee).get("/api/schema/")
    assert schema.status_code == 200 and b"/scim/" not in schema.content


def test_the_django_admin_lists_and_revokes_tokens_and_points_to_the_page(admin_user, scim_token):
    client = client_for(admin_user)
    listing = client.get("/admin/directory/scimtoken/")
    assert listing.status_code == 200
    assert b"/directory/scim-tokens/" in listing.content
    assert scim_token.key.encode() not in listing.content
    assert client.get("/admin/directory/scimtoken/add/").status_code == 403
    client.post(
        "/admin/directory/scimtoken/",
        {"action": "revoke", "_selected_action": [scim_token.token.pk]},
    )
    assert ScimToken.objects.get().revoked_at is not None
    assert ScimClient(scim_token.key).get("Users").status_code == 401


def test_directory_audit_entries_go_after_the_configured_years(admin_user, settings):
    import datetime as dt

    from django.utils import timezone

    from core import retention

    settings.RETENTION_AUDIT_YEARS = 7
    old = services.create_scim_token(actor=admin_user, name="Old").token
    services.create_scim_token(actor=admin_user, name="New")
    DirectoryAuditEntry.objects.filter(token=old).update(
        created_at=timezone.now() - dt.timedelta(days=365 * 7 + 3)
    )
    assert retention.run(only=["directory-audit"]) == {"directory-audit": 1}
    assert list(DirectoryAuditEntry.objects.values_list("detail", flat=True)) == ["New"]
