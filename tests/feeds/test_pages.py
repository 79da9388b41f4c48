"""Feed pages and htmx fragments for every role x privacy: post page, topic and person feeds,
home; compose, comment, react, edit, delete; leaders' actions on posts; attachments."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from feeds import services
from feeds.models import Comment, PersonFollow, Post, PostRevision, Reaction, TopicFollow
from groups.models import Report
from tests.conftest import client_for
from tests.feeds.world import MODERATORS, PRIVACIES, READERS
from tests.images import bomb

pytestmark = pytest.mark.django_db

ROLES = ("owner", "leader", "member", "muted", "former", "outsider", "admin")
CASES = [(role, privacy) for role in ROLES for privacy in PRIVACIES]
HTMX = {"HTTP_HX_REQUEST": "true"}


def _client(world, role):
    return client_for(world.users[role])


# --- Reading ----------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "privacy"), CASES)
def test_post_page_by_id(world, role, privacy):
    post = world.posts[privacy]
    response = _client(world, role).get(f"/posts/{post.pk}/")
    if role not in READERS[privacy]:
        assert response.status_code == 404
        assert f"{privacy}word".encode() not in response.content
        return
    body = response.content.decode()
    assert response.status_code == 200
    assert f"{privacy}word" in body and f"{privacy}comment" in body and f"{privacy}reply" in body
    assert 'aria-pressed="' in body
    assert ("Remove post" in body) == (role in MODERATORS)


@pytest.mark.parametrize("role", ROLES)
def test_topic_page_shows_only_readable_posts(world, role):
    body = _client(world, role).get("/topics/sharedtopic/").content.decode()
    for privacy in PRIVACIES:
        assert (f"{privacy}word" in body) == (role in READERS[privacy]), privacy


@pytest.mark.parametrize("role", ROLES)
def test_person_feed_shows_only_readable_posts(world, role):
    client = _client(world, role)
    for path, headers in (("/people/member/posts/", {}), ("/people/member/posts/", HTMX)):
        body = client.get(path, **headers).content.decode()
        for privacy in PRIVACIES:
            assert (f"{privacy}word" in body) == (role in READERS[privacy]), privacy


def test_profile_page_loads_the_person_feed(world):
    body = _client(world, "outsider").get("/people/member/").content.decode()
    assert 'hx-get="/people/member/posts/"' in body


@pytest.mark.parametrize("role", ROLES)
def test_home_feed_shows_my_groups_only(world, role):
    body = _client(world, role).get("/").content.decode()
    member_now = role in {"owner", "leader", "member", "muted"} or False
    for privacy in PRIVACIES:
        assert (f"{privacy}word" in body) == member_now, privacy


def test_home_feed_includes_followed_topics_and_people(world):
    client = _client(world, "outsider")
    client.post("/topics/sharedtopic/follow/", {"on": "1"})
    body = client.get("/").content.decode()
    assert "publicword" in body and "privateword" not in body
    assert TopicFollow.objects.filter(user=world.outsider).exists()


@pytest.mark.parametrize(
    "path", ["/?cursor=%%%", "/topics/sharedtopic/?cursor=bad", "/people/member/posts/?cursor=x"]
)
def test_invalid_cursor_is_400(world, path):
    assert _client(world, "member").get(path).status_code == 400


def test_load_more_pages_by_cursor(world):
    group = world.groups["public"]
    for i in range(12):
        services.create_post(actor=world.member, group=group, body=f"Numbered post {i}")
    client = _client(world, "member")
    body = client.get(f"/groups/{group.slug}/").content.decode()
    assert "Numbered post 11" in body and "Numbered post 0" not in body
    cursor = body.split("?cursor=")[1].split('"')[0]
    more = client.get(f"/groups/{group.slug}/?cursor={cursor}", **HTMX).content.decode()
    assert "<html" not in more
    assert "Numbered post 0" in more and "Numbered post 11" not in more
    assert "publicword" in more


# --- Compose ------------------------------------------------------------------------------


def test_member_posts_with_htmx_and_gets_the_card(world):
    group = world.groups["private"]
    response = _client(world, "member").post(
        "/posts/new/", {"group": group.slug, "body": "Hello #launch", "kind": "update"}, **HTMX
    )
    assert response.status_code == 200
    post = Post.objects.get(body="Hello #launch")
    assert f'id="post-{post.pk}"' in response.content.decode()
    assert 'href="/topics/launch/"' in response.content.decode()


def test_posting_from_home_without_htmx_redirects(world):
    group = world.groups["public"]
    response = _client(world, "member").post(
        "/posts/new/", {"group": group.slug, "body": "From home", "kind": "update", "from": "home"}
    )
    assert response.status_code == 302
    assert Post.objects.filter(body="From home").exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "Write something first."), ("   ", "Write something first."), ("x" * 10_001, "10,000")],
)
def test_bad_post_is_a_form_error(world, body, message):
    group = world.groups["public"]
    before = Post.objects.count()
    for headers in ({}, HTMX):
        response = _client(world, "member").post(
            "/posts/new/", {"group": group.slug, "body": body, "kind": "update"}, **headers
        )
        assert response.status_code == 400
        assert message in response.content.decode()
    assert Post.objects.count() == before


def test_an_image_of_too_many_pixels_is_a_form_error_that_says_so(world):
    group = world.groups["public"]
    form = {"group": group.slug, "body": "Our floor plan", "kind": "update"}
    for headers in ({}, HTMX):
        response = _client(world, "member").post(
            "/posts/new/", {**form, "attachments": bomb()}, **headers
        )
        assert response.status_code == 400
        assert "“huge.png” is too large in pixels" in response.content.decode()
    assert not Post.objects.filter(body="Our floor plan").exists()


def test_post_of_exactly_10000_characters_is_fine(world):
    group = world.groups["public"]
    response = _client(world, "member").post(
        "/posts/new/", {"group": group.slug, "body": "x" * 10_000, "kind": "update"}, **HTMX
    )
    assert response.status_code == 200


@pytest.mark.parametrize("privacy", PRIVACIES)
def test_muted_member_cannot_post(world, privacy):
    before = Post.objects.count()
    group = world.groups[privacy]
    client = _client(world, "muted")
    response = client.post("/posts/new/", {"group": group.slug, "body": "Hi", "kind": "update"})
    assert response.status_code == 403
    response = client.post(
        "/posts/new/", {"group": group.slug, "body": "Hi", "kind": "update"}, **HTMX
    )
    assert response.status_code == 403
    assert "muted" in response.content.decode()
    assert Post.objects.count() == before


@pytest.mark.parametrize(("role", "status"), [("outsider", 403), ("former", 403)])
def test_non_member_cannot_post_in_a_private_group(world, role, status):
    before = Post.objects.count()
    response = _client(world, role).post(
        "/posts/new/", {"group": world.groups["private"].slug, "body": "Hi", "kind": "update"}
    )
    assert response.status_code == status
    assert Post.objects.count() == before


def test_outsider_cannot_post_in_a_secret_group(world):
    response = _client(world, "outsider").post(
        "/posts/new/", {"group": world.groups["secret"].slug, "body": "Hi", "kind": "update"}
    )
    assert response.status_code == 404
    assert not Post.objects.filter(body="Hi").exists()


def test_member_cannot_post_an_announcement(world):
    response = _client(world, "member").post(
        "/posts/new/", {"group": world.groups["public"].slug, "body": "Hi", "kind": "announcement"}
    )
    assert response.status_code == 400
    assert not Post.objects.filter(body="Hi").exists()


def test_leader_posts_an_announcement(world):
    _client(world, "leader").post(
        "/posts/new/",
        {"group": world.groups["public"].slug, "body": "News", "kind": "announcement"},
    )
    assert Post.objects.get(body="News").kind == "announcement"


# --- Comments and reactions ---------------------------------------------------------------


@pytest.mark.parametrize(("role", "privacy"), CASES)
def test_comment_inline(world, role, privacy):
    post = world.posts[privacy]
    before = Comment.objects.count()
    response = _client(world, role).post(
        f"/posts/{post.pk}/comments/", {"body": "Nice one", "view": "card"}, **HTMX
    )
    if role not in READERS[privacy]:
        assert response.status_code == 404
    elif role == "muted":
        assert response.status_code == 403
        assert "muted" in response.content.decode()
    elif role == "admin" and privacy != "public":  # admins read every group, write in their own
        assert response.status_code == 403
        assert "Join the group" in response.content.decode()
    else:
        assert response.status_code == 200
        assert "Nice one" in response.content.decode()
        assert f'id="comments-{post.pk}"' in response.content.decode()
        assert Comment.objects.count() == before + 1
        return
    assert Comment.objects.count() == before


def test_empty_comment_comes_back_with_the_error(world):
    post = world.posts["public"]
    response = _client(world, "member").post(
        f"/posts/{post.pk}/comments/", {"body": "", "view": "card"}, **HTMX
    )
    assert response.status_code == 400
    assert response["X-Fragment"] == "error"
    assert "Write something first." in response.content.decode()


def test_reply_on_the_post_page(world):
    post, comment = world.posts["public"], world.comments["public"]
    response = _client(world, "outsider").post(
        f"/posts/{post.pk}/comments/",
        {"body": "Replying", "view": "page", "parent": comment.pk},
        **HTMX,
    )
    assert response.status_code == 200
    assert Comment.objects.get(body="Replying").parent == comment
    assert 'id="thread"' in response.content.decode()


def test_comments_closed(world):
    post = world.posts["public"]
    _client(world, "leader").post(f"/posts/{post.pk}/close/", {"on": "1"})
    post.refresh_from_db()
    assert post.comments_closed
    response = _client(world, "member").post(
        f"/posts/{post.pk}/comments/", {"body": "late"}, **HTMX
    )
    assert response.status_code == 403
    assert not Comment.objects.filter(body="late").exists()


@pytest.mark.parametrize(("role", "privacy"), CASES)
def test_react_toggles_without_reload(world, role, privacy):
    post = world.posts[privacy]
    client = _client(world, role)
    response = client.post(f"/posts/{post.pk}/react/", {"kind": "celebrate"}, **HTMX)
    if role not in READERS[privacy]:
        assert response.status_code == 404
        assert not Reaction.objects.filter(post=post, kind="celebrate").exists()
        return
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert f'id="react-{post.pk}-celebrate" aria-pressed="true"' in body
    assert Reaction.objects.filter(post=post, user=world.users[role], kind="celebrate").exists()
    body = client.post(f"/posts/{post.pk}/react/", {"kind": "celebrate"}, **HTMX).content.decode()
    assert f'id="react-{post.pk}-celebrate" aria-pressed="false"' in body
    assert not Reaction.objects.filter(post=post, kind="celebrate").exists()


def test_bad_reaction_kind_is_400(world):
    response = _client(world, "member").post(
        f"/posts/{world.posts['public'].pk}/react/", {"kind": "angry"}
    )
    assert response.status_code == 400


# --- Edit, delete, answers ----------------------------------------------------------------


def test_author_edits_and_the_history_shows(world):
    post = world.posts["public"]
    client = _client(world, "member")
    response = client.post(f"/posts/{post.pk}/edit/", {"body": "Rewritten text"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body == "Rewritten text" and post.edited_at
    assert PostRevision.objects.filter(post=post).count() == 1
    body = client.get(f"/posts/{post.pk}/").content.decode()
    assert "edited" in body and "Edit history" in body and "publicword" in body


def test_edit_to_empty_or_too_long_is_a_form_error(world):
    post = world.posts["public"]
    client = _client(world, "member")
    for text in ("", "y" * 10_001):
        assert client.post(f"/posts/{post.pk}/edit/", {"body": text}).status_code == 400
    post.refresh_from_db()
    assert "publicword" in post.body


def test_only_the_author_edits_or_deletes(world):
    post = world.posts["public"]
    client = _client(world, "leader")
    assert client.post(f"/posts/{post.pk}/edit/", {"body": "Hijack"}).status_code == 403
    assert client.post(f"/posts/{post.pk}/delete/").status_code == 403
    post.refresh_from_db()
    assert "publicword" in post.body and post.deleted_at is None


def test_author_deletes(world):
    post = world.posts["public"]
    assert _client(world, "member").post(f"/posts/{post.pk}/delete/").status_code == 302
    post.refresh_from_db()
    assert post.deleted_at is not None
    assert _client(world, "member").get(f"/posts/{post.pk}/").status_code == 404


def test_asker_accepts_an_answer_and_it_is_highlighted(world):
    group = world.groups["public"]
    question = services.create_post(actor=world.member, group=group, body="How?", kind="question")
    answer = services.create_comment(actor=world.leader, post=question, body="Like this")
    client = _client(world, "member")
    client.post(f"/posts/{question.pk}/accept/", {"comment": answer.pk})
    question.refresh_from_db()
    assert question.accepted_answer == answer
    body = client.get(f"/posts/{question.pk}/").content.decode()
    assert "Accepted answer" in body and "is-accepted" in body


def test_other_reader_cannot_accept_an_answer(world):
    group = world.groups["public"]
    question = services.create_post(actor=world.member, group=group, body="How?", kind="question")
    answer = services.create_comment(actor=world.leader, post=question, body="Like this")
    response = _client(world, "outsider").post(
        f"/posts/{question.pk}/accept/", {"comment": answer.pk}
    )
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.accepted_answer is None


# --- Leaders on a post, and reports ---------------------------------------------------------


def test_removed_post_tells_its_author_why_and_is_404_for_everyone_else(world):
    post = world.posts["public"]
    _client(world, "leader").post(f"/posts/{post.pk}/remove/", {"reason": "Off-topic here"})
    post.refresh_from_db()
    assert post.removed_at is not None
    body = _client(world, "member").get(f"/posts/{post.pk}/").content.decode()
    assert "Removed by a moderator: Off-topic here" in body
    for role in ("owner", "leader", "outsider", "admin"):
        assert _client(world, role).get(f"/posts/{post.pk}/").status_code == 404, role


@pytest.mark.parametrize("role", ["member", "muted", "outsider", "former"])
@pytest.mark.parametrize("action", ["pin", "close", "remove"])
def test_non_leader_cannot_moderate_a_post(world, role, action):
    post = world.posts["public"]
    data = {"remove": {"reason": "x"}}.get(action, {"on": "1"})
    response = _client(world, role).post(f"/posts/{post.pk}/{action}/", data)
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.pinned_at is None and not post.comments_closed and post.removed_at is None


def test_leader_pins_and_the_post_shows_pinned(world):
    post = world.posts["public"]
    _client(world, "leader").post(f"/posts/{post.pk}/pin/", {"on": "1"})
    post.refresh_from_db()
    assert post.pinned_at is not None
    body = _client(world, "outsider").get(f"/groups/{post.group.slug}/").content.decode()
    assert "Pinned" in body


def test_leader_removes_a_comment(world):
    comment = world.comments["public"]
    _client(world, "owner").post(f"/comments/{comment.pk}/remove/", {"reason": "Rude"})
    comment.refresh_from_db()
    assert comment.removed_reason == "Rude"
    response = _client(world, "member").post(
        f"/comments/{world.replies['public'].pk}/remove/", {"reason": "x"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(("role", "privacy"), CASES)
def test_any_reader_reports_a_post_or_comment(world, role, privacy):
    post, comment = world.posts[privacy], world.comments[privacy]
    client = _client(world, role)
    r1 = client.post(f"/posts/{post.pk}/report/", {"reason": "Wrong"})
    r2 = client.post(f"/comments/{comment.pk}/report/", {"reason": "Wrong too"})
    if role in READERS[privacy]:
        assert r1.status_code == r2.status_code == 302
        assert Report.objects.filter(post=post, reporter=world.users[role]).exists()
        assert Report.objects.filter(comment=comment, reporter=world.users[role]).exists()
    else:
        assert r1.status_code == r2.status_code == 404
        assert not Report.objects.exists()


def test_report_needs_a_reason(world):
    response = _client(world, "member").post(f"/posts/{world.posts['public'].pk}/report/", {})
    assert response.status_code == 400
    assert not Report.objects.exists()


# --- Follows --------------------------------------------------------------------------------


def test_follow_and_unfollow_a_topic(world):
    client = _client(world, "member")
    body = client.post("/topics/sharedtopic/follow/", {"on": "1"}, **HTMX).content.decode()
    assert 'aria-pressed="true"' in body
    assert TopicFollow.objects.filter(user=world.member).exists()
    client.post("/topics/sharedtopic/follow/", {"on": "0"}, **HTMX)
    assert not TopicFollow.objects.filter(user=world.member).exists()
    assert client.get("/topics/nosuchtopic/").status_code == 404


def test_follow_a_person_from_their_profile(world):
    client = _client(world, "outsider")
    assert b"follow-person" in client.get("/people/member/posts/", **HTMX).content
    client.post("/people/member/follow/", {"on": "1"}, **HTMX)
    assert PersonFollow.objects.filter(follower=world.outsider, followee=world.member).exists()
    assert client.post("/people/outsider/follow/", {"on": "1"}).status_code == 400


# --- Attachments ----------------------------------------------------------------------------


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (10, 200, 10)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def attached(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = _client(world, "member")
    client.post(
        "/posts/new/",
        {
            "group": world.groups["private"].slug,
            "body": "With files",
            "kind": "update",
            "attachments": [
                SimpleUploadedFile("chart.png", _png(), content_type="image/png"),
                SimpleUploadedFile("notes.txt", b"<script>x</script>", content_type="text/plain"),
            ],
        },
    )
    post = Post.objects.get(body="With files")
    return post, {a.name: a for a in post.attachments.all()}


def test_attachments_show_inline_and_download_for_members(world, attached):
    post, files = attached
    client = _client(world, "member")
    body = client.get(f"/posts/{post.pk}/").content.decode()
    assert f'<img src="{files["chart.png"].get_absolute_url()}"' in body
    assert f'href="{files["notes.txt"].get_absolute_url()}" download' in body
    image = client.get(files["chart.png"].get_absolute_url())
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert image["X-Content-Type-Options"] == "nosniff"
    text = client.get(files["notes.txt"].get_absolute_url())
    assert text["Content-Disposition"].startswith("attachment")
    assert text["X-Content-Type-Options"] == "nosniff"


def test_attachments_are_404_for_non_readers(world, attached):
    post, files = attached
    for role in ("outsider", "former"):
        for item in files.values():
            assert _client(world, role).get(item.get_absolute_url()).status_code == 404
    other = world.posts["public"]
    url = f"/posts/{other.pk}/attachments/{files['chart.png'].pk}/"
    assert _client(world, "member").get(url).status_code == 404


# --- Query counts -----------------------------------------------------------------------------


def _fill(world, group, n_posts: int, n_extras: int) -> None:
    people = [world.owner, world.leader, world.member, world.outsider, world.admin]
    for i in range(n_posts):
        post = services.create_post(actor=world.member, group=group, body=f"Post {i} #q{i % 3}")
        for j in range(n_extras):
            services.create_comment(actor=world.leader, post=post, body=f"c{j}")
            kind = ("like", "celebrate", "insightful", "support")[j % 4]
            services.toggle_reaction(actor=people[j % len(people)], post=post, kind=kind)


def _count(client, path: str) -> int:
    client.get(path)  # warm the session and caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/groups/{slug}/", "GROUP_FEED_QUERIES"),
        ("/", "HOME_FEED_QUERIES"),
        ("/topics/q0/", "TOPIC_FEED_QUERIES"),
        ("/people/member/posts/", "PERSON_FEED_QUERIES"),
    ],
)
@pytest.mark.parametrize(("n_posts", "n_extras"), [(3, 0), (15, 10)])
def test_feed_queries_do_not_grow(world, path, expected, n_posts, n_extras):
    group = world.groups["public"]
    _fill(world, group, n_posts, n_extras)
    count = _count(_client(world, "leader"), path.format(slug=group.slug))
    assert count == QUERIES[expected], f"{path}: {count} queries"


def test_post_page_queries_do_not_grow_with_comments(world):
    from feeds.selectors import THREAD_PAGE

    group = world.groups["public"]
    post = services.create_post(actor=world.member, group=group, body="Busy")
    client = _client(world, "leader")
    parent = services.create_comment(actor=world.leader, post=post, body="first")
    services.create_comment(actor=world.member, post=post, body="first reply", parent=parent)
    few = _count(client, f"/posts/{post.pk}/")
    for j in range(THREAD_PAGE + 5):  # more threads than a page, more replies than it shows
        parent = services.create_comment(actor=world.leader, post=post, body=f"c{j}")
        for k in range(2 if j % 10 else 12):
            services.create_comment(actor=world.member, post=post, body=f"r{j}.{k}", parent=parent)
        services.toggle_reaction(actor=world.member, post=post, kind="like")
    assert _count(client, f"/posts/{post.pk}/") == few == QUERIES["POST_PAGE_QUERIES"]
    oldest = post.comments.filter(parent=None).earliest("created_at", "id")
    assert _count(client, f"/posts/{post.pk}/?comment={oldest.pk}") == few + 3  # see below


# Pinned: the same for 3 posts without comments or reactions and for a full page of 10 posts
# with 10 comments and 10 reactions each. A change here is a change to the contract.
# The policy banner (base.html: is the current policy acknowledged?) and the notification
# badge's unread count in the top bar are read with the session's user (core.session_reads:
# two fewer than before). The group
# feed also reads whether I muted the group's email (its Email menu shows the state); the topic
# feed, the topic's knowledge entries (core.sections: knowledge registers one). The card
# extensions of feeds.extensions (polls, events) cost one query each per page of cards. The
# viewer's roles and the top bar's own profile come with the session's user in one query
# (people.authentication.session_user: two fewer than before).
QUERIES = {
    "GROUP_FEED_QUERIES": 14,
    "HOME_FEED_QUERIES": 15,
    "TOPIC_FEED_QUERIES": 13,
    "PERSON_FEED_QUERIES": 12,
    # The page's threads, then their latest replies (one query for every thread on the page).
    # A link to a comment (?comment=) reads that comment, its thread's head, whether threads
    # come before it, and its thread's replies apart: three more. The card on the post's page
    # reads no latest comments (it shows the thread instead): one fewer than before.
    "POST_PAGE_QUERIES": 12,
}
