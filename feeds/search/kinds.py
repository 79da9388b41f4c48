"""The built-in kinds of result, each from its visibility selector: posts and comments
(their bodies, and #topics), people, groups, and topics with a post the searcher may read."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from groups.selectors import listed_groups
from people.selectors import profiles_with_words, visible_profiles

from ..models import Comment, Post, Topic
from ..selectors import searchable_comments, searchable_posts, visible_posts
from .matching import _all_words, body_matches, body_search
from .query import ParsedQuery
from .snippets import _Markers


def _tagged(hashtags: tuple[str, ...], prefix: str = "") -> Q:
    """Posts (or comments, via `prefix`) carrying every one of `hashtags` as a topic."""
    condition = Q()
    for name in hashtags:
        tagged = Post.topics.through.objects.filter(topic__name=name).values("post_id")
        condition &= Q(**{f"{prefix}id__in": tagged})
    return condition


def readable_bodies(kind: str, user, hashtags: tuple[str, ...]) -> QuerySet:
    """The posts or comments (`kind`) `user` may read that carry every one of `hashtags`:
    what a search of either kind matches its words in."""
    if kind == "posts":
        return searchable_posts(user).filter(_tagged(hashtags))
    return searchable_comments(user).filter(_tagged(hashtags, prefix="post__"))


def posts_matching(
    user, query: ParsedQuery, *, markers: _Markers | None = None, counting: bool = False
) -> QuerySet[Post]:
    """Posts `user` may read that match; with `markers`, loaded for display with headlines;
    `counting`: unordered and unranked (count_matches)."""
    posts = readable_bodies("posts", user, query.hashtags)
    if counting:
        return body_matches(posts, query, pairs=True)
    posts = body_search(posts, query, markers, pairs=True)
    if markers is not None:
        posts = posts.select_related("group", "author__profile")
    return posts


def comments_matching(
    user, query: ParsedQuery, *, markers: _Markers | None = None, counting: bool = False
) -> QuerySet[Comment]:
    if not query.words:  # topics belong to posts; a bare #topic finds posts, not comments
        return Comment.objects.none()
    comments = readable_bodies("comments", user, query.hashtags)
    if counting:
        return body_matches(comments, query, pairs=True)
    comments = body_search(comments, query, markers, pairs=True)
    if markers is not None:
        comments = comments.select_related("post__group", "author__profile")
    return comments


def people_matching(user, query: ParsedQuery):
    if not query.words:
        return visible_profiles(user).none()
    return profiles_with_words(user, query.words).order_by("display_name", "id")


def groups_matching(user, query: ParsedQuery):
    words = query.words + query.hashtags
    if not words:
        return listed_groups(user).none()
    return groups_with_words(user, words).order_by("name", "id")


def groups_with_words(user, words: tuple[str, ...]) -> QuerySet:
    """Groups `user` may know of holding every one of `words` in their name or description
    (unordered: groups_matching orders them, a count needs no order)."""
    return listed_groups(user).filter(_all_words(words, ("name", "description")))


def topics_matching(user, query: ParsedQuery) -> QuerySet[Topic]:
    """Topics named like the query that have at least one post `user` may read."""
    names = query.hashtags + query.words
    if not names:
        return Topic.objects.none()
    return (
        topics_named(user, topic_names(query))
        .annotate(exact=Q(name__in=[n.lower() for n in names]))
        .order_by("-exact", "name")
    )


def topic_names(query: ParsedQuery) -> tuple[str, ...]:
    """What a topic's name may contain to match `query` (any one of them)."""
    return tuple(name.lstrip("#").lower() for name in query.hashtags + query.words)


def topics_named(user, names: tuple[str, ...]) -> QuerySet[Topic]:
    """Topics whose name contains one of `names`, with a post `user` may read (unordered:
    topics_matching orders them, a count needs no order)."""
    condition = Q()
    for name in names:
        condition |= Q(name__icontains=name)
    readable = visible_posts(user).filter(topics=OuterRef("pk"))
    return Topic.objects.filter(condition).filter(Exists(readable))
