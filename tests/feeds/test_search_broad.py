"""Broad, phrase and windowed search: what a searcher still gets when a word is everywhere.

At a million posts a word found in a quarter of them is ranked only among the RANK_WINDOW
newest readable matches (feeds.search.body_search); these tests hold what that must not
cost: the best of the recent matches first, a secret group's posts never shown to someone
outside it (the window is cut from readable posts, inside the query), a quoted phrase
matching the phrase and not its words apart, and a fixed number of queries per request.
Both backends (PostgreSQL: full-text; SQLite: every word and phrase, newest first).
"""

import pytest
from django.db import connection

from feeds import search
from feeds import services as feeds

from .test_search import api_search, narrow_rank_window, page_text

pytestmark = pytest.mark.django_db

FULLTEXT = connection.vendor == "postgresql"
# "a or b" is websearch syntax (PostgreSQL); SQLite asks for every word.
EITHER = ["budget or review"] if FULLTEXT else []


def ids(body) -> list[int]:
    return [hit["id"] for hit in body["results"]]


def test_a_broad_word_returns_the_most_relevant_recent_posts(world, monkeypatch):
    """The window keeps the newest matches; among them the best-ranked come first (on
    SQLite: the newest first). An old post outside the window is not ranked above them."""
    public = world.groups["public"]
    old_strong = feeds.create_post(actor=world.member, group=public, body="budget budget budget")
    weak = [
        feeds.create_post(actor=world.member, group=public, body=f"A budget note, number {i}.")
        for i in range(4)
    ]
    strong = feeds.create_post(
        actor=world.member, group=public, body="Budget: the budget review of the budget."
    )
    feeds.create_post(actor=world.member, group=public, body="Nothing about money here.")
    newest = feeds.create_post(actor=world.member, group=public, body="One budget line.")
    narrow_rank_window(monkeypatch, 6)
    body = api_search(world.outsider, "budget", type="posts")
    found = ids(body)
    if FULLTEXT:
        assert body["counts"]["posts"] == 6  # the window: the six newest matches
        assert old_strong.pk not in found
        assert found[0] == strong.pk
        assert set(found[1:]) == {newest.pk, *(p.pk for p in weak)}
    else:  # no window: every match, newest first
        assert body["counts"]["posts"] == 7
        everything = [newest.pk, strong.pk, *(p.pk for p in reversed(weak)), old_strong.pk]
        assert found == everything[: len(found)]


@pytest.mark.skipif(not FULLTEXT, reason="either-or queries are websearch syntax")
def test_an_either_or_query_ranks_posts_with_more_of_its_words_first(world):
    public = world.groups["public"]
    one = feeds.create_post(actor=world.member, group=public, body="Invoice sent.")
    three = feeds.create_post(
        actor=world.member, group=public, body="Invoice, budget and meeting: all three."
    )
    feeds.create_post(actor=world.member, group=public, body="Lunch plans.")
    body = api_search(world.outsider, "invoice or budget or meeting", type="posts")
    assert ids(body) == [three.pk, one.pk]


@pytest.mark.parametrize("q", ["budget", '"budget review"', *EITHER])
def test_a_secret_groups_post_never_appears_for_non_members(world, monkeypatch, q):
    """However broad the query and however well the secret post ranks, someone outside the
    secret group never sees it (results or counts); its members do."""
    public, secret = world.groups["public"], world.groups["secret"]
    for i in range(5):
        feeds.create_post(actor=world.member, group=public, body=f"budget review {i}")
    hidden = feeds.create_post(
        actor=world.member, group=secret, body="budget review budget review budget review"
    )
    narrow_rank_window(monkeypatch, 3)  # the secret post is the newest match
    for name in ("outsider", "former"):
        body = api_search(world.users[name], q, type="posts")
        assert hidden.pk not in ids(body)
        assert body["counts"]["posts"] == (3 if FULLTEXT else 5)
        assert "budget review budget" not in page_text(world.users[name], q, type="posts")
    body = api_search(world.member, q, type="posts")
    assert ids(body)[0] == hidden.pk


def test_a_quoted_phrase_matches_the_phrase_not_its_words_apart(world):
    public = world.groups["public"]
    phrase = feeds.create_post(actor=world.member, group=public, body="The invoice review is due.")
    feeds.create_post(actor=world.member, group=public, body="Review the invoice, please.")
    feeds.create_post(actor=world.member, group=public, body="An invoice; a separate review.")
    body = api_search(world.outsider, '"invoice review"', type="posts")
    assert ids(body) == [phrase.pk]
    assert body["counts"]["posts"] == 1
    both = api_search(world.outsider, "invoice review", type="posts")
    assert both["counts"]["posts"] == 3


# Per request (after a first one, as the searcher's roles are remembered): one count
# per kind (posts, comments, people, groups, topics, knowledge), the posts page, whose hits
# come with their group and author (select_related), and the visibility lookups they share:
# no query per result. On PostgreSQL the full-text page carries its own count
# (feeds.search.results._windowed): one query fewer; but it is read in two queries (the ranked
# ids with the window's size, then those rows for display, feeds.search.results._fill_ranked:
# joining the display rows for the whole 1,000-row window cost more than the query), so
# seven on both. A bare #topic asks nothing of comments and people (topics belong to
# posts; people have none).
WORDS_QUERIES = 7
TOPIC_QUERIES = 5


