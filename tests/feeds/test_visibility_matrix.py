"""The one permission matrix, at the selectors every surface is built on.

Roles x group privacies x kinds of content: a reader sees exactly what the table in
tests/feeds/world.py says, through every selector (feeds, post by id, comments, topic and
person feeds, group listing). Pages, fragments, API and search repeat it on their own
surfaces in their own tests.
"""

import pytest
from django.http import Http404

from feeds import moderation
from feeds import selectors as feeds
from groups import selectors as groups

from .world import KNOWERS, MODERATORS, PRIVACIES, READERS

pytestmark = pytest.mark.django_db

ROLES = ("owner", "leader", "member", "muted", "former", "outsider", "admin")
CASES = [(role, privacy) for role in ROLES for privacy in PRIVACIES]


@pytest.mark.parametrize(("role", "privacy"), CASES)
def test_posts_and_comments(world, role, privacy):
    user, post = world.users[role], world.posts[privacy]
    may_read = role in READERS[privacy]
    assert feeds.visible_posts(user).filter(pk=post.pk).exists() == may_read
    assert feeds.visible_comments(user).filter(post=post).count() == (2 if may_read else 0)
    if may_read:
        assert feeds.get_visible_post(user, post.pk) == post
        assert [c.body for c in feeds.thread_of(user, post).items] == [
            f"A {privacy}comment from a leader"
        ]
    else:
        with pytest.raises(Http404):
            feeds.get_visible_post(user, post.pk)
        with pytest.raises(Http404):
            feeds.get_visible_comment(user, world.comments[privacy].pk)


@pytest.mark.parametrize(("role", "privacy"), CASES)
def test_topic_person_and_home_feeds(world, role, privacy):
    user, post = world.users[role], world.posts[privacy]
    may_read = role in READERS[privacy]
    topic = feeds.get_topic("sharedtopic")
    assert feeds.topic_feed(user, topic).filter(pk=post.pk).exists() == may_read
    assert feeds.person_feed(user, world.member).filter(pk=post.pk).exists() == may_read
    in_home = feeds.home_feed(user).filter(pk=post.pk).exists()
    is_member = role in {"owner", "leader", "member", "muted"}
    assert in_home == is_member  # home: my groups (admins read all but follow none)


@pytest.mark.parametrize(("role", "privacy"), CASES)
def test_group_listing_and_members(world, role, privacy):
    user, group = world.users[role], world.groups[privacy]
    assert groups.listed_groups(user).filter(pk=group.pk).exists() == (role in KNOWERS[privacy])
    assert groups.readable_groups(user).filter(pk=group.pk).exists() == (role in READERS[privacy])
    member_names = {m.user.username for m in groups.members(user, group)}
    if role in READERS[privacy]:
        assert member_names == {"owner", "leader", "member", "muted"}
    else:
        assert member_names == set()
    assert groups.can_moderate(user, group) == (role in MODERATORS)
    assert bool(groups.audit_log(user, group).exists()) == (role in MODERATORS)


@pytest.mark.parametrize("privacy", PRIVACIES)
def test_decorated_posts_show_counts_and_my_reactions(world, privacy):
    post = feeds.decorate_posts([world.posts[privacy]], viewer=world.member)[0]
    assert post.comment_count == 2
    assert post.reaction_counts == {"like": 1}
    assert post.my_reactions == {"like"}
    assert post.topic_names == ["sharedtopic"]
    assert [c.body for c in post.latest_comments] == [
        f"A {privacy}comment from a leader",
        f"A {privacy}reply",
    ]


def test_former_member_loses_access_at_once(world):
    from groups import services

    group = world.groups["private"]
    assert feeds.visible_posts(world.member).filter(group=group).exists()
    services.leave_group(actor=world.member, group=group)
    assert not feeds.visible_posts(world.member).filter(group=group).exists()
    assert not groups.members(world.member, group).exists()


def test_removed_and_deleted_posts_vanish_for_everyone(world):
    from feeds import services as feed_services

    public, private = world.posts["public"], world.posts["private"]
    moderation.remove_post(actor=world.leader, post=public, reason="Off topic")
    feed_services.delete_post(actor=world.member, post=private)
    for role in ("owner", "member", "admin", "outsider"):
        visible = feeds.visible_posts(world.users[role])
        assert not visible.filter(pk__in=[public.pk, private.pk]).exists()
        assert (
            not feeds.visible_comments(world.users[role])
            .filter(post__in=[public, private])
            .exists()
        )


# Latest comments, topics, attachments, my reactions; and one per card extension registered
# in feeds.cards (polls, events) when no post on the page has one.
DECORATE_QUERIES = 6


def test_decorate_posts_query_count_is_constant(world, django_assert_num_queries):
    from feeds import services as feed_services

    posts = list(feeds.for_display(feeds.visible_posts(world.admin)))
    with django_assert_num_queries(DECORATE_QUERIES):
        feeds.decorate_posts(posts, viewer=world.admin)
    for i in range(10):
        feed_services.create_comment(actor=world.leader, post=world.posts["public"], body=f"c{i}")
        feed_services.toggle_reaction(
            actor=world.users[("owner", "leader", "member", "muted")[i % 4]],
            post=world.posts["public"],
            kind=("like", "celebrate", "support")[i % 3],
        )
    posts = list(feeds.for_display(feeds.visible_posts(world.admin)))
    with django_assert_num_queries(DECORATE_QUERIES):
        decorated = feeds.decorate_posts(posts, viewer=world.admin)
    public = next(p for p in decorated if p.pk == world.posts["public"].pk)
    assert public.comment_count == 12 and len(public.latest_comments) == 2
