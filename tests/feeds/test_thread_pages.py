"""A post's comments a page at a time: the latest threads first, "Show earlier comments" and
"Show later comments", a thread's latest replies with "Show earlier replies", a link to a
comment (notifications, search, moderation) opening the page that holds it, and the API's
pages. Small pages here (THREAD_PAGE 3, REPLY_PAGE 2) stand for the real ones (50, 10)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from feeds import selectors, services
from feeds.models import Comment
from feeds.selectors import posts as thread_module
from tests.conftest import api_client_for, client_for

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
SHOWN = re.compile(r'id="comment-(\d+)"')


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(thread_module, "THREAD_PAGE", 3)
    monkeypatch.setattr(thread_module, "REPLY_PAGE", 2)


@pytest.fixture
def busy(world, small_pages):
    """The public post with 8 threads after the world's own (t0..t7, a minute apart), the
    sixth (t5) with 5 replies; oldest first in `heads`."""
    post = world.posts["public"]
    start = timezone.now() + dt.timedelta(minutes=1)
    heads = [world.comments["public"]]
    for i in range(8):
        heads.append(
            Comment.objects.create(
                post=post,
                author=world.leader,
                body=f"t{i}",
                body_html=f"<p>t{i}</p>",
                created_at=start + dt.timedelta(minutes=i),
            )
        )
    replies = [
        Comment.objects.create(
            post=post,
            author=world.member,
            parent=heads[6],
            body=f"t5 reply {k}",
            body_html=f"<p>t5 reply {k}</p>",
            created_at=start + dt.timedelta(minutes=5, seconds=k + 1),
        )
        for k in range(5)
    ]
    return post, heads, replies


def _shown(response) -> list[int]:
    assert response.status_code == 200, response.content[:300]
    return [int(n) for n in SHOWN.findall(response.content.decode())]


def _link(response, css_class: str) -> str | None:
    match = re.search(rf'class="thread-more {css_class}" href="([^"#]+)', response.content.decode())
    return match.group(1).replace("&amp;", "&") if match else None


def test_the_latest_threads_first_and_every_earlier_one_a_page_at_a_time(world, busy):
    post, heads, replies = busy
    client = client_for(world.member)
    first = client.get(f"/posts/{post.pk}/")
    assert [c for c in _shown(first) if c in {h.pk for h in heads}] == [h.pk for h in heads[-3:]]
    assert _link(first, "thread-later") is None  # the latest page has nothing after it
    seen = [h.pk for h in heads[-3:]]
    page, earlier = first, _link(first, "thread-earlier")
    while earlier:
        page = client.get(earlier)
        on_page = [c for c in _shown(page) if c in {h.pk for h in heads}]
        assert len(on_page) <= 3 and _link(page, "thread-later")  # the way back down
        seen = on_page + seen
        earlier = _link(page, "thread-earlier")
    assert seen == [h.pk for h in heads]  # every thread once, oldest first
    # The oldest page's "later" link leads to the threads after it, not to the latest.
    later = client.get(_link(page, "thread-later"))
    assert [c for c in _shown(later) if c in {h.pk for h in heads}] == [h.pk for h in heads[3:6]]


def test_a_thread_shows_its_latest_replies_and_the_rest_on_asking(world, busy):
    post, heads, replies = busy
    client = client_for(world.member)
    page = client.get(f"/posts/{post.pk}/?comment={heads[6].pk}")
    shown = _shown(page)
    assert heads[6].pk in shown
    assert [r.pk for r in replies if r.pk in shown] == [r.pk for r in replies[-2:]]
    earlier = _link(page, "replies-earlier")
    assert earlier and f"comment={heads[6].pk}" in earlier
    # htmx asks for the thread alone; hx-select takes the thread's replies from it.
    fragment = client.get(earlier, **HTMX)
    assert b"<html" not in fragment.content
    body = fragment.content.decode()
    assert f'id="replies-{heads[6].pk}"' in body
    assert [r.pk for r in replies if r.pk in _shown(fragment)] == [r.pk for r in replies[1:3]]
    oldest = client.get(_link(fragment, "replies-earlier"))
    assert [r.pk for r in replies if r.pk in _shown(oldest)] == [replies[0].pk]
    assert _link(oldest, "replies-earlier") is None and _link(oldest, "replies-later")


def test_a_link_to_an_old_comment_opens_the_page_that_holds_it(world, busy):
    post, heads, replies = busy
    client = client_for(world.member)
    assert replies[0].get_absolute_url() == (
        f"/posts/{post.pk}/?comment={replies[0].pk}#comment-{replies[0].pk}"
    )
    # An old reply: its thread starts the page, its replies from it on, later ones behind a link.
    page = client.get(replies[0].get_absolute_url())
    shown = _shown(page)
    assert shown.index(heads[6].pk) < shown.index(replies[0].pk)
    assert [c for c in shown if c in {h.pk for h in heads}] == [h.pk for h in heads[6:9]]
    assert [r.pk for r in replies if r.pk in shown] == [r.pk for r in replies[:2]]
    assert _link(page, "replies-later") and _link(page, "thread-earlier")
    # The oldest thread: it and the two after it, with the later threads behind a link.
    page = client.get(heads[0].get_absolute_url())
    assert [c for c in _shown(page) if c in {h.pk for h in heads}] == [h.pk for h in heads[:3]]
    assert _link(page, "thread-earlier") is None and _link(page, "thread-later")
    # Among the latest: the latest page, as without a link.
    latest = client.get(f"/posts/{post.pk}/")
    assert _shown(client.get(heads[-1].get_absolute_url())) == _shown(latest)


def test_a_link_to_a_comment_the_reader_may_not_see_opens_the_latest_page(world, busy):
    post, heads, replies = busy
    client = client_for(world.outsider)
    latest = _shown(client.get(f"/posts/{post.pk}/"))
    secret = world.comments["secret"]  # another post, in a group the outsider cannot read
    for comment in (secret, world.replies["secret"]):
        response = client.get(f"/posts/{post.pk}/?comment={comment.pk}")
        assert _shown(response) == latest
        assert b"secretcomment" not in response.content and b"secretreply" not in response.content
    services.delete_comment(actor=world.leader, comment=heads[1])
    assert _shown(client.get(heads[1].get_absolute_url())) == latest
    # The secret post itself stays a 404 for the outsider and for the member who left.
    for user in (world.outsider, world.former):
        response = client_for(user).get(secret.get_absolute_url())
        assert response.status_code == 404 and b"secretcomment" not in response.content


@pytest.mark.parametrize(
    "query",
    ["before=nonsense", "after=WzFd", "comment=abc", "comment={thread}&replies_before=%25%25"],
)
def test_a_bad_link_is_a_400_that_says_so(world, busy, query):
    post, heads, _ = busy
    response = client_for(world.member).get(f"/posts/{post.pk}/?{query.format(thread=heads[6].pk)}")
    assert response.status_code == 400
    assert b"comment" in response.content


def test_a_reply_to_an_old_thread_comes_back_on_that_threads_page(world, busy):
    post, heads, _ = busy
    client = client_for(world.member)
    response = client.post(
        f"/posts/{post.pk}/comments/",
        {"body": "Late to this", "parent": heads[1].pk, "view": "page"},
        **HTMX,
    )
    shown = _shown(response)
    reply = Comment.objects.get(body="Late to this")
    assert heads[1].pk in shown and reply.pk in shown
    # Without htmx, the redirect opens the page at the new reply.
    response = client.post(
        f"/posts/{post.pk}/comments/", {"body": "Again", "parent": heads[1].pk, "view": "page"}
    )
    again = Comment.objects.get(body="Again")
    assert response.status_code == 302 and response["Location"] == again.get_absolute_url()


def test_a_gone_thread_keeps_its_place_without_its_author_in_the_api(world, small_pages):
    post = world.posts["public"]
    services.delete_comment(actor=world.leader, comment=world.comments["public"])
    window = selectors.thread_of(world.member, post)
    assert [(c.is_live, c.body) for c in window.items] == [(False, "")]
    results = api_client_for(world.member).get(f"/api/v1/posts/{post.pk}/comments/").json()
    head = results["results"][0]
    assert (head["author"], head["body"], head["body_html"]) == (None, "", "")
    assert [r["body"] for r in head["replies"]] == ["A publicreply"]


def test_a_gone_thread_on_the_page_shows_neither_its_text_nor_its_author(world, small_pages):
    post = world.posts["public"]
    services.delete_comment(actor=world.leader, comment=world.comments["public"])
    response = client_for(world.member).get(post.get_absolute_url())
    thread = re.search(
        r'<section class="card thread".*?</section>', response.content.decode(), re.S
    )
    assert "This comment was removed." in thread.group(0)
    assert "A publicreply" in thread.group(0)  # its live reply keeps the thread
    assert "publiccomment" not in thread.group(0)
    assert "Leader" not in thread.group(0)  # not even in its reply field's label
    assert "Reply in this thread" in thread.group(0)


def test_the_api_pages_threads_oldest_first(world, busy):
    post, heads, replies = busy
    api = api_client_for(world.member)
    url, seen = f"/api/v1/posts/{post.pk}/comments/?page_size=4", []
    while url:
        body = api.get(url).json()
        seen += [(c["id"], [r["id"] for r in c["replies"]]) for c in body["results"]]
        url = body["next"]
    assert [head for head, _ in seen] == [h.pk for h in heads]
    assert dict(seen)[heads[6].pk] == [r.pk for r in replies]
    bad = api.get(f"/api/v1/posts/{post.pk}/comments/?cursor=nope")
    assert bad.status_code == 400 and "cursor" in bad.json()
    assert api.get(f"/api/v1/posts/{post.pk}/comments/?page_size=0").json().keys() == {"page_size"}
