"""The group pages, for every role of the world x every privacy: who sees the group, its
posts, its members and its moderation tab, and what the leaders' controls do."""

import pytest

from groups.models import AuditEntry, Group, JoinRequest, Membership, Report
from tests.conftest import client_for
from tests.feeds.world import KNOWERS, MODERATORS, PRIVACIES, READERS

pytestmark = pytest.mark.django_db

ROLES = ("owner", "leader", "member", "muted", "former", "outsider", "admin")
CASES = [(role, privacy) for role in ROLES for privacy in PRIVACIES]


def _get(world, role, path, **extra):
    return client_for(world.users[role]).get(path, **extra)


# --- Who sees what ----------------------------------------------------------------------


@pytest.mark.parametrize(("role", "privacy"), CASES)
def test_group_page_shows_posts_only_to_readers(world, role, privacy):
    group = world.groups[privacy]
    response = _get(world, role, f"/groups/{group.slug}/")
    if role not in KNOWERS[privacy]:
        assert response.status_code == 404
        assert group.name.encode() not in response.content
        return
    assert response.status_code == 200
    body = response.content.decode()
    assert group.name in body
    readable = role in READERS[privacy]
    assert (f"{privacy}word" in body) == readable
    assert (f"{privacy}comment" in body) == readable  # latest comments on the cards
    assert ('aria-label="Reactions"' in body) == readable
    if not readable:  # a private group: name, description and "Ask to join" only
        assert "The private group." in body
        assert "Ask to join" in body
        assert "/people/member/" not in body


@pytest.mark.parametrize(("role", "privacy"), CASES)
def test_member_list_only_for_readers(world, role, privacy):
    group = world.groups[privacy]
    response = _get(world, role, f"/groups/{group.slug}/members/")
    if role not in KNOWERS[privacy]:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    body = response.content.decode()
    readable = role in READERS[privacy]
    for name in ("owner", "leader", "member", "muted"):
        assert (f'href="/people/{name}/"' in body) == readable, name
    assert 'href="/people/former/"' not in body  # left: not a member any more
    assert ("Muted until" in body) == readable


@pytest.mark.parametrize(("role", "privacy"), CASES)
def test_moderation_tab_only_for_leaders(world, role, privacy):
    group = world.groups[privacy]
    response = _get(world, role, f"/groups/{group.slug}/moderation/")
    if role not in KNOWERS[privacy]:
        assert response.status_code == 404
    elif role in MODERATORS:
        assert response.status_code == 200
        assert b"Audit log" in response.content
        assert b"Muted a member" in response.content
    else:
        assert response.status_code == 403
        assert b"Audit log" not in response.content


@pytest.mark.parametrize(("role", "privacy"), CASES)
def test_about_tab(world, role, privacy):
    group = world.groups[privacy]
    response = _get(world, role, f"/groups/{group.slug}/about/")
    if role not in KNOWERS[privacy]:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert (b"Leaders" in response.content) == (role in READERS[privacy])


@pytest.mark.parametrize(("role", "privacy"), CASES)
def test_manage_tab_link_only_for_leaders(world, role, privacy):
    if role not in READERS[privacy]:
        return
    group = world.groups[privacy]
    body = _get(world, role, f"/groups/{group.slug}/").content.decode()
    assert (f"/groups/{group.slug}/moderation/" in body) == (role in MODERATORS)


@pytest.mark.parametrize("role", ROLES)
def test_directory_lists_secret_groups_to_members_only(world, role):
    body = _get(world, role, "/groups/").content.decode()
    assert "Public group" in body
    assert "Private group" in body
    assert ("Secret group" in body) == (role in KNOWERS["secret"])


def test_directory_search_and_kind_filter(world):
    body = _get(world, "member", "/groups/?q=private").content.decode()
    assert "Private group" in body and "Public group" not in body
    body = _get(world, "member", "/groups/?kind=department").content.decode()
    assert "Private group" not in body
    assert _get(world, "member", "/groups/?kind=nonsense").status_code == 400
    assert _get(world, "member", "/groups/?cursor=nonsense").status_code == 400


def test_group_feed_invalid_cursor_is_400(world):
    group = world.groups["public"]
    assert _get(world, "member", f"/groups/{group.slug}/?cursor=%%%").status_code == 400
    assert _get(world, "member", f"/groups/{group.slug}/?cursor=WyJ4Il0").status_code == 400


def test_muted_member_sees_why_they_cannot_post(world):
    body = _get(world, "muted", f"/groups/{world.groups['public'].slug}/").content.decode()
    assert "You are muted in this group" in body
    assert 'name="body"' not in body.split('id="compose"')[1].split("</form>")[0]


def test_announcement_offered_to_leaders_only(world):
    slug = world.groups["public"].slug
    assert b'value="announcement"' in _get(world, "leader", f"/groups/{slug}/").content
    assert b'value="announcement"' not in _get(world, "member", f"/groups/{slug}/").content


# --- Creating, joining and leaving ----------------------------------------------------


