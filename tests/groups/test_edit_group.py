"""A group's leaders edit it in the app: name, description, privacy (with what changes for
whom, before saving), who may start posts, the cover picture; every edit audited.

Standing users (tests/feeds/world.py): owner, leader, member, muted, former (left every
group), outsider, admin; one interest group per privacy."""

import io

import pytest
from django.test import override_settings
from PIL import Image
from rest_framework.test import APIClient

from feeds import services as feeds
from groups.models import AuditEntry, Group
from notifications import services as notifications

from ..conftest import client_for
from ..feeds.world import KNOWERS, MODERATORS
from ..images import bomb
from ..xss import assert_inert, payloads

pytestmark = pytest.mark.django_db

ROLES = ("owner", "leader", "admin", "member", "muted", "former", "outsider")


def _edit_url(group) -> str:
    return f"/groups/{group.slug}/edit/"


def _form(group, **changes) -> dict:
    data = {
        "name": group.name,
        "description": group.description,
        "privacy": group.privacy,
        "posting": group.posting,
    }
    data.update(changes)
    return data


def _png(size=(1600, 900), color=(200, 40, 40)) -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    out.seek(0)
    out.name = "holiday photo.png"
    return out


@pytest.mark.parametrize("privacy", ["public", "private", "secret"])
@pytest.mark.parametrize("role", ROLES)
def test_only_leaders_owners_and_admins_edit(world, role, privacy):
    group = world.groups[privacy]
    client = client_for(world.users[role])
    page = client.get(_edit_url(group))
    post = client.post(_edit_url(group), _form(group, name="Renamed"))
    if role in MODERATORS:
        assert page.status_code == 200 and post.status_code == 302
        assert Group.objects.get(pk=group.pk).name == "Renamed"
    else:
        # A group they may not know of stays a 404; one they know of is a 403.
        expected = 403 if role in KNOWERS[privacy] else 404
        assert (page.status_code, post.status_code) == (expected, expected)
        assert Group.objects.get(pk=group.pk).name == group.name
        assert "Renamed" not in post.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_the_api_edit_follows_the_same_rule(world, role):
    group = world.groups["public"]
    api = APIClient()
    api.force_authenticate(world.users[role])
    response = api.patch(f"/api/v1/groups/{group.slug}/", {"posting": "leaders"}, format="json")
    if role in MODERATORS:
        assert response.status_code == 200 and response.json()["posting"] == "leaders"
    else:
        assert response.status_code == 403
        assert Group.objects.get(pk=group.pk).posting == "everyone"


def test_an_edit_is_audited_with_what_changed(world):
    group = world.groups["public"]
    client_for(world.leader).post(
        _edit_url(group),
        _form(group, name="Runners", description="We run.", privacy="private", posting="leaders"),
    )
    entry = AuditEntry.objects.filter(group=group, action=AuditEntry.Action.EDIT_GROUP).get()
    assert entry.actor == world.leader
    assert "name: “Public group” → “Runners”" in entry.reason
    assert "privacy: “public” → “private”" in entry.reason
    assert "description" in entry.reason and "posting: only leaders start posts" in entry.reason
    moderation = client_for(world.owner).get(f"/groups/{group.slug}/moderation/")
    assert "Edited the group" in moderation.content.decode()


