"""The posts API: posting, editing, comments, reactions, moderation, topics, follows, bad
input and the query counts of the feeds."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from feeds import moderation
from feeds import services as feeds
from feeds.models import Comment, PersonFollow, Post, Reaction, TopicFollow
from groups import services as groups
from groups.models import AuditEntry

from ..factories import make_person

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["results"]]


# --- Posting and reading ------------------------------------------------------------------


def test_member_posts_and_reads_it_back(world):
    api = api_for(world.member)
    response = api.post(
        "/api/v1/posts/",
        {"group": "public-group", "body": "Ship it **today** #release", "kind": "question"},
    )
    assert response.status_code == 201, response.json()
    post = response.json()
    assert post["group"] == {"slug": "public-group", "name": "Public group"}
    assert post["author"] == {"username": "member", "display_name": "Member"}
    assert post["kind"] == "question"
    assert "<strong>today</strong>" in post["body_html"]
    assert post["topics"] == ["release"]
    assert post["url"] == f"http://testserver/posts/{post['id']}/"
    assert (post["comment_count"], post["latest_comments"], post["reactions"]) == (0, [], {})
    assert (post["pinned"], post["comments_closed"], post["accepted_answer"]) == (
        False,
        False,
        None,
    )
    assert ids(api.get("/api/v1/groups/public-group/posts/"))[0] == post["id"]
    assert ids(api.get("/api/v1/feed/"))[0] == post["id"]
    assert ids(api.get("/api/v1/topics/release/posts/")) == [post["id"]]


def test_feed_card_shows_latest_comments_reactions_and_mine(world):
    post = world.posts["public"]
    card = api_for(world.member).get(f"/api/v1/posts/{post.pk}/").json()
    assert card["comment_count"] == 2
    assert [c["id"] for c in card["latest_comments"]] == [
        world.comments["public"].pk,
        world.replies["public"].pk,
    ]
    assert card["latest_comments"][0]["author"]["username"] == "leader"
    assert card["reactions"] == {"like": 1}
    assert card["my_reactions"] == ["like"]
    assert api_for(world.leader).get(f"/api/v1/posts/{post.pk}/").json()["my_reactions"] == []


def test_attachments_are_listed_with_their_urls(world):
    upload = SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")
    post = feeds.create_post(
        actor=world.member, group=world.groups["public"], body="See notes", attachments=[upload]
    )
    card = api_for(world.outsider).get(f"/api/v1/posts/{post.pk}/").json()
    attachment = post.attachments.get()
    assert card["attachments"] == [
        {
            "name": "notes.txt",
            "url": f"http://testserver/posts/{post.pk}/attachments/{attachment.pk}/",
            "content_type": "text/plain",
            "size": 5,
        }
    ]


def test_writing_in_a_public_group_joins_it(world):
    response = api_for(world.outsider).post(
        "/api/v1/posts/", {"group": "public-group", "body": "Hello all"}
    )
    assert response.status_code == 201
    assert world.groups["public"].memberships.filter(user=world.outsider).exists()


@pytest.mark.parametrize(("privacy", "status"), [("private", 403), ("secret", 400)])
def test_outsider_cannot_post_in_a_group_they_do_not_belong_to(world, privacy, status):
    """Private: refused (they know it exists). Secret: answered like a missing group."""
    before = Post.objects.count()
    response = api_for(world.outsider).post(
        "/api/v1/posts/", {"group": world.groups[privacy].slug, "body": "Let me in"}
    )
    assert response.status_code == status
    if status == 400:
        assert response.json() == {"group": ["No group has this slug."]}
    assert Post.objects.count() == before


def test_only_leaders_post_announcements(world):
    api_member = api_for(world.member)
    refused = api_member.post(
        "/api/v1/posts/", {"group": "public-group", "body": "Big news", "kind": "announcement"}
    )
    assert refused.status_code == 403
    allowed = api_for(world.leader).post(
        "/api/v1/posts/", {"group": "public-group", "body": "Big news", "kind": "announcement"}
    )
    assert allowed.status_code == 201
    assert AuditEntry.objects.filter(action="announce", post_id=allowed.json()["id"]).exists()


def test_muted_member_cannot_post_or_comment(world):
    api = api_for(world.muted)
    posts, comments = Post.objects.count(), Comment.objects.count()
    post = world.posts["public"]
    assert api.post("/api/v1/posts/", {"group": "public-group", "body": "hi"}).status_code == 403
    assert api.post(f"/api/v1/posts/{post.pk}/comments/", {"body": "hi"}).status_code == 403
    assert (Post.objects.count(), Comment.objects.count()) == (posts, comments)
    # ...but still reads and reacts.
    assert api.get(f"/api/v1/posts/{post.pk}/").status_code == 200
    assert api.post(f"/api/v1/posts/{post.pk}/reactions/", {"kind": "like"}).status_code == 200


def test_author_edits_and_the_old_text_is_kept(world):
    post = world.posts["public"]
    api = api_for(world.member)
    response = api.patch(f"/api/v1/posts/{post.pk}/", {"body": "The new plan #newtopic"})
    assert response.status_code == 200
    assert response.json()["body"] == "The new plan #newtopic"
    assert response.json()["edited_at"] is not None
    assert response.json()["topics"] == ["newtopic"]
    revisions = api_for(world.outsider).get(f"/api/v1/posts/{post.pk}/revisions/").json()
    assert [r["body"] for r in revisions["results"]] == [
        "The publicword plan for #sharedtopic, cc @outsider"
    ]
    assert revisions["results"][0]["edited_by"]["username"] == "member"


@pytest.mark.parametrize("role", ["leader", "owner", "outsider", "admin"])
def test_only_the_author_edits_or_deletes(world, role):
    post = world.posts["public"]
    api = api_for(world.users[role])
    assert api.patch(f"/api/v1/posts/{post.pk}/", {"body": "Mine now"}).status_code == 403
    assert api.delete(f"/api/v1/posts/{post.pk}/").status_code == 403
    post.refresh_from_db()
    assert (post.body.startswith("The publicword"), post.deleted_at) == (True, None)


def test_author_deletes_and_the_post_is_gone_everywhere(world):
    post = world.posts["public"]
    assert api_for(world.member).delete(f"/api/v1/posts/{post.pk}/").status_code == 204
    api = api_for(world.owner)
    assert api.get(f"/api/v1/posts/{post.pk}/").status_code == 404
    assert post.pk not in ids(api.get("/api/v1/groups/public-group/posts/"))
    assert post.pk not in ids(api.get("/api/v1/feed/"))


# --- Comments ------------------------------------------------------------------------------


def test_comment_reply_edit_delete(world):
    post = world.posts["public"]
    api = api_for(world.outsider)
    created = api.post(f"/api/v1/posts/{post.pk}/comments/", {"body": "Nice"})
    assert created.status_code == 201
    comment_id = created.json()["id"]
    reply = api.post(
        f"/api/v1/posts/{post.pk}/comments/",
        {"body": "Replying to a reply", "parent": world.replies["public"].pk},
    )
    assert reply.json()["parent"] == world.comments["public"].pk  # one reply level
    edited = api.patch(f"/api/v1/comments/{comment_id}/", {"body": "Very nice"})
    assert (edited.status_code, edited.json()["body"]) == (200, "Very nice")
    thread = api.get(f"/api/v1/posts/{post.pk}/comments/").json()["results"]
    assert [c["id"] for c in thread] == [world.comments["public"].pk, comment_id]
    assert [r["body"] for r in thread[0]["replies"]] == ["A publicreply", "Replying to a reply"]
    assert api_for(world.member).delete(f"/api/v1/comments/{comment_id}/").status_code == 403
    assert api.delete(f"/api/v1/comments/{comment_id}/").status_code == 204
    assert [c["id"] for c in api.get(f"/api/v1/posts/{post.pk}/comments/").json()["results"]] == [
        world.comments["public"].pk
    ]


def test_comments_closed_refuse_new_comments(world):
    post = world.posts["public"]
    assert (
        api_for(world.leader)
        .post(f"/api/v1/posts/{post.pk}/close-comments/")
        .json()["comments_closed"]
    )
    response = api_for(world.member).post(f"/api/v1/posts/{post.pk}/comments/", {"body": "x"})
    assert response.status_code == 403
    api_for(world.leader).post(f"/api/v1/posts/{post.pk}/open-comments/")
    assert (
        api_for(world.member).post(f"/api/v1/posts/{post.pk}/comments/", {"body": "x"}).status_code
        == 201
    )


def test_asker_accepts_an_answer_and_clears_it(world):
    question = feeds.create_post(
        actor=world.member, group=world.groups["public"], body="How?", kind="question"
    )
    answer = feeds.create_comment(actor=world.leader, post=question, body="Like this")
    url = f"/api/v1/posts/{question.pk}/accept/"
    assert api_for(world.outsider).post(url, {"comment": answer.pk}).status_code == 403
    assert api_for(world.member).post(url, {"comment": answer.pk}).json()["accepted_answer"] == (
        answer.pk
    )
    assert api_for(world.member).post(url, {"comment": None}).json()["accepted_answer"] is None
    other = world.comments["public"]  # a comment on another post
    response = api_for(world.member).post(url, {"comment": other.pk})
    assert (response.status_code, list(response.json())) == (400, ["comment"])


# --- Moderation ----------------------------------------------------------------------------

MODERATION = [
    ("post", "remove/", {"reason": "Off topic"}),
    ("post", "pin/", {}),
    ("post", "close-comments/", {}),
    ("comment", "remove/", {"reason": "Rude"}),
]


def _state(world):
    post, comment = world.posts["public"], world.comments["public"]
    post.refresh_from_db()
    comment.refresh_from_db()
    return (
        post.removed_at,
        post.pinned_at,
        post.comments_closed,
        comment.removed_at,
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize(("target", "action", "body"), MODERATION)
@pytest.mark.parametrize("role", ["member", "muted", "outsider", "former"])
def test_non_leaders_cannot_moderate(world, role, target, action, body):
    before = _state(world)
    obj = world.posts["public"] if target == "post" else world.comments["public"]
    response = api_for(world.users[role]).post(f"/api/v1/{target}s/{obj.pk}/{action}", body)
    assert response.status_code == 403
    assert _state(world) == before


@pytest.mark.parametrize(("target", "action", "body"), MODERATION)
@pytest.mark.parametrize("role", ["leader", "owner", "admin"])
def test_leaders_moderate_with_an_audit_entry(world, role, target, action, body):
    obj = world.posts["public"] if target == "post" else world.comments["public"]
    response = api_for(world.users[role]).post(f"/api/v1/{target}s/{obj.pk}/{action}", body)
    assert response.status_code in (200, 204)
    entry = AuditEntry.objects.filter(group=world.groups["public"]).first()
    assert entry.actor == world.users[role]
    assert entry.reason == body.get("reason", "")


def test_outsider_cannot_moderate_a_private_post_they_cannot_see(world):
    post = world.posts["private"]
    response = api_for(world.outsider).post(f"/api/v1/posts/{post.pk}/pin/")
    assert response.status_code == 404
    post.refresh_from_db()
    assert post.pinned_at is None


def test_removed_post_needs_a_reason(world):
    post = world.posts["public"]
    response = api_for(world.leader).post(f"/api/v1/posts/{post.pk}/remove/", {"reason": "  "})
    assert (response.status_code, list(response.json())) == (400, ["reason"])
    post.refresh_from_db()
    assert post.removed_at is None


def test_pin_and_unpin(world):
    post = world.posts["public"]
    api = api_for(world.leader)
    assert api.post(f"/api/v1/posts/{post.pk}/pin/").json()["pinned"] is True
    assert api.post(f"/api/v1/posts/{post.pk}/unpin/").json()["pinned"] is False


# --- Topics and follows -------------------------------------------------------------------


def test_follow_a_topic_brings_its_readable_posts_to_my_feed(world):
    api = api_for(world.outsider)
    public = world.posts["public"].pk
    assert public not in ids(api.get("/api/v1/feed/"))
    assert api.post("/api/v1/topics/sharedtopic/follow/").json() == {"following": True}
    feed = ids(api.get("/api/v1/feed/"))
    assert public in feed
    assert world.posts["private"].pk not in feed and world.posts["secret"].pk not in feed
    assert api.delete("/api/v1/topics/sharedtopic/follow/").json() == {"following": False}
    assert not TopicFollow.objects.filter(user=world.outsider).exists()
    assert api.post("/api/v1/topics/nosuchtopic/follow/").status_code == 404


def test_follow_a_person_brings_their_readable_posts_to_my_feed(world):
    api = api_for(world.outsider)
    assert api.post("/api/v1/people/member/follow/").json() == {"following": True}
    feed = ids(api.get("/api/v1/feed/"))
    assert world.posts["public"].pk in feed and world.posts["secret"].pk not in feed
    assert api.delete("/api/v1/people/member/follow/").status_code == 200
    assert not PersonFollow.objects.filter(follower=world.outsider).exists()
    assert api.post("/api/v1/people/ghost/follow/").status_code == 404
    response = api.post("/api/v1/people/outsider/follow/")
    assert (response.status_code, list(response.json())) == (400, ["person"])


def test_person_posts_of_unknown_person_is_404(world):
    assert api_for(world.member).get("/api/v1/people/ghost/posts/").status_code == 404


# --- Pages ---------------------------------------------------------------------------------


def test_cursor_pages_cover_every_post_once(world):
    for i in range(7):
        feeds.create_post(actor=world.member, group=world.groups["public"], body=f"Post {i}")
    api = api_for(world.member)
    url, seen = "/api/v1/groups/public-group/posts/?page_size=3", []
    while url:
        body = api.get(url).json()
        seen += [p["id"] for p in body["results"]]
        url = body["next"]
    assert len(seen) == 8 and len(set(seen)) == 8
    assert seen == sorted(seen, reverse=True)


# --- Bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"body": "hello"}, "group"),
        ({"group": "public-group"}, "body"),
        ({"group": "public-group", "body": ""}, "body"),
        ({"group": "public-group", "body": "   "}, "body"),
        ({"group": "public-group", "body": ["a list"]}, "body"),
        ({"group": "public-group", "body": {"an": "object"}}, "body"),
        ({"group": "public-group", "body": "x" * 50_000}, "body"),
        ({"group": "public-group", "body": "nul \x00 byte"}, "body"),
        ({"group": "public-group", "body": "hi", "kind": "poem"}, "kind"),
        ({"group": "public-group", "body": "hi", "author": "owner"}, "author"),
        ({"group": "no-such-group", "body": "hi"}, "group"),
        ({"group": 12, "body": "hi"}, "group"),
        ([1, 2], "non_field_errors"),
    ],
)
def test_bad_post_is_400_naming_the_field(world, body, field):
    before = Post.objects.count()
    response = api_for(world.member).post("/api/v1/posts/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Post.objects.count() == before


@pytest.mark.parametrize("text", ["Ünïcödé 🎉🚀 emoji", "مرحبا بالعالم", "‮reversed‬ text"])
def test_emoji_and_right_to_left_text_are_fine(world, text):
    response = api_for(world.member).post("/api/v1/posts/", {"group": "public-group", "body": text})
    assert response.status_code == 201
    assert response.json()["body"] == text


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("comments/", {}, "body"),
        ("comments/", {"body": "x" * 50_000}, "body"),
        ("comments/", {"body": "a\x00b"}, "body"),
        ("comments/", {"body": "hi", "parent": 999_999}, "parent"),
        ("comments/", {"body": "hi", "parent": "first"}, "parent"),
        ("comments/", {"body": "hi", "post": 1}, "post"),
        ("reactions/", {"kind": "love"}, "kind"),
        ("reactions/", {}, "kind"),
        ("reactions/", {"kind": ["like"]}, "kind"),
        ("accept/", {}, "comment"),
        ("accept/", {"comment": "best"}, "comment"),
        ("remove/", {}, "reason"),
        ("remove/", {"reason": "x" * 50_000}, "reason"),
    ],
)
def test_bad_post_action_is_400_naming_the_field(world, path, body, field):
    post = world.posts["public"]
    counts = (Comment.objects.count(), Reaction.objects.count())
    response = api_for(world.leader).post(f"/api/v1/posts/{post.pk}/{path}", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert (Comment.objects.count(), Reaction.objects.count()) == counts


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "body"), ({"body": "x" * 50_000}, "body"), ({"body": "hi", "kind": "poem"}, "kind")],
)
def test_bad_post_edit_is_400_and_changes_nothing(world, body, field):
    post = world.posts["public"]
    response = api_for(world.member).patch(f"/api/v1/posts/{post.pk}/", body, format="json")
    assert (response.status_code, field in response.json()) == (400, True)
    post.refresh_from_db()
    assert post.edited_at is None


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/feed/",
        "/api/v1/groups/public-group/posts/",
        "/api/v1/topics/sharedtopic/posts/",
        "/api/v1/people/member/posts/",
        "/api/v1/posts/{post}/revisions/",
    ],
)
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cursor": "garbage!"}, "cursor"),
        ({"cursor": "WzEsMiwzXQ"}, "cursor"),  # base64 JSON of the wrong shape
        ({"cursor": "WyJub3QgYSBkYXRlIiwxXQ"}, "cursor"),  # ["not a date",1]
        ({"page_size": "many"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "1000"}, "page_size"),
    ],
)
def test_bad_list_parameters_are_400_naming_the_field(world, url, params, field):
    response = api_for(world.member).get(url.format(post=world.posts["public"].pk), params)
    assert response.status_code == 400
    assert field in response.json()


def test_unknown_ids_are_404(world):
    api = api_for(world.member)
    assert api.get("/api/v1/posts/999999/").status_code == 404
    assert api.get("/api/v1/posts/999999/comments/").status_code == 404
    assert api.patch("/api/v1/comments/999999/", {"body": "x"}).status_code == 404
    assert api.get("/api/v1/topics/nosuchtopic/posts/").status_code == 404


# --- Query counts --------------------------------------------------------------------------


@pytest.fixture
def busy_group(db):
    """A public group with 25 posts, each with an attachment and a topic."""
    author = make_person("writer").user
    group = groups.create_group(actor=author, name="Busy")
    start = timezone.now() - dt.timedelta(days=1)
    for i in range(25):
        post = feeds.create_post(
            actor=author,
            group=group,
            body=f"Post {i} #busy",
            attachments=[SimpleUploadedFile(f"{i}.txt", b"x", content_type="text/plain")],
        )
        Post.objects.filter(pk=post.pk).update(created_at=start + dt.timedelta(minutes=i))
    return group


def _make_busy(group, per_post: int) -> None:
    people = [make_person(f"fan{i}").user for i in range(per_post)]
    for post in Post.objects.filter(group=group):
        Comment.objects.bulk_create(
            Comment(post=post, author=p, body="c", body_html="<p>c</p>") for p in people
        )
        Reaction.objects.bulk_create(Reaction(post=post, user=p, kind="like") for p in people)
    feeds.recount_posts(Post.objects.filter(group=group))


# Home feed: the viewer's roles (read with the token in production: people.authentication;
# a forced login in a test reads them apart); the page of posts (ids, versions and my
# reactions, one query: feeds.selectors.home_feed_page); the posts whose cards are not cached
# yet, whole (with group, author, profile and counters); their latest comments, topics and
# attachments. Cards cached by an earlier request skip the four queries that are the same
# for every reader (test_cards_*). Was 7: my reactions were a query of their own.
FEED_QUERIES = 6
# Group posts: the page of posts, the roles, the four card queries and my reactions, plus
# the group (get_listed_group) and my membership (can_read: public groups need none, so the
# group is made private for the count).
GROUP_POSTS_QUERIES = 9


@pytest.mark.parametrize("per_post", [0, 10])
@pytest.mark.parametrize("size", [3, 20])
def test_feed_query_count_is_constant(busy_group, django_assert_num_queries, size, per_post):
    from django.contrib.auth import get_user_model

    viewer = make_person("viewer").user
    groups.join_group(actor=viewer, group=busy_group)
    _make_busy(busy_group, per_post)
    api = api_for(get_user_model().objects.get(pk=viewer.pk))  # a cold role cache
    with django_assert_num_queries(FEED_QUERIES):
        response = api.get("/api/v1/feed/", {"page_size": size})
    assert len(response.json()["results"]) == size
    assert response.json()["results"][0]["comment_count"] == per_post


@pytest.mark.parametrize("per_post", [0, 10])
@pytest.mark.parametrize("size", [3, 20])
def test_group_posts_query_count_is_constant(busy_group, django_assert_num_queries, size, per_post):
    from django.contrib.auth import get_user_model

    viewer = make_person("viewer").user
    groups.invite_member(actor=busy_group.created_by, group=busy_group, user=viewer)
    busy_group.privacy = "private"
    busy_group.save()
    _make_busy(busy_group, per_post)
    api = api_for(get_user_model().objects.get(pk=viewer.pk))
    with django_assert_num_queries(GROUP_POSTS_QUERIES):
        response = api.get(f"/api/v1/groups/{busy_group.slug}/posts/", {"page_size": size})
    assert len(response.json()["results"]) == size
    assert response.json()["results"][0]["reactions"] == ({"like": per_post} if per_post else {})


def test_topics_only_in_a_secret_group_look_like_unknown_topics(world):
    feeds.create_post(actor=world.member, group=world.groups["secret"], body="#skunkworks go")
    outsider = api_for(world.outsider)
    for name in ("skunkworks", "nosuchtopic"):
        assert outsider.get(f"/api/v1/topics/{name}/posts/").status_code == 404
        assert outsider.post(f"/api/v1/topics/{name}/follow/").status_code == 404
        assert outsider.delete(f"/api/v1/topics/{name}/follow/").json() == {"following": False}
    assert not TopicFollow.objects.filter(user=world.outsider).exists()
    member = api_for(world.member)
    assert member.get("/api/v1/topics/skunkworks/posts/").status_code == 200
    assert member.post("/api/v1/topics/skunkworks/follow/").json() == {"following": True}


# --- Cached cards ---------------------------------------------------------------------------


def test_cards_cached_by_an_earlier_request_save_the_shared_queries(
    busy_group, django_assert_num_queries
):
    from django.contrib.auth import get_user_model

    viewer = make_person("viewer").user
    groups.join_group(actor=viewer, group=busy_group)
    _make_busy(busy_group, 3)
    first = api_for(viewer).get("/api/v1/feed/", {"page_size": 20}).json()
    api = api_for(get_user_model().objects.get(pk=viewer.pk))  # a cold role cache, as above
    with django_assert_num_queries(FEED_QUERIES - 4):
        again = api.get("/api/v1/feed/", {"page_size": 20}).json()
    assert again == first


def test_every_change_to_a_post_shows_at_once_through_the_cached_card(world):
    post = world.posts["public"]
    reader = api_for(world.outsider)

    def card():
        return reader.get(f"/api/v1/posts/{post.pk}/").json()

    before = card()
    comment = feeds.create_comment(actor=world.member, post=post, body="A new thought")
    after_comment = card()
    assert after_comment["comment_count"] == before["comment_count"] + 1
    assert after_comment["latest_comments"][-1]["id"] == comment.pk
    feeds.toggle_reaction(actor=world.member, post=post, kind="celebrate")
    assert card()["reactions"].get("celebrate") == before["reactions"].get("celebrate", 0) + 1
    feeds.edit_post(actor=post.author, post=post, body="Edited words")
    assert "Edited words" in card()["body_html"]
    moderation.pin_post(actor=world.leader, post=post)
    assert card()["pinned"] is True
    moderation.remove_comment(actor=world.leader, comment=comment, reason="Off topic")
    after_removal = card()
    assert after_removal["comment_count"] == before["comment_count"]
    assert comment.pk not in [c["id"] for c in after_removal["latest_comments"]]


def test_my_reactions_are_never_shared_through_a_cached_card(world):
    post = world.posts["public"]
    assert feeds.toggle_reaction(actor=world.member, post=post, kind="insightful") is True
    member_card = api_for(world.member).get(f"/api/v1/posts/{post.pk}/").json()
    outsider_card = api_for(world.outsider).get(f"/api/v1/posts/{post.pk}/").json()
    assert "insightful" in member_card["my_reactions"]
    assert outsider_card["my_reactions"] == []
    assert outsider_card["reactions"] == member_card["reactions"]


def test_counters_follow_comments_and_reactions_taken_back_once(world):
    post = world.posts["public"]
    start = Post.objects.get(pk=post.pk)
    comment = feeds.create_comment(actor=world.member, post=post, body="x")
    feeds.delete_comment(actor=world.member, comment=comment)
    moderation.remove_comment(actor=world.leader, comment=comment, reason="again")
    assert feeds.toggle_reaction(actor=world.member, post=post, kind="support") is True
    assert feeds.toggle_reaction(actor=world.member, post=post, kind="support") is False
    post.refresh_from_db()
    assert post.comment_count == start.comment_count
    assert post.support_count == start.support_count
    assert post.version > start.version
