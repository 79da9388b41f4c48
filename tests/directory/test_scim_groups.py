"""Departments as SCIM Groups, with the bodies Entra ID and Okta send."""

import pytest
from django.contrib.auth import get_user_model

from directory.models import ExternalGroup
from groups.models import Membership
from people.models import Department

from .conftest import payload

pytestmark = pytest.mark.django_db
User = get_user_model()


def _in_department_group(user, department) -> bool:
    return Membership.objects.filter(
        user=user, group__department=department, source=Membership.Source.DEPARTMENT
    ).exists()


def test_entra_creates_a_department(scim):
    response = scim.post("Groups", payload("entra_create_group"))
    assert response.status_code == 201, response.content
    department = Department.objects.get(name="displayName")
    assert response.json()["id"] == str(department.pk)
    assert response.json()["members"] == []
    assert ExternalGroup.objects.get(department=department).external_id == (
        "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159"
    )


def test_a_department_that_exists_is_a_409_and_found_by_filter(scim, engineering):
    body = payload("okta_create_group")
    body["displayName"] = "engineering"
    response = scim.post("Groups", body)
    assert response.status_code == 409
    found = scim.get('Groups?filter=displayName eq "Engineering"').json()
    assert [g["id"] for g in found["Resources"]] == [str(engineering.pk)]


def test_entra_adds_and_removes_a_member(scim, employee, finance):
    department = Department.objects.get(
        pk=scim.post("Groups", payload("entra_create_group")).json()["id"]
    )
    added = scim.patch(
        f"Groups/{department.pk}", payload("entra_group_add_member", member_id=employee.pk)
    )
    assert added.status_code == 204, added.content
    profile = User.objects.get(pk=employee.pk).profile
    assert profile.department == department
    assert _in_department_group(employee, department)  # the department's group follows
    group = scim.get(f"Groups/{department.pk}").json()
    assert group["members"] == [{"value": str(employee.pk), "display": "Ana Garcia"}]

    removed = scim.patch(
        f"Groups/{department.pk}", payload("entra_group_remove_member", member_id=employee.pk)
    )
    assert removed.status_code == 204
    assert User.objects.get(pk=employee.pk).profile.department is None
    assert not _in_department_group(employee, department)


def test_okta_renames_adds_and_removes_with_a_path_filter(scim, employee):
    created = scim.post("Groups", payload("okta_create_group")).json()
    group_id = created["id"]
    renamed = scim.patch(f"Groups/{group_id}", payload("okta_group_rename", group_id=group_id))
    assert renamed.status_code == 204, renamed.content
    assert Department.objects.get(pk=group_id).name == "Test SCIMv2 renamed"

    scim.patch(f"Groups/{group_id}", payload("okta_group_add_members", member_id=employee.pk))
    assert User.objects.get(pk=employee.pk).profile.department_id == int(group_id)
    scim.patch(f"Groups/{group_id}", payload("okta_group_remove_member", member_id=employee.pk))
    assert User.objects.get(pk=employee.pk).profile.department is None


def test_removing_a_member_of_another_department_leaves_them_there(scim, employee, engineering):
    other = scim.post("Groups", payload("okta_create_group")).json()["id"]
    scim.patch(f"Groups/{other}", payload("okta_group_remove_member", member_id=employee.pk))
    assert User.objects.get(pk=employee.pk).profile.department == engineering


def test_an_unknown_member_is_a_400_and_adds_nobody(scim, employee):
    group_id = scim.post("Groups", payload("okta_create_group")).json()["id"]
    body = payload("okta_group_add_members", member_id=employee.pk)
    body["Operations"][0]["value"].append({"value": "424242"})
    response = scim.patch(f"Groups/{group_id}", body)
    assert response.status_code == 400
    assert User.objects.get(pk=employee.pk).profile.department.name == "Engineering"


def test_members_can_be_left_out_of_a_listing(
    scim, employee, engineering, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        body = scim.get("Groups?excludedAttributes=members").json()
    assert body["totalResults"] == Department.objects.count()
    assert all("members" not in g for g in body["Resources"])


def test_group_listing_queries_do_not_grow_with_departments(
    scim, employee, engineering, finance, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):  # token, count, page, members (+ last_used_at)
        body = scim.get("Groups").json()
    assert {m["value"] for g in body["Resources"] for m in g["members"]} >= {str(employee.pk)}


def test_deleting_a_group_keeps_its_people(scim, employee, engineering):
    response = scim.delete(f"Groups/{engineering.pk}")
    assert response.status_code == 204
    assert not Department.objects.filter(pk=engineering.pk).exists()
    user = User.objects.get(pk=employee.pk)
    assert user.is_active and user.profile.department is None
