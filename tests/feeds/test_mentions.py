"""A mention shows the person's name, linked to their profile; whatever the name holds, it is
text, never markup; the preview renders through the same door."""

import html5lib
import pytest
from django.test import Client

from feeds import services

from ..factories import make_person
from ..xss import assert_inert, payloads

pytestmark = pytest.mark.django_db


def links(fragment: str) -> list:
    tree = html5lib.parseFragment(fragment, namespaceHTMLElements=False)
    return [a for a in tree.iter() if a.tag == "a"]


def test_a_mention_shows_the_name_linked_to_the_profile(world):
    make_person("ben.okafor", display_name="Ben Okafor")
    post = services.create_post(
        actor=world.member, group=world.groups["public"], body="Thanks @ben.okafor."
    )
    (link,) = links(post.body_html)
    assert link.text == "Ben Okafor"
    assert link.get("href") == "/people/ben.okafor/"
    assert link.get("title") == "@ben.okafor"
    assert "@ben.okafor" not in post.body_html.replace('title="@ben.okafor"', "")
    assert post.body_html.rstrip().endswith(".</p>")  # the full stop stays text


def test_a_comment_mention_shows_the_name(world):
    make_person("ben.okafor", display_name="Ben Okafor")
    post = services.create_post(actor=world.member, group=world.groups["public"], body="Hi")
    comment = services.create_comment(actor=world.leader, post=post, body="ask @ben.okafor")
    assert [a.text for a in links(comment.body_html)] == ["Ben Okafor"]


def test_an_unknown_or_deactivated_name_stays_plain_text(world):
    gone = make_person("gone.person", display_name="Gone Person").user
    gone.is_active = False
    gone.save()
    post = services.create_post(
        actor=world.member, group=world.groups["public"], body="@gone.person @nobody.here"
    )
    assert links(post.body_html) == []
    assert "@gone.person @nobody.here" in post.body_html


def test_a_mention_in_code_is_not_a_link(world):
    make_person("ben.okafor", display_name="Ben Okafor")
    post = services.create_post(
        actor=world.member, group=world.groups["public"], body="`@ben.okafor`"
    )
    assert links(post.body_html) == []


@pytest.mark.parametrize("payload", payloads())
def test_a_display_name_is_text_whatever_it_holds(world, payload):
    make_person("eve.x", display_name=payload[:120])
    post = services.create_post(
        actor=world.member, group=world.groups["public"], body="cc @eve.x please"
    )
    assert_inert(post.body_html, fragment=True)
    (link,) = links(post.body_html)
    assert link.get("href") == "/people/eve.x/"
    assert "".join(link.itertext()) == " ".join(payload[:120].split())


@pytest.mark.parametrize(
    "name", ["](javascript:alert(1))", "<img src=x onerror=alert(1)>", "a\\](x)", "**b** [c]"]
)
def test_markdown_in_a_name_is_literal(world, name):
    make_person("eve.x", display_name=name)
    post = services.create_post(actor=world.member, group=world.groups["public"], body="@eve.x")
    assert_inert(post.body_html, fragment=True)
    (link,) = links(post.body_html)
    assert "".join(link.itertext()) == name
    assert link.get("href") == "/people/eve.x/"


def test_the_preview_renders_like_the_post(world):
    make_person("ben.okafor", display_name="Ben Okafor")
    client = Client()
    client.force_login(world.member)
    body = "**Hi** @ben.okafor #launch <script>alert(1)</script>"
    response = client.post("/posts/preview/", {"body": body}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert_inert(html, fragment=True)
    assert "<strong>Hi</strong>" in html
    assert [a.text for a in links(html)] == ["Ben Okafor", "#launch"]
    from feeds.models import Post, Topic

    assert not Post.objects.filter(body=body).exists()
    assert not Topic.objects.filter(name="launch").exists()


def test_the_preview_of_nothing_says_so(world):
    client = Client()
    client.force_login(world.member)
    response = client.post("/posts/preview/", {"body": "  "})
    assert response.status_code == 200
    assert "Nothing to preview" in response.content.decode()


def test_the_preview_needs_a_signed_in_person(world):
    response = Client().post("/posts/preview/", {"body": "hi"})
    assert response.status_code in (302, 403)


def test_old_mentions_are_rendered_again_with_the_current_name(world):
    from django.core.management import call_command

    from feeds.models import Post

    ben = make_person("ben.okafor", display_name="Ben Okafor")
    post = services.create_post(
        actor=world.member, group=world.groups["public"], body="@ben.okafor"
    )
    comment = services.create_comment(actor=world.leader, post=post, body="cc @ben.okafor")
    # Written before mentions showed names; then Ben changes his name.
    Post.objects.filter(pk=post.pk).update(body_html="<p>@ben.okafor</p>")
    ben.display_name = "Benjamin Okafor"
    ben.save()
    version = Post.objects.get(pk=post.pk).version
    call_command("rerender_mentions", batch_size=1)
    post.refresh_from_db()
    comment.refresh_from_db()
    assert [a.text for a in links(post.body_html)] == ["Benjamin Okafor"]
    assert [a.text for a in links(comment.body_html)] == ["Benjamin Okafor"]
    assert post.version > version  # the cached card is renewed
    assert services.rerender_mentions() == 0  # nothing left to change
