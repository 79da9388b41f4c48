"""The groups API: directory, detail, joining, members, join requests, reports, audit log.
Refusals are 403 with nothing changed (checked by reloading from the database)."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from groups.models import AuditEntry, Group, JoinRequest, Membership, Report

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def slugs(response) -> list[str]:
    return [g["slug"] for g in response.json()["results"]]


# --- Directory and detail ------------------------------------------------------------------


def test_directory_filters_and_hides_secret_groups(world):
    api = api_for(world.outsider)
    assert slugs(api.get("/api/v1/groups/")) == ["all-company", "private-group", "public-group"]
    assert slugs(api.get("/api/v1/groups/", {"q": "priv"})) == ["private-group"]
    assert slugs(api.get("/api/v1/groups/", {"kind": "company"})) == ["all-company"]
    assert "secret-group" in slugs(api_for(world.muted).get("/api/v1/groups/"))
    item = api.get("/api/v1/groups/", {"q": "public"}).json()["results"][0]
    assert item == {
        "slug": "public-group",
        "name": "Public group",
        "description": "The public group.",
        "kind": "interest",
        "privacy": "public",
        "member_count": 4,
        "is_member": False,
        "url": "http://testserver/groups/public-group/",
    }


def test_directory_pages_by_name(world):
    api = api_for(world.admin)
    first = api.get("/api/v1/groups/", {"page_size": 2}).json()
    assert [g["slug"] for g in first["results"]] == ["all-company", "private-group"]
    second = api.get(first["next"]).json()
    assert [g["slug"] for g in second["results"]] == ["public-group", "secret-group"]
    assert second["next"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "club"}, "kind"),
        ({"cursor": "garbage!"}, "cursor"),
        ({"cursor": "WzEsMiwzXQ"}, "cursor"),
        ({"page_size": "0"}, "page_size"),
    ],
)
def test_bad_directory_parameters_are_400_naming_the_field(world, params, field):
    response = api_for(world.member).get("/api/v1/groups/", params)
    assert response.status_code == 400
    assert field in response.json()


def test_private_group_detail_for_a_non_member_is_name_and_description(world):
    body = api_for(world.outsider).get("/api/v1/groups/private-group/").json()
    assert body["name"] == "Private group" and body["description"] == "The private group."
    assert (body["can_read"], body["membership"], body["pending_request"]) == (
        False,
        None,
        False,
    )
    response = api_for(world.outsider).get("/api/v1/groups/private-group/members/")
    assert response.status_code == 403
    assert "private" in response.json()["detail"]


def test_detail_shows_my_membership(world):
    body = api_for(world.leader).get("/api/v1/groups/secret-group/").json()
    assert body["membership"]["role"] == "leader"
    assert (body["can_read"], body["can_moderate"]) == (True, True)
    muted = api_for(world.muted).get("/api/v1/groups/secret-group/").json()["membership"]
    assert muted["muted_until"] is not None


def test_outsider_cannot_see_secret_group(world):
    api = api_for(world.outsider)
    for path in ("", "members/", "posts/", "join/", "reports/", "audit-log/"):
        assert api.get(f"/api/v1/groups/secret-group/{path}").status_code in (404, 405)
    assert api.post("/api/v1/groups/secret-group/join/").status_code == 404
    assert not Membership.objects.filter(group=world.groups["secret"], user=world.outsider)


# --- Creating and editing ------------------------------------------------------------------


def test_create_group_makes_me_its_owner(world):
    response = api_for(world.outsider).post(
        "/api/v1/groups/",
        {"name": "  Chess   club ", "description": "Openings", "privacy": "private"},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["slug"], body["name"], body["privacy"]) == ("chess-club", "Chess club", "private")
    assert body["membership"]["role"] == "owner"
    group = Group.objects.get(slug="chess-club")
    assert group.kind == "interest" and group.created_by == world.outsider


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 50_000}, "name"),
        ({"name": "a\x00b"}, "name"),
        ({"name": ["a"]}, "name"),
        ({"name": "Ok", "privacy": "hidden"}, "privacy"),
        ({"name": "Ok", "description": "d" * 50_000}, "description"),
        ({"name": "Ok", "kind": "company"}, "kind"),
        ({"name": "Ok", "slug": "all-company"}, "slug"),
        ("just a string", "non_field_errors"),
    ],
)
def test_bad_group_is_400_naming_the_field(world, body, field):
    before = Group.objects.count()
    response = api_for(world.member).post("/api/v1/groups/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Group.objects.count() == before


def test_leader_edits_the_group(world):
    response = api_for(world.leader).patch(
        "/api/v1/groups/public-group/", {"description": "New words"}
    )
    assert response.status_code == 200
    group = Group.objects.get(slug="public-group")
    assert (group.name, group.description) == ("Public group", "New words")
    assert AuditEntry.objects.filter(group=group, action="edit_group").exists()


@pytest.mark.parametrize("role", ["member", "muted", "former", "outsider"])
def test_non_leaders_cannot_edit_the_group(world, role):
    response = api_for(world.users[role]).patch("/api/v1/groups/public-group/", {"name": "Mine"})
    assert response.status_code == 403
    assert Group.objects.get(slug="public-group").name == "Public group"


# --- Joining and leaving -------------------------------------------------------------------


def test_join_public_group_then_again_then_leave(world):
    api = api_for(world.outsider)
    first = api.post("/api/v1/groups/public-group/join/")
    assert (first.status_code, first.json()) == (
        201,
        {"status": "member", "role": "member", "request_id": None},
    )
    assert api.post("/api/v1/groups/public-group/join/").status_code == 200
    assert api.post("/api/v1/groups/public-group/leave/").status_code == 204
    assert not Membership.objects.filter(group=world.groups["public"], user=world.outsider)


def test_join_private_group_asks_and_can_withdraw(world):
    api = api_for(world.outsider)
    response = api.post("/api/v1/groups/private-group/join/", {"message": "Please"})
    assert response.status_code == 202
    assert response.json()["status"] == "pending"
    request = JoinRequest.objects.get(pk=response.json()["request_id"])
    assert (request.user, request.message) == (world.outsider, "Please")
    assert api.get("/api/v1/groups/private-group/").json()["pending_request"] is True
    assert api.delete("/api/v1/groups/private-group/join/").status_code == 204
    assert api.get("/api/v1/groups/private-group/").json()["pending_request"] is False
    assert not Membership.objects.filter(group=world.groups["private"], user=world.outsider)


def test_last_owner_cannot_leave(world):
    response = api_for(world.owner).post("/api/v1/groups/public-group/leave/")
    assert response.status_code == 400
    assert Membership.objects.filter(group=world.groups["public"], user=world.owner).exists()


# --- Members -------------------------------------------------------------------------------


def test_members_list_shows_mutes_to_leaders_only(world):
    def muted_until(user):
        results = api_for(user).get("/api/v1/groups/public-group/members/").json()["results"]
        return {m["username"]: m["muted_until"] for m in results}["muted"]

    assert muted_until(world.leader) is not None
    assert muted_until(world.member) is None


def test_leader_invites_into_secret_group(world):
    response = api_for(world.leader).post(
        "/api/v1/groups/secret-group/members/", {"username": "outsider"}
    )
    assert response.status_code == 201
    assert response.json()["username"] == "outsider"
    assert Membership.objects.filter(group=world.groups["secret"], user=world.outsider).exists()


@pytest.mark.parametrize("role", ["member", "muted"])
def test_members_cannot_invite(world, role):
    response = api_for(world.users[role]).post(
        "/api/v1/groups/secret-group/members/", {"username": "outsider"}
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(group=world.groups["secret"], user=world.outsider)


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "username"), ({"username": "ghost"}, "username"), ({"user": "outsider"}, "user")],
)
def test_bad_invite_is_400_naming_the_field(world, body, field):
    response = api_for(world.leader).post("/api/v1/groups/secret-group/members/", body)
    assert response.status_code == 400
    assert field in response.json()


def test_owner_changes_roles_leader_cannot(world):
    url = "/api/v1/groups/public-group/members/member/"
    assert api_for(world.leader).patch(url, {"role": "leader"}).status_code == 403
    assert Membership.objects.get(group=world.groups["public"], user=world.member).role == "member"
    response = api_for(world.owner).patch(url, {"role": "leader"})
    assert (response.status_code, response.json()["role"]) == (200, "leader")


def test_leader_mutes_and_unmutes(world):
    url = "/api/v1/groups/public-group/members/member/"
    until = timezone.now() + dt.timedelta(days=1)
    response = api_for(world.leader).patch(
        url, {"mute": {"until": until.isoformat(), "reason": "Cool down"}}
    )
    assert response.status_code == 200, response.json()
    membership = Membership.objects.get(group=world.groups["public"], user=world.member)
    assert membership.is_muted()
    assert AuditEntry.objects.filter(action="mute", reason="Cool down").exists()
    api_for(world.leader).patch(url, {"mute": {"until": None}})
    membership.refresh_from_db()
    assert membership.muted_until is None


def test_role_and_mute_together_are_all_or_nothing(world):
    """A leader may mute but not change roles: neither happens."""
    response = api_for(world.leader).patch(
        "/api/v1/groups/public-group/members/member/",
        {
            "role": "owner",
            "mute": {"until": (timezone.now() + dt.timedelta(days=1)).isoformat()},
        },
    )
    assert response.status_code == 403
    membership = Membership.objects.get(group=world.groups["public"], user=world.member)
    assert (membership.role, membership.muted_until) == ("member", None)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "non_field_errors"),
        ({"role": "king"}, "role"),
        ({"mute": {"until": "tomorrow"}}, "mute"),
        ({"mute": {}}, "mute"),
        ({"mute": "yes"}, "mute"),
        ({"mute": {"until": "2000-01-01T00:00:00Z"}}, "until"),
        ({"muted_until": None}, "muted_until"),
    ],
)
def test_bad_member_change_is_400_naming_the_field(world, body, field):
    response = api_for(world.owner).patch(
        "/api/v1/groups/public-group/members/member/", body, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    membership = Membership.objects.get(group=world.groups["public"], user=world.member)
    assert (membership.role, membership.muted_until) == ("member", None)


def test_leader_removes_a_member_with_a_reason(world):
    response = api_for(world.leader).delete(
        "/api/v1/groups/public-group/members/member/", {"reason": "Left the team"}
    )
    assert response.status_code == 204
    assert not Membership.objects.filter(group=world.groups["public"], user=world.member)
    entry = AuditEntry.objects.get(action="remove_member")
    assert (entry.target_user, entry.reason) == (world.member, "Left the team")
    gone = api_for(world.leader).delete("/api/v1/groups/public-group/members/member/")
    assert gone.status_code == 404


@pytest.mark.parametrize("role", ["member", "muted", "outsider"])
def test_non_leaders_cannot_remove_members(world, role):
    response = api_for(world.users[role]).delete("/api/v1/groups/public-group/members/leader/")
    assert response.status_code == 403
    assert Membership.objects.filter(group=world.groups["public"], user=world.leader).exists()


# --- Join requests -------------------------------------------------------------------------


@pytest.fixture
def join_request(world):
    api_for(world.outsider).post("/api/v1/groups/private-group/join/")
    return JoinRequest.objects.get(user=world.outsider)


def test_leaders_list_and_approve_requests(world, join_request):
    listed = api_for(world.leader).get("/api/v1/groups/private-group/join-requests/").json()
    assert [r["user"]["username"] for r in listed["results"]] == ["outsider"]
    url = f"/api/v1/groups/private-group/join-requests/{join_request.pk}/approve/"
    response = api_for(world.admin).post(url, {"reason": "Welcome"})
    assert (response.status_code, response.json()["status"]) == (200, "approved")
    assert Membership.objects.filter(group=world.groups["private"], user=world.outsider).exists()
    again = api_for(world.leader).post(url)
    assert (again.status_code, list(again.json())) == (400, ["request"])


def test_leaders_deny_requests(world, join_request):
    url = f"/api/v1/groups/private-group/join-requests/{join_request.pk}/deny/"
    assert api_for(world.owner).post(url).json()["status"] == "denied"
    assert not Membership.objects.filter(group=world.groups["private"], user=world.outsider)


@pytest.mark.parametrize("role", ["member", "muted", "former", "outsider"])
def test_non_leaders_cannot_see_or_decide_requests(world, join_request, role):
    api = api_for(world.users[role])
    assert api.get("/api/v1/groups/private-group/join-requests/").status_code == 403
    for verb in ("approve", "deny"):
        url = f"/api/v1/groups/private-group/join-requests/{join_request.pk}/{verb}/"
        assert api.post(url).status_code == 403
    join_request.refresh_from_db()
    assert join_request.status == "pending"


def test_unknown_join_request_is_404_for_leaders(world):
    url = "/api/v1/groups/private-group/join-requests/999999/approve/"
    assert api_for(world.leader).post(url).status_code == 404


# --- Reports -------------------------------------------------------------------------------


def test_reader_reports_and_leader_dismisses(world):
    post = world.posts["public"]
    response = api_for(world.outsider).post("/api/v1/reports/", {"post": post.pk, "reason": "Spam"})
    assert response.status_code == 201
    report_id = response.json()["id"]
    assert response.json()["group"] == "public-group"
    queue = api_for(world.leader).get("/api/v1/groups/public-group/reports/").json()["results"]
    assert [r["id"] for r in queue] == [report_id]
    dismissed = api_for(world.leader).post(f"/api/v1/reports/{report_id}/dismiss/")
    assert dismissed.json()["status"] == "dismissed"
    assert Report.objects.get(pk=report_id).status == "dismissed"
    assert AuditEntry.objects.filter(action="dismiss_report").exists()


def test_report_a_comment(world):
    comment = world.comments["secret"]
    response = api_for(world.member).post(
        "/api/v1/reports/", {"comment": comment.pk, "reason": "Rude"}
    )
    assert (response.status_code, response.json()["comment"]) == (201, comment.pk)


@pytest.mark.parametrize("role", ["member", "muted", "former", "outsider"])
def test_non_leaders_cannot_see_or_dismiss_reports(world, role):
    report = Report.objects.create(
        group=world.groups["public"], reporter=world.member, post=world.posts["public"], reason="x"
    )
    api = api_for(world.users[role])
    assert api.get("/api/v1/groups/public-group/reports/").status_code == 403
    assert api.post(f"/api/v1/reports/{report.pk}/dismiss/").status_code == 403
    report.refresh_from_db()
    assert report.status == "open"


def test_outsider_cannot_dismiss_a_report_they_cannot_see(world):
    report = Report.objects.create(
        group=world.groups["secret"], reporter=world.member, post=world.posts["secret"], reason="x"
    )
    assert api_for(world.outsider).post(f"/api/v1/reports/{report.pk}/dismiss/").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": "Spam"}, "post"),
        ({"post": 1, "comment": 1, "reason": "Spam"}, "post"),
        ({"post": "first", "reason": "Spam"}, "post"),
        ({"post": "{private}"}, "reason"),
        ({"post": "{private}", "reason": ""}, "reason"),
        ({"post": "{private}", "reason": "x" * 50_000}, "reason"),
        ({"post": "{private}", "reason": "Spam"}, "post"),  # cannot see it: like missing
        ({"comment": 999_999, "reason": "Spam"}, "comment"),
        ({"post": "{public}", "reason": "Spam", "status": "resolved"}, "status"),
    ],
)
def test_bad_report_is_400_naming_the_field(world, body, field):
    body = {
        k: int(v.format(private=world.posts["private"].pk, public=world.posts["public"].pk))
        if isinstance(v, str) and v.startswith("{")
        else v
        for k, v in body.items()
    }
    response = api_for(world.outsider).post("/api/v1/reports/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Report.objects.exists()


# --- Audit log -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "leader", "admin"])
def test_leaders_and_admins_read_the_audit_log(world, role):
    api = api_for(world.users[role])
    entries = api.get("/api/v1/groups/secret-group/audit-log/").json()["results"]
    assert [e["action"] for e in entries] == [
        "mute",
        "change_role",
        "invite",
        "invite",
        "invite",
        "invite",
    ]
    mutes = api.get("/api/v1/groups/secret-group/audit-log/", {"action": "mute"}).json()
    assert [(e["actor"], e["target_user"]) for e in mutes["results"]] == [("owner", "muted")]
    by_leader = api.get("/api/v1/groups/secret-group/audit-log/", {"actor": "leader"}).json()
    assert by_leader["results"] == []


@pytest.mark.parametrize("role", ["member", "muted", "former", "outsider"])
def test_non_leaders_cannot_read_the_audit_log(world, role):
    response = api_for(world.users[role]).get("/api/v1/groups/public-group/audit-log/")
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("params", "field"),
    [({"action": "explode"}, "action"), ({"cursor": "garbage!"}, "cursor")],
)
def test_bad_audit_log_parameters_are_400(world, params, field):
    response = api_for(world.owner).get("/api/v1/groups/public-group/audit-log/", params)
    assert (response.status_code, field in response.json()) == (400, True)