@pytest.mark.parametrize("q", ["budget", '"budget review"', "#sharedtopic", *EITHER])
def test_search_queries_are_pinned_whatever_the_number_of_results(
    world, django_assert_num_queries, q
):
    from .test_search import api_for

    client = api_for(world.outsider)
    public = world.groups["public"]
    for n in (1, 25):
        for i in range(n):
            feeds.create_post(
                actor=world.member, group=public, body=f"budget review {i} #sharedtopic"
            )
        client.get("/api/v1/search/", {"q": q, "type": "posts"})  # roles remembered, as usual
        with django_assert_num_queries(TOPIC_QUERIES if q[0] == "#" else WORDS_QUERIES):
            response = client.get("/api/v1/search/", {"q": q, "type": "posts"})
        assert response.status_code == 200
        assert response.json()["results"]


@pytest.mark.parametrize(
    ("q", "pairs"),
    [
        ('"invoice review"', ("invoice review",)),
        ('"the invoice review" budget', ("invoice review",)),
        ('"Invoice review board" "budget plan"', ("Invoice review", "review board", "budget plan")),
        ('"invoice of the review"', ()),  # stop words between: no adjacent stored pair
        ('"invoice, review"', ()),  # punctuation: not checked here, the tsquery decides
        ('"invoice review 1:2"', ("invoice review",)),  # only the plain words' pair
        ('"invoice review" or budget', ()),  # the phrase may be absent from a match
        ('budget -"invoice review"', ()),  # a match must not hold it
        ("invoice review", ()),
    ],
)
def test_only_plain_adjacent_words_of_a_required_phrase_narrow_by_word_pairs(q, pairs):
    """The word pairs index (migration 0008) may only narrow what the tsquery would match:
    pairs of plain words side by side in a phrase every match holds."""
    assert search.required_word_pairs(search.parse_query(q)) == pairs


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ('"invoice review"', {"phrase", "stemmed"}),
        ('"invoice reviews" budget', {"stemmed"}),
        ('"invoice review" or budget', {"phrase", "stemmed", "budget"}),
        ('invoice -"invoice review"', {"apart", "stop"}),
        ('"invoice of the review"', {"stop"}),
        ('"the invoice review is due"', {"phrase"}),
    ],
)
def test_phrases_with_and_without_word_pairs_find_the_same_posts(world, q, found):
    """Whether or not the word pairs narrow a phrase, the posts found are those holding it
    (stemmed on PostgreSQL), with an OR and a negation meaning what they say."""
    public = world.groups["public"]
    posts = {
        "phrase": "The invoice review is due.",
        "stemmed": "Invoices reviewed: the invoice reviews and the budget.",
        "apart": "Review the invoice, please.",
        "budget": "A budget only.",
        "stop": "An invoice of the review board.",
    }
    made = {
        k: feeds.create_post(actor=world.member, group=public, body=b) for k, b in posts.items()
    }
    if not FULLTEXT:  # SQLite: every word and the phrase as typed, no stems, no operators
        return
    body = api_search(world.outsider, q, type="posts")
    assert set(ids(body)) == {made[k].pk for k in found}
    assert body["counts"]["posts"] == len(found)
    alone = api_search(world.outsider, q, type="people")  # posts counted on their own
    assert alone["counts"]["posts"] == len(found)


@pytest.mark.skipif(not FULLTEXT, reason="word pairs are a PostgreSQL index")
@pytest.mark.parametrize("kind", ["posts", "comments"])
def test_a_phrase_reads_the_word_pairs_index(committed_world, kind):
    """With enough rows for the planner to care, a quoted phrase of two common words is
    found through the GIN index of its word pairs (migration 0008), not by reading every
    row that holds both words; and the function is never called row by row as a filter."""
    world = committed_world
    from feeds.models import Comment, Post

    group, author, post = world.groups["public"], world.member, world.posts["public"]
    bodies = [f"invoice {i} and review {i}, invoice then review" for i in range(3000)]
    bodies += ["the invoice review"] * 5
    if kind == "posts":
        Post.objects.bulk_create([Post(group=group, author=author, body=b) for b in bodies])
    else:
        Comment.objects.bulk_create([Comment(post=post, author=author, body=b) for b in bodies])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE feeds_post")
        cursor.execute("VACUUM ANALYZE feeds_comment")
    query = search.parse_query('"invoice review"')
    matching = search.posts_matching if kind == "posts" else search.comments_matching
    for counting in (True, False):
        plan = matching(world.member, query, counting=counting).order_by().explain()
        index = "post_search_pairs" if kind == "posts" else "comment_search_pairs"
        assert f"Bitmap Index Scan on {index}" in plan, plan
        assert "Filter: (feeds_word_pairs" not in plan, plan
    assert matching(world.member, query, counting=True).count() == 5
