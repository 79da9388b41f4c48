"""A department's group follows the department for its own people only. Someone from
another department who joined it (or wrote in it, or was added) leaves it and is removed
like from any group; their own department's membership goes only with the department."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from core.errors import ApplicationError
from feeds import services as feeds
from groups import services
from groups.models import Group, Membership
from tests.conftest import client_for
from tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def eng_group(employee, engineering):
    """Engineering's group, led by Ana (an engineer)."""
    group = Group.objects.get(department=engineering)
    Membership.objects.filter(group=group, user=employee).update(role="leader")
    return group


@pytest.fixture
def visitor(colleague, eng_group):
    """Ben, from finance, who wrote in engineering's group (writing joins a public group)."""
    feeds.create_post(actor=colleague, group=eng_group, body="Can finance read the API docs?")
    return colleague


def membership(user, group):
    return Membership.objects.filter(user=user, group=group).first()


def test_the_department_gives_its_own_people_their_membership(employee, eng_group, colleague):
    assert membership(employee, eng_group).source == Membership.Source.DEPARTMENT
    company = Group.objects.get(kind=Group.Kind.COMPANY)
    assert membership(colleague, company).source == Membership.Source.COMPANY


def test_writing_in_another_departments_group_joins_it_by_choice(visitor, eng_group):
    assert membership(visitor, eng_group).source == Membership.Source.JOINED


def test_someone_who_wrote_in_another_departments_group_can_leave_it(visitor, eng_group):
    services.leave_group(actor=visitor, group=eng_group)
    assert membership(visitor, eng_group) is None


def test_one_cannot_leave_ones_own_department_group(employee, eng_group):
    with pytest.raises(ApplicationError) as info:
        services.leave_group(actor=employee, group=eng_group)
    assert info.value.status == 403
    assert membership(employee, eng_group) is not None


def test_a_leader_removes_someone_from_another_department(employee, visitor, eng_group):
    services.remove_member(actor=employee, group=eng_group, user=visitor, reason="Wrong group")
    assert membership(visitor, eng_group) is None


def test_a_leader_cannot_remove_someone_whose_department_it_is(employee, eng_group, engineering):
    cara = make_person("cara.diaz", department=engineering).user
    with pytest.raises(ApplicationError) as info:
        services.remove_member(actor=employee, group=eng_group, user=cara)
    assert (info.value.status, info.value.field) == (400, "user")
    assert "follow the department" in info.value.message
    assert membership(cara, eng_group) is not None


def test_someone_added_to_another_departments_group_was_invited(employee, eng_group):
    dana = make_person("dana.lee").user
    services.invite_member(actor=employee, group=eng_group, user=dana)
    assert membership(dana, eng_group).source == Membership.Source.INVITED
    services.remove_member(actor=employee, group=eng_group, user=dana)
    assert membership(dana, eng_group) is None


# --- The department changes --------------------------------------------------------------


def test_moving_department_keeps_the_groups_one_joined(employee, colleague, eng_group, finance):
    """Ana (engineering) wrote in finance's group, then moves to marketing: engineering's
    group goes with the department, finance's group stays hers."""
    fin_group = Group.objects.get(department=finance)
    feeds.create_post(actor=employee, group=fin_group, body="Budget question")
    marketing = finance.__class__.objects.create(name="Marketing", slug="marketing")
    profile = employee.profile
    profile.department = marketing
    profile.save()
    assert membership(employee, eng_group) is None
    assert membership(employee, fin_group).source == Membership.Source.JOINED
    assert membership(employee, Group.objects.get(department=marketing)).source == "department"


def test_moving_into_a_department_whose_group_one_joined_makes_it_the_departments(
    visitor, eng_group, engineering, finance
):
    profile = visitor.profile
    profile.department = engineering
    profile.save()
    assert membership(visitor, eng_group).source == Membership.Source.DEPARTMENT
    with pytest.raises(ApplicationError):
        services.leave_group(actor=visitor, group=eng_group)
    # ...and it goes with the department when they move on.
    profile.department = finance
    profile.save()
    assert membership(visitor, eng_group) is None