def test_the_edit_page_says_what_each_privacy_changes_for_whom(world):
    group = world.groups["public"]
    page = client_for(world.owner).get(_edit_url(group)).content.decode()
    assert "No change: this is the group" in page
    # Outsiders lose sight of the posts when it goes private; it vanishes when secret.
    # world: 7 people, 5 active members (the owner, leader, member, muted; the former left).
    assert "For the 3 people who are not members: its 1 post, comments and members are" in page
    assert "the group disappears — not in the directory, not in search" in page
    assert "For its 4 members: nothing changes." in page
    secret = client_for(world.owner).get(_edit_url(world.groups["secret"])).content.decode()
    assert "the group appears in the directory and in search, with its name" in secret
    assert "including what was written while the group was not public" in secret


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"description": "x" * 2001}, "description"),
        ({"privacy": "hidden"}, "privacy"),
        ({"posting": "robots"}, "posting"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(world, changes, field):
    group = world.groups["public"]
    response = client_for(world.owner).post(_edit_url(group), _form(group, **changes))
    assert response.status_code == 400 and field in response.context["form"].errors
    assert Group.objects.get(pk=group.pk).name == group.name
    api = APIClient()
    api.force_authenticate(world.owner)
    answer = api.patch(f"/api/v1/groups/{group.slug}/", changes, format="json")
    assert answer.status_code == 400 and field in answer.json()


def test_a_department_group_keeps_its_privacy(world, engineering):
    from groups.services import ensure_department_group

    group = ensure_department_group(engineering)
    response = client_for(world.admin).post(_edit_url(group), _form(group, privacy="secret"))
    assert response.status_code == 400 and "privacy" in response.context["form"].errors


@pytest.mark.parametrize("payload", payloads()[:40])
def test_names_and_descriptions_stay_inert_everywhere(world, payload):
    group = world.groups["public"]
    client = client_for(world.owner)
    client.post(_edit_url(group), _form(group, name=payload[:120], description=payload))
    for url in (f"/groups/{group.slug}/", f"/groups/{group.slug}/about/", _edit_url(group)):
        assert_inert(client.get(url).content.decode())
    assert_inert(client_for(world.outsider).get("/groups/").content.decode())


def test_leaders_only_posting_keeps_members_to_comments(world):
    group = world.groups["public"]
    client_for(world.owner).post(_edit_url(group), _form(group, posting="leaders"))
    group.refresh_from_db()
    with pytest.raises(Exception, match="Only the group's leaders start posts here"):
        feeds.create_post(actor=world.member, group=group, body="hello")
    feeds.create_post(actor=world.leader, group=group, body="an update from the leader")
    assert (
        'id="compose"'
        not in client_for(world.member).get(f"/groups/{group.slug}/").content.decode()
    )
    assert 'id="compose"' in client_for(world.leader).get(f"/groups/{group.slug}/").content.decode()
    # Members still comment.
    post = group.posts.order_by("-id").first()
    feeds.create_comment(actor=world.member, post=post, body="thanks!")


@override_settings(MEDIA_DELIVERY="django")
def test_a_cover_picture_is_re_encoded_and_served_to_those_who_see_the_group(
    world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    group = world.groups["private"]
    client = client_for(world.owner)
    response = client.post(_edit_url(group), {**_form(group), "cover": _png()})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.cover.name.startswith("group-covers/") and "holiday" not in group.cover.name
    with Image.open(group.cover.path) as stored:
        assert stored.size == (1200, 300) and stored.format == "PNG"
    assert group.cover_url in client.get(f"/groups/{group.slug}/").content.decode()
    # The private group's name and description are visible to outsiders: its cover too.
    shown = client_for(world.outsider).get(group.cover_url)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    secret = world.groups["secret"]
    client.post(_edit_url(secret), {**_form(secret), "cover": _png()})
    secret.refresh_from_db()
    assert client_for(world.outsider).get(secret.cover_url).status_code == 404
    assert client_for(world.member).get(secret.cover_url).status_code == 200
    assert client.get(f"/groups/{group.slug}/cover/../../x.png").status_code == 404
    client.post(_edit_url(group), {**_form(group), "remove_cover": "on"})
    group.refresh_from_db()
    assert not group.cover


def test_a_file_that_is_not_a_picture_is_a_400_naming_cover(world):
    group = world.groups["public"]
    fake = io.BytesIO(b"<svg onload=alert(1)></svg>")
    fake.name = "cover.png"
    response = client_for(world.owner).post(_edit_url(group), {**_form(group), "cover": fake})
    assert response.status_code == 400 and "cover" in response.context["form"].errors
    assert not Group.objects.get(pk=group.pk).cover


def test_a_picture_of_too_many_pixels_is_a_400_that_says_so(world):
    group = world.groups["public"]
    response = client_for(world.owner).post(_edit_url(group), {**_form(group), "cover": bomb()})
    assert response.status_code == 400
    assert response.context["form"].errors["cover"] == [
        "That image is too large in pixels: up to 40 million are taken."
    ]
    assert not Group.objects.get(pk=group.pk).cover


def test_the_email_menu_shows_whether_the_group_is_muted(world):
    group = world.groups["public"]
    client = client_for(world.member)
    page = client.get(f"/groups/{group.slug}/").content.decode()
    assert "Email: on" in page and 'aria-pressed="true">✓ On: email' in page
    notifications.mute_group(actor=world.member, group=group, muted=True)
    page = client.get(f"/groups/{group.slug}/").content.decode()
    assert "Email: muted" in page and 'aria-pressed="true">✓ Muted' in page
