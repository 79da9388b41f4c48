"""The XSS corpus in every field of shares, drafts, schedules and praise renders inert on
every surface that shows it (pages, fragments, the profile, the API's HTML fields)."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from feeds import drafts, praise, sharing

from ..xss import assert_inert, payloads

pytestmark = pytest.mark.django_db


def page_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("payload", payloads())
def test_share_comments_render_inert(world, payload):
    share = sharing.share_post(
        actor=world.member, post=world.posts["public"], group=world.groups["public"], body=payload
    )
    client = page_for(world.outsider)
    for url in (share.get_absolute_url(), world.groups["public"].get_absolute_url()):
        assert_inert(client.get(url).content.decode())
    assert_inert(client.get(f"/posts/{share.pk}/original/").content.decode(), fragment=True)
    api = APIClient()
    api.force_authenticate(world.outsider)
    data = api.get(f"/api/v1/posts/{share.pk}/").json()
    assert_inert(data["body_html"], fragment=True)
    # The share page echoes what was typed when it refuses it.
    refused = page_for(world.member).post(
        f"/posts/{world.posts['public'].pk}/share/", {"group": payload[:140], "body": payload}
    )
    assert refused.status_code == 400
    assert_inert(refused.content.decode())


@pytest.mark.parametrize("payload", payloads())
def test_drafts_and_schedules_render_inert(world, payload):
    draft = drafts.save_draft(actor=world.member, body=payload, group=world.groups["public"])
    client = page_for(world.member)
    assert_inert(client.get("/posts/drafts/").content.decode())
    assert_inert(client.get(draft.get_absolute_url()).content.decode())
    refused = client.post(
        draft.get_absolute_url(),
        {
            "body": payload,
            "group": payload[:140],
            "kind": "update",
            "publish_at": payload[:50],
            "action": "schedule",
        },
    )
    assert refused.status_code == 400
    assert_inert(refused.content.decode())
    composer = client.post(
        "/posts/new/",
        {"from": "home", "body": payload, "action": "schedule", "publish_at": payload[:50]},
    )
    assert composer.status_code == 400
    assert_inert(composer.content.decode())


@pytest.mark.parametrize("payload", payloads())
def test_praise_renders_inert_on_the_post_the_profile_and_the_form(world, payload):
    post = praise.give_praise(
        actor=world.member,
        group=world.groups["public"],
        people=[world.leader],
        badge="thank_you",
        body=payload,
    )
    client = page_for(world.outsider)
    assert_inert(client.get(post.get_absolute_url()).content.decode())
    assert_inert(client.get("/people/leader/").content.decode())
    refused = page_for(world.member).post(
        "/praise/new/",
        {"group": world.groups["public"].slug, "people": payload, "badge": "x", "body": payload},
    )
    assert refused.status_code == 400
    assert_inert(refused.content.decode())