def test_create_an_interest_group(world):
    client = client_for(world.outsider)
    response = client.post(
        "/groups/", {"name": "Climbing", "description": "Walls.", "privacy": "private"}
    )
    group = Group.objects.get(name="Climbing")
    assert response.status_code == 302 and response.url == f"/groups/{group.slug}/"
    assert group.privacy == "private" and group.kind == "interest"
    assert Membership.objects.get(group=group, user=world.outsider).role == "owner"


def test_create_group_without_a_name_is_a_form_error(world):
    response = client_for(world.outsider).post("/groups/", {"name": "  ", "privacy": "public"})
    assert response.status_code == 400
    assert b"Give the group a name." in response.content
    assert not Group.objects.filter(created_by=world.outsider).exists()


def test_outsider_joins_a_public_group_at_once(world):
    group = world.groups["public"]
    response = client_for(world.outsider).post(f"/groups/{group.slug}/join/")
    assert response.status_code == 302
    assert Membership.objects.filter(group=group, user=world.outsider).exists()


def test_outsider_asks_to_join_a_private_group_and_cancels(world):
    group = world.groups["private"]
    client = client_for(world.outsider)
    client.post(f"/groups/{group.slug}/join/", {"message": "Let me in please"})
    request = JoinRequest.objects.get(group=group, user=world.outsider)
    assert request.status == "pending" and request.message == "Let me in please"
    assert not Membership.objects.filter(group=group, user=world.outsider).exists()
    body = client.get(f"/groups/{group.slug}/").content.decode()
    assert "Request pending" in body and "privateword" not in body
    client.post(f"/groups/{group.slug}/join/cancel/")
    request.refresh_from_db()
    assert request.status == "cancelled"


def test_outsider_cannot_join_a_secret_group(world):
    group = world.groups["secret"]
    response = client_for(world.outsider).post(f"/groups/{group.slug}/join/")
    assert response.status_code == 404
    assert not Membership.objects.filter(group=group, user=world.outsider).exists()


def test_member_leaves(world):
    group = world.groups["public"]
    client_for(world.member).post(f"/groups/{group.slug}/leave/")
    assert not Membership.objects.filter(group=group, user=world.member).exists()


def test_last_owner_cannot_leave(world):
    group = world.groups["public"]
    response = client_for(world.owner).post(f"/groups/{group.slug}/leave/")
    assert response.status_code == 400
    assert b"Make someone else an owner" in response.content
    assert Membership.objects.filter(group=group, user=world.owner).exists()


# --- Leaders' controls ----------------------------------------------------------------


def _ask(world, privacy="private"):
    group = world.groups[privacy]
    client_for(world.outsider).post(f"/groups/{group.slug}/join/", {"message": "hi"})
    return group, JoinRequest.objects.get(group=group, user=world.outsider)


def test_leader_sees_and_approves_a_join_request(world):
    group, request = _ask(world)
    client = client_for(world.leader)
    body = client.get(f"/groups/{group.slug}/moderation/").content.decode()
    assert "Outsider" in body and "hi" in body
    client.post(f"/groups/{group.slug}/requests/{request.pk}/", {"approve": "1"})
    request.refresh_from_db()
    assert request.status == "approved"
    assert Membership.objects.filter(group=group, user=world.outsider).exists()


def test_leader_denies_a_join_request(world):
    group, request = _ask(world)
    client_for(world.leader).post(f"/groups/{group.slug}/requests/{request.pk}/", {"approve": "0"})
    request.refresh_from_db()
    assert request.status == "denied"
    assert not Membership.objects.filter(group=group, user=world.outsider).exists()


@pytest.mark.parametrize("role", ["member", "muted"])
def test_non_leader_cannot_decide_requests(world, role):
    group, request = _ask(world)
    response = client_for(world.users[role]).post(
        f"/groups/{group.slug}/requests/{request.pk}/", {"approve": "1"}
    )
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == "pending"


def test_leader_mutes_and_unmutes_a_member(world):
    group = world.groups["public"]
    client = client_for(world.leader)
    client.post(f"/groups/{group.slug}/members/member/mute/", {"days": "3", "reason": "Cool off"})
    membership = Membership.objects.get(group=group, user=world.member)
    assert membership.is_muted()
    assert AuditEntry.objects.filter(group=group, action="mute", reason="Cool off").exists()
    client.post(f"/groups/{group.slug}/members/member/mute/", {"days": "0"})
    membership.refresh_from_db()
    assert not membership.is_muted()


def test_leader_removes_a_member(world):
    group = world.groups["private"]
    client_for(world.leader).post(
        f"/groups/{group.slug}/members/member/remove/", {"reason": "Left the team"}
    )
    assert not Membership.objects.filter(group=group, user=world.member).exists()


def test_owner_makes_a_leader_but_a_leader_cannot(world):
    group = world.groups["public"]
    response = client_for(world.leader).post(
        f"/groups/{group.slug}/members/member/role/", {"role": "leader"}
    )
    assert response.status_code == 403
    assert Membership.objects.get(group=group, user=world.member).role == "member"
    client_for(world.owner).post(f"/groups/{group.slug}/members/member/role/", {"role": "leader"})
    assert Membership.objects.get(group=group, user=world.member).role == "leader"


