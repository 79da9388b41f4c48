"""Users over SCIM, with the bodies Entra ID and Okta send (tests/data/scim)."""

import pytest
from django.contrib.auth import get_user_model

from directory.models import DirectoryAuditEntry, ExternalUser
from people.models import Department

from ..factories import make_person
from .conftest import payload

pytestmark = pytest.mark.django_db
User = get_user_model()
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def test_entra_creates_a_person(scim):
    response = scim.post("Users", payload("entra_create_user"))
    assert response.status_code == 201, response.content
    assert response["Content-Type"] == "application/scim+json"
    body = response.json()
    user = User.objects.get(username="Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1")
    assert body["id"] == str(user.pk)
    assert body["externalId"] == "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"
    assert body["meta"]["location"].endswith(f"/scim/v2/Users/{user.pk}")
    assert user.email == "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com"
    assert (user.first_name, user.last_name, user.is_active) == ("givenName", "familyName", True)
    assert user.profile.display_name == "givenName familyName"
    assert not user.has_usable_password()  # they sign in through SSO
    assert ExternalUser.objects.get(user=user).external_id == body["externalId"]
    assert DirectoryAuditEntry.objects.filter(action="user_created", target_user=user).exists()


def test_okta_creates_a_person_and_its_password_is_not_kept(scim):
    response = scim.post("Users", payload("okta_create_user"))
    assert response.status_code == 201
    user = User.objects.get(username="test.user@okta.local")
    assert user.profile.display_name == "Test User"
    assert not user.check_password("1mz050nq")


def test_the_same_username_twice_is_a_409(scim):
    assert scim.post("Users", payload("okta_create_user")).status_code == 201
    again = scim.post("Users", payload("okta_create_user"))
    assert again.status_code == 409
    assert again.json()["scimType"] == "uniqueness"
    assert User.objects.filter(username="test.user@okta.local").count() == 1


@pytest.mark.parametrize(
    "attribute",
    ['userName eq "test.user@okta.local"', 'externalId eq "00ujl29u0le5T6Aj10h7"'],
)
def test_providers_find_a_person_by_filter(scim, employee, attribute):
    created = scim.post("Users", payload("okta_create_user")).json()
    found = scim.get(f"Users?filter={attribute}&startIndex=1&count=100").json()
    assert found["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"]
    assert found["totalResults"] == 1
    assert [r["id"] for r in found["Resources"]] == [created["id"]]
    nobody = scim.get('Users?filter=userName eq "nobody@example.com"').json()
    assert nobody["totalResults"] == 0 and nobody["Resources"] == []


def test_an_unsupported_filter_is_a_400_naming_it(scim):
    response = scim.get('Users?filter=title co "x"')
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidFilter"


def test_listing_pages_with_a_fixed_number_of_queries(
    scim, employee, colleague, django_assert_max_num_queries
):
    for n in range(5):
        make_person(f"person.{n}", manager=employee.profile)
    with django_assert_max_num_queries(4):  # token, count, page (+ last_used_at once)
        body = scim.get("Users?startIndex=2&count=3").json()
    assert body["itemsPerPage"] == 3 and body["startIndex"] == 2
    assert body["totalResults"] == User.objects.count()


def test_entra_patches_email_and_family_name(scim, employee):
    response = scim.patch(f"Users/{employee.pk}", payload("entra_patch_attributes"))
    assert response.status_code == 200, response.content
    employee.refresh_from_db()
    assert employee.email == "updatedEmail@microsoft.com"
    assert employee.last_name == "updatedFamilyName"
    assert response.json()["emails"][0]["value"] == "updatedEmail@microsoft.com"