def test_the_bulk_sync_gives_the_department_membership_to_those_who_had_joined(
    visitor, eng_group, engineering
):
    from people.models import Profile

    Profile.objects.filter(user=visitor).update(department=engineering)  # a bulk import
    services.sync_all_department_memberships()
    assert membership(visitor, eng_group).source == Membership.Source.DEPARTMENT


def test_the_migration_tells_existing_memberships_apart(employee, visitor, eng_group, finance):
    dana = make_person("dana.lee").user
    services.invite_member(actor=employee, group=eng_group, user=dana)
    Membership.objects.update(source="joined")  # as the rows were before the field
    migration = importlib.import_module("groups.migrations.0002_membership_source")
    migration.backfill(apps, SimpleNamespace(connection=connection))  # all it reads of one
    assert membership(employee, eng_group).source == "department"
    assert membership(visitor, eng_group).source == "joined"
    assert membership(dana, eng_group).source == "invited"
    assert membership(visitor, Group.objects.get(department=finance)).source == "department"
    assert membership(visitor, Group.objects.get(kind="company")).source == "company"


# --- The pages and the API ---------------------------------------------------------------


def test_the_group_page_offers_leave_to_a_visitor_not_to_its_own_people(
    employee, visitor, eng_group
):
    leave = f'action="/groups/{eng_group.slug}/leave/"'
    assert leave in client_for(visitor).get(f"/groups/{eng_group.slug}/").content.decode()
    assert leave not in client_for(employee).get(f"/groups/{eng_group.slug}/").content.decode()


def test_leaving_through_the_page_and_the_api(visitor, eng_group):
    response = client_for(visitor).post(f"/groups/{eng_group.slug}/leave/")
    assert response.status_code == 302
    assert membership(visitor, eng_group) is None
    services.join_group(actor=visitor, group=eng_group)
    response = client_for(visitor).post(f"/api/v1/groups/{eng_group.slug}/leave/")
    assert response.status_code == 204
    assert membership(visitor, eng_group) is None


def test_own_department_leave_is_refused_on_page_and_api(employee, eng_group):
    assert client_for(employee).post(f"/groups/{eng_group.slug}/leave/").status_code == 403
    response = client_for(employee).post(f"/api/v1/groups/{eng_group.slug}/leave/")
    assert response.status_code == 403
    assert membership(employee, eng_group) is not None


def test_the_members_tab_offers_remove_for_visitors_only(employee, visitor, eng_group, engineering):
    cara = make_person("cara.diaz", department=engineering).user
    page = client_for(employee).get(f"/groups/{eng_group.slug}/members/").content.decode()
    assert f"/groups/{eng_group.slug}/members/{visitor.username}/remove/" in page
    assert f"/groups/{eng_group.slug}/members/{cara.username}/remove/" not in page


def test_removing_through_the_page_and_the_api(employee, visitor, eng_group, engineering):
    client = client_for(employee)
    response = client.post(f"/groups/{eng_group.slug}/members/{visitor.username}/remove/")
    assert response.status_code == 302
    assert membership(visitor, eng_group) is None
    services.join_group(actor=visitor, group=eng_group)
    response = client.delete(
        f"/api/v1/groups/{eng_group.slug}/members/{visitor.username}/",
        {"reason": "Wrong group"},
        content_type="application/json",
    )
    assert response.status_code == 204
    assert membership(visitor, eng_group) is None
    cara = make_person("cara.diaz", department=engineering).user
    response = client.delete(
        f"/api/v1/groups/{eng_group.slug}/members/{cara.username}/", content_type="application/json"
    )
    assert response.status_code == 400
    assert "user" in response.json()


def test_the_api_says_how_each_membership_came(employee, visitor, eng_group):
    detail = client_for(visitor).get(f"/api/v1/groups/{eng_group.slug}/").json()
    assert detail["membership"]["source"] == "joined"
    members = client_for(employee).get(f"/api/v1/groups/{eng_group.slug}/members/").json()
    sources = {m["username"]: m["source"] for m in members["results"]}
    assert sources == {employee.username: "department", visitor.username: "joined"}