@pytest.mark.parametrize("role", ["member", "muted", "outsider", "former"])
@pytest.mark.parametrize("action", ["remove", "mute", "role"])
def test_non_leader_cannot_manage_members(world, role, action):
    group = world.groups["public"]
    data = {"remove": {"reason": "x"}, "mute": {"days": "3"}, "role": {"role": "leader"}}[action]
    response = client_for(world.users[role]).post(
        f"/groups/{group.slug}/members/leader/{action}/", data
    )
    assert response.status_code == 403
    membership = Membership.objects.get(group=group, user=world.leader)
    assert membership.role == "leader" and membership.muted_until is None


def test_member_controls_shown_to_leaders_only(world):
    slug = world.groups["public"].slug
    assert b"Manage Member" in _get(world, "leader", f"/groups/{slug}/members/").content
    assert b"Manage Member" not in _get(world, "member", f"/groups/{slug}/members/").content


def test_leader_invites_by_username_into_a_secret_group(world):
    group = world.groups["secret"]
    client_for(world.leader).post(f"/groups/{group.slug}/invite/", {"username": "outsider"})
    assert Membership.objects.filter(group=group, user=world.outsider).exists()


def test_inviting_nobody_says_so(world):
    group = world.groups["secret"]
    response = client_for(world.leader).post(
        f"/groups/{group.slug}/invite/", {"username": "nobody"}, follow=True
    )
    assert b"Nobody has that username." in response.content


def test_member_cannot_invite(world):
    group = world.groups["private"]
    response = client_for(world.member).post(
        f"/groups/{group.slug}/invite/", {"username": "outsider"}
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(group=group, user=world.outsider).exists()


def _report(world, privacy="public"):
    post = world.posts[privacy]
    client_for(world.leader).post(f"/posts/{post.pk}/report/", {"reason": "Off topic"})
    return Report.objects.get(post=post)


def test_reports_queue_shows_the_content_and_removes_with_reason(world):
    report = _report(world)
    group = report.group
    client = client_for(world.owner)
    body = client.get(f"/groups/{group.slug}/moderation/").content.decode()
    assert "Off topic" in body and "publicword" in body
    client.post(
        f"/groups/{group.slug}/reports/{report.pk}/", {"decision": "remove", "reason": "Spam"}
    )
    report.refresh_from_db()
    report.post.refresh_from_db()
    assert report.status == "resolved"
    assert report.post.removed_reason == "Spam"


def test_remove_from_queue_needs_a_reason(world):
    report = _report(world)
    response = client_for(world.owner).post(
        f"/groups/{report.group.slug}/reports/{report.pk}/", {"decision": "remove"}
    )
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == "open"


def test_dismiss_a_report(world):
    report = _report(world)
    client_for(world.owner).post(
        f"/groups/{report.group.slug}/reports/{report.pk}/", {"decision": "dismiss"}
    )
    report.refresh_from_db()
    assert report.status == "dismissed"
    assert report.post.removed_at is None


def test_member_cannot_work_the_reports_queue(world):
    report = _report(world)
    response = client_for(world.member).post(
        f"/groups/{report.group.slug}/reports/{report.pk}/", {"decision": "dismiss"}
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == "open"


def test_audit_log_filters_by_action_and_actor(world):
    slug = world.groups["public"].slug
    client = client_for(world.owner)
    body = client.get(f"/groups/{slug}/moderation/?action=mute").content.decode()
    assert "muted a member" in body and "added a member" not in body
    body = client.get(f"/groups/{slug}/moderation/?actor=leader").content.decode()
    assert "Nothing logged for these filters" in body
    assert client.get(f"/groups/{slug}/moderation/?action=bogus").status_code == 400
    assert client.get(f"/groups/{slug}/moderation/?cursor=bogus").status_code == 400


# --- Query counts -----------------------------------------------------------------------


def test_directory_queries_do_not_grow_with_groups(world, django_assert_num_queries):
    from groups import services

    client = client_for(world.member)
    client.get("/groups/")  # warm the session
    with django_assert_num_queries(DIRECTORY_QUERIES):
        client.get("/groups/")
    for i in range(10):
        services.create_group(actor=world.member, name=f"More {i}")
    with django_assert_num_queries(DIRECTORY_QUERIES):
        client.get("/groups/")


def test_members_tab_queries_do_not_grow_with_members(world, django_assert_num_queries):
    from groups import services

    from ..factories import make_person

    group = world.groups["public"]
    client = client_for(world.leader)
    client.get(f"/groups/{group.slug}/members/")
    with django_assert_num_queries(MEMBERS_QUERIES):
        client.get(f"/groups/{group.slug}/members/")
    for i in range(10):
        services.invite_member(actor=world.owner, group=group, user=make_person(f"p{i}").user)
    with django_assert_num_queries(MEMBERS_QUERIES):
        client.get(f"/groups/{group.slug}/members/")


# session + user (with its roles, the top bar's own profile, the notification badge's unread
# count and the policy banner's version: people.authentication, core.session_reads), then
# the page's own reads
DIRECTORY_QUERIES = 3
# The group header also reads whether I muted its email (its menu shows the state).
MEMBERS_QUERIES = 7
