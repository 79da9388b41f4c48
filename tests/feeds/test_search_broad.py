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

from .test_search import api_search, page_text

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
    monkeypatch.setattr(search, "RANK_WINDOW", 6)
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
    monkeypatch.setattr(search, "RANK_WINDOW", 3)  # the secret post is the newest match
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
# (feeds.search._windowed): one query fewer. A bare #topic asks nothing of comments and
# people (topics belong to posts; people have none).
WORDS_QUERIES = 6 if FULLTEXT else 7
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