def test_entra_sets_title_department_and_manager_through_the_enterprise_extension(scim, employee):
    boss = make_person("maria.boss", display_name="Maria Boss")
    body = payload("entra_patch_enterprise", manager_id=boss.user_id)
    response = scim.patch(f"Users/{employee.pk}", body)
    assert response.status_code == 200, response.content
    profile = User.objects.get(pk=employee.pk).profile
    assert profile.title == "Support Engineer"
    assert profile.department == Department.objects.get(name="Customer Care")
    assert profile.manager == boss
    extension = response.json()[ENTERPRISE]
    assert extension["department"] == "Customer Care"
    assert extension["manager"]["value"] == str(boss.user_id)


def test_a_manager_that_does_not_exist_is_a_400_and_changes_nothing(scim, employee):
    body = payload("entra_patch_enterprise", manager_id="999999")
    response = scim.patch(f"Users/{employee.pk}", body)
    assert response.status_code == 400
    assert "manager" in response.json()["detail"]
    profile = User.objects.get(pk=employee.pk).profile
    assert profile.title == "Backend Engineer"  # the title op before it was rolled back too
    assert not Department.objects.filter(name="Customer Care").exists()


def test_nobody_is_their_own_manager(scim, employee):
    body = payload("entra_patch_enterprise", manager_id=employee.pk)
    response = scim.patch(f"Users/{employee.pk}", body)
    assert response.status_code == 400
    assert User.objects.get(pk=employee.pk).profile.manager is None


def test_okta_replaces_a_person_with_put(scim):
    created = scim.post("Users", payload("okta_create_user")).json()
    response = scim.put(f"Users/{created['id']}", payload("okta_put_user", user_id=created["id"]))
    assert response.status_code == 200, response.content
    user = User.objects.get(pk=created["id"])
    assert user.first_name == "Another"
    assert user.profile.display_name == "Another User"


def test_put_leaves_department_and_manager_alone_when_the_extension_is_not_sent(scim, employee):
    department = employee.profile.department
    body = payload("okta_put_user", user_id=employee.pk)
    body["userName"] = employee.username
    assert scim.put(f"Users/{employee.pk}", body).status_code == 200
    assert User.objects.get(pk=employee.pk).profile.department == department


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"Operations": [{"op": "Replace", "path": "active", "value": "maybe"}]}, "active"),
        ({"Operations": [{"op": "explode", "path": "active", "value": True}]}, "operation"),
        ({"Operations": []}, "Operations"),
        ({"Operations": [{"op": "replace", "value": "x"}]}, "object"),
        ({"Operations": [{"op": "replace", "path": "title", "value": "x" * 500}]}, "title"),
        ({"Operations": [{"op": "replace", "path": "title", "value": "a\x00b"}]}, "NUL"),
        ({"Operations": [{"op": "remove", "path": "userName"}]}, "userName"),
        ([1, 2], "PatchOp"),
    ],
)
def test_bad_patches_are_400s_naming_the_problem(scim, employee, body, detail):
    response = scim.patch(f"Users/{employee.pk}", body)
    assert response.status_code == 400, response.content
    assert detail.lower() in response.json()["detail"].lower()
    employee.refresh_from_db()
    assert employee.is_active and employee.profile.title == "Backend Engineer"


def test_malformed_json_is_a_400(scim, employee):
    response = scim.client.patch(
        f"/scim/v2/Users/{employee.pk}", data="{nope", content_type="application/scim+json"
    )
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidSyntax"


@pytest.mark.parametrize("user_id", ["999999", "abc", "1 OR 1=1"])
def test_an_unknown_user_is_a_404(scim, user_id):
    assert scim.get(f"Users/{user_id}").status_code == 404
    assert scim.patch(f"Users/{user_id}", payload("okta_patch_deactivate")).status_code == 404


def test_markup_in_names_is_kept_as_text(scim):
    body = payload("okta_create_user")
    body["displayName"] = '<img src=x onerror="alert(1)">'
    created = scim.post("Users", body).json()
    assert created["displayName"] == '<img src=x onerror="alert(1)">'
    user = User.objects.get(pk=created["id"])
    from ..conftest import client_for

    page = client_for(user).get(f"/people/{user.username}/")
    assert b"<img src=x onerror" not in page.content
