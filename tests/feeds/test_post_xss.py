"""A real XSS corpus, written as posts and comments, renders inert on every HTML surface."""

import pytest
from django.test import Client

from feeds import services

from ..xss import assert_inert, payloads

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("payload", payloads())
def test_posts_and_comments_render_inert(world, payload):
    post = services.create_post(actor=world.member, group=world.groups["public"], body=payload)
    comment = services.create_comment(actor=world.leader, post=post, body=payload)
    assert_inert(post.body_html, fragment=True)
    assert_inert(comment.body_html, fragment=True)
    client = Client()
    client.force_login(world.outsider)
    page = client.get(post.get_absolute_url())
    assert page.status_code == 200
    assert_inert(page.content.decode())


@pytest.mark.parametrize(
    "body",
    [
        "@<script>alert(1)</script>",
        "#<img src=x onerror=alert(1)>",
        "[@member](javascript:alert(1))",
        "@member[x](javascript:alert(1))",
        "#topic](javascript:alert(1))",
    ],
)
def test_mentions_and_topics_cannot_smuggle_markup(world, body):
    post = services.create_post(actor=world.member, group=world.groups["public"], body=body)
    assert_inert(post.body_html, fragment=True)


def test_a_commenters_name_renders_inert_in_the_thread_and_on_the_card(world):
    """A comment's markup is written in Python (feeds/templatetags/comments.py): the
    commenter's name is escaped there, beside the reader's tools (report, remove)."""
    post = services.create_post(actor=world.member, group=world.groups["public"], body="Hello")
    services.create_comment(actor=world.leader, post=post, body="A reply")
    client = Client()
    client.force_login(world.member)
    profile = world.leader.profile
    for payload in payloads():
        profile.display_name = payload
        profile.save(update_fields=["display_name"])
        page = client.get(post.get_absolute_url()).content.decode()
        assert 'class="comment-tools small"' in page and "Report" in page
        assert_inert(page)
    assert_inert(client.get("/").content.decode())
