"""Search returns only what the searcher may read: results, counts, snippets and names.

SECURITY.md leak class 2: a word that appears only in a group the searcher cannot read
gives zero results, zero counts, no snippet and no facet, on the page and in the API.
The same tests run on SQLite (LIKE) and PostgreSQL (full-text search).
"""

import re

import pytest
from django.contrib.auth.models import Group as Role
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from feeds import search
from feeds import services as feeds
from feeds.models import Comment, Post
from groups import services as groups

from ..conftest import client_for
from ..factories import make_person
from ..xss import assert_inert, payloads
from .world import KNOWERS, PRIVACIES, READERS

pytestmark = pytest.mark.django_db

ROLES = ("owner", "leader", "member", "muted", "former", "outsider", "admin")
CASES = [(role, privacy) for role in ROLES for privacy in PRIVACIES]
ZERO = dict.fromkeys(search.search_types(), 0)


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def api_search(user, q, **params):
    response = api_for(user).get("/api/v1/search/", {"q": q, **params})
    assert response.status_code == 200, response.content
    return response.json()


def page_text(user, q, **params) -> str:
    response = client_for(user).get("/search/", {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


def narrow_rank_window(monkeypatch, size: int) -> None:
    """RANK_WINDOW set to `size` where the search reads it: body_search (feeds.search.matching)
    and the counts (feeds.search.results)."""
    for module in (search.matching, search.results):
        monkeypatch.setattr(module, "RANK_WINDOW", size)


# --- the permission matrix --------------------------------------------------------------


@pytest.mark.parametrize(("role", "privacy"), CASES)
def test_words_of_a_group_are_found_only_by_its_readers(world, role, privacy):
    user = world.users[role]
    may_read = role in READERS[privacy]
    expected = {
        f"{privacy}word": ("posts", world.posts[privacy].pk),
        f"{privacy}comment": ("comments", world.comments[privacy].pk),
        f"{privacy}reply": ("comments", world.replies[privacy].pk),
    }
    for word, (kind, pk) in expected.items():
        body = api_search(user, word)
        if may_read:
            assert body["counts"] == {**ZERO, kind: 1}, word
            [hit] = body["results"]
            assert (hit["type"], hit["id"]) == (kind, pk)
            assert f"<mark>{word}</mark>" in hit["snippet"]
            assert hit["group"]["name"] == f"{privacy.title()} group"
        else:
            assert body["counts"] == ZERO, word
            assert body["results"] == []
        # Each type on its own, as "load more" asks: nothing more, nothing less.
        typed = api_search(user, word, type=kind)
        assert [h["id"] for h in typed["results"]] == ([pk] if may_read else [])
        # The other kinds counted on their own (count_matches: unranked, first matches
        # found) say the same as when their page carried the count.
        other = api_search(user, word, type="people")
        assert other["counts"] == body["counts"], word


@pytest.mark.parametrize(("role", "privacy"), CASES)
def test_the_page_shows_nothing_of_an_unreadable_group(world, role, privacy):
    user = world.users[role]
    may_read = role in READERS[privacy]
    for word, kind in ((f"{privacy}word", "posts"), (f"{privacy}comment", "comments")):
        for params in ({}, {"type": kind}, {"type": "people"}):
            text = page_text(user, word, **params)
            shown = may_read and params.get("type", kind) == kind
            assert ("<mark>" in text) == shown, (word, params)
            assert (f"{privacy.title()} group" in text) == shown
            if not may_read:
                assert "Nothing you can read matches" in text
                assert "plan for" not in text and "from a leader" not in text
                # Every tab's count is zero: no facet betrays the hidden match.
                assert re.findall(r'<span class="count">(\d+)', text) == ["0"] * len(
                    search.search_types()
                )


@pytest.mark.parametrize(("role", "privacy"), CASES)
def test_group_names_are_found_by_who_may_know_them(world, role, privacy):
    user = world.users[role]
    name = f"{privacy.title()} group"
    body = api_search(user, name)
    found = [h["title"] for h in body["results"] if h["type"] == "groups"]
    if role in KNOWERS[privacy]:
        assert found == [name]
        assert body["counts"]["groups"] == 1
    else:
        assert found == [] and body["counts"]["groups"] == 0
        text = page_text(user, name)
        assert 'class="card search-hit"' not in text and "Nothing you can read matches" in text
        assert "The secret group." not in text


def test_secret_group_is_not_findable_by_its_description_or_a_word_of_its_name(world):
    for q in ("secret", "The secret group"):
        for role in ("outsider", "former"):
            body = api_search(world.users[role], q)
            assert body["counts"]["groups"] == 0 and body["results"] == [], (q, role)
        assert api_search(world.member, q)["counts"]["groups"] == 1


def test_topics_appear_only_through_a_readable_post(world):
    feeds.create_post(actor=world.member, group=world.groups["secret"], body="Go #falcon")
    for role in ("outsider", "former"):
        body = api_search(world.users[role], "#falcon")
        assert body["counts"] == ZERO and body["results"] == []
        assert api_search(world.users[role], "falcon")["counts"] == ZERO
    for role in ("member", "admin"):
        body = api_search(world.users[role], "#falcon")
        assert body["counts"]["topics"] == 1 and body["counts"]["posts"] == 1
        assert [h["title"] for h in body["results"] if h["type"] == "topics"] == ["#falcon"]


def test_hashtag_finds_the_posts_with_that_topic(world):
    member = api_search(world.member, "#sharedtopic")
    assert member["counts"]["posts"] == 3
    assert {h["id"] for h in member["results"] if h["type"] == "posts"} == {
        world.posts[p].pk for p in PRIVACIES
    }
    outsider = api_search(world.outsider, "#sharedtopic")
    assert outsider["counts"]["posts"] == 1
    assert [h["id"] for h in outsider["results"] if h["type"] == "posts"] == [
        world.posts["public"].pk
    ]
    assert outsider["counts"]["topics"] == 1  # public post carries it
    # A hashtag and a word: posts with the topic that also say the word.
    assert api_search(world.member, "#sharedtopic privateword")["counts"]["posts"] == 1
    assert api_search(world.outsider, "#sharedtopic privateword")["counts"]["posts"] == 0


def test_deleted_and_removed_content_is_not_found(world):
    feeds.delete_post(actor=world.member, post=world.posts["public"])
    feeds.delete_comment(actor=world.member, comment=world.replies["private"])
    assert api_search(world.member, "publicword")["counts"] == ZERO
    assert api_search(world.member, "publiccomment")["counts"] == ZERO  # its post is gone
    assert api_search(world.member, "privatereply")["counts"] == ZERO
    assert api_search(world.member, "privatecomment")["counts"]["comments"] == 1


def test_people_search_uses_the_directory_rule(world):
    body = api_search(world.outsider, "Muted")
    assert [h["title"] for h in body["results"] if h["type"] == "people"] == ["Muted"]
    world.muted.is_active = False
    world.muted.save()
    assert api_search(world.outsider, "Muted")["counts"]["people"] == 0


def test_people_are_found_by_every_field_and_every_word(world):
    """Name, title and username (folded: case and accents do not matter), "ask me about"
    and the department's name; every word must be in one of them."""
    from people.models import Department

    department = Department.objects.create(name="Zebra Logistics", slug="zebra-logistics")
    make_person(
        "qwertyuser",
        display_name="Zoë Quillfeather",
        title="Chief Yakherder",
        department=department,
        ask_me_about="marmots",
    )
    for q in ("quillfeather", "ZOE", "zoë", "yakherder", "qwertyuser", "marmots", "zebra"):
        body = api_search(world.outsider, q)
        assert body["counts"]["people"] == 1, q
    assert api_search(world.outsider, "quillfeather marmots zebra")["counts"]["people"] == 1
    assert api_search(world.outsider, "quillfeather walrus")["counts"]["people"] == 0


def test_the_api_shows_each_hit_as_its_declared_fields_would(world):
    """SearchHitSerializer reads its fields directly (issue 18): the same as DRF's generic
    to_representation of the declared fields, for every kind of hit."""
    from rest_framework import serializers
    from rest_framework.test import APIRequestFactory

    from feeds.search_views import SearchHitSerializer

    make_person("fieldsperson", display_name="Fields Person", title="Quarterly fields")
    feeds.create_post(actor=world.member, group=world.groups["public"], body="fields #fields")
    groups.create_group(actor=world.owner, name="Fields group", privacy="public")
    request = APIRequestFactory().get("/api/v1/search/")
    hits = [
        hit
        for section in search.search(world.member, "fields").sections.values()
        for hit in section.hits
    ]
    assert {"posts", "people", "groups", "topics"} <= {hit.type for hit in hits}
    for hit in hits:
        serializer = SearchHitSerializer(hit, context={"request": request})
        generic = serializers.Serializer.to_representation(serializer, hit)
        assert serializer.to_representation(hit) == dict(generic)
        assert list(serializer.to_representation(hit)) == list(generic)


def test_a_department_renamed_or_created_is_found_by_its_new_name(
    world, django_capture_on_commit_callbacks
):
    """Department names are matched from a cached list (people.selectors.words.department_names):
    a department saved, however, forgets it, so a search never finds people by a name
    their department no longer has."""
    from people.models import Department

    department = Department.objects.create(name="Walrus Works", slug="walrus-works")
    make_person("patplain", display_name="Pat Plain", department=department)
    assert api_search(world.outsider, "walrus")["counts"]["people"] == 1  # the list is cached
    with django_capture_on_commit_callbacks(execute=True):
        department.name = "Otter Office"
        department.save()
    assert api_search(world.outsider, "walrus")["counts"]["people"] == 0
    assert api_search(world.outsider, "otter")["counts"]["people"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        other = Department.objects.create(name="Narwhal Norms", slug="narwhal-norms")
    make_person("samplain", display_name="Sam Plain", department=other)
    assert api_search(world.outsider, "narwhal")["counts"]["people"] == 1


# --- snippets are inert -----------------------------------------------------------------


def test_snippets_of_the_xss_corpus_render_inert(world):
    corpus = payloads()
    for i, payload in enumerate(corpus):
        feeds.create_post(
            actor=world.member, group=world.groups["public"], body=f"xssprobe {i} {payload}"
        )
    body = api_search(world.outsider, "xssprobe", type="posts", page_size=50)
    assert body["counts"]["posts"] == len(corpus)
    assert len(body["results"]) == len(corpus)
    for hit in body["results"]:
        assert_inert(hit["snippet"], fragment=True)
        assert "<mark>xssprobe</mark>" in hit["snippet"]
        assert set(re.findall(r"</?([a-z]+)", hit["snippet"])) <= {"mark"}
    assert any("&lt;img src=x onerror" in hit["snippet"] for hit in body["results"])
    for offset in (0, 20, 40):
        response = client_for(world.outsider).get(
            "/search/", {"q": "xssprobe", "type": "posts", "offset": offset}
        )
        assert_inert(response.content.decode())
    assert_inert(page_text(world.outsider, "xssprobe"))


def test_queries_from_the_xss_corpus_are_echoed_inert(world):
    for payload in payloads():
        assert_inert(page_text(world.member, payload))
        response = api_for(world.member).get("/api/v1/search/", {"q": payload})
        assert response.status_code in (200, 400)
        if response.status_code == 200:
            for hit in response.json()["results"]:
                assert_inert(hit["snippet"], fragment=True)


def test_snippet_helpers_escape_and_mark():
    assert search.highlight("<b>Billing</b> & bill", ("bill",)) == (
        "&lt;b&gt;<mark>Billing</mark>&lt;/b&gt; &amp; <mark>bill</mark>"
    )
    # A highlight never cuts a word: the whole word is marked, once.
    assert search.highlight("Redeploying deploys", ("deploy", "dep")) == (
        "<mark>Redeploying</mark> <mark>deploys</mark>"
    )
    long = "word " * 100 + "needle <script>" + " word" * 100
    snippet = search.excerpt(long, ("needle",))
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "<mark>needle</mark> &lt;script&gt;" in snippet
    markers = search.snippets._Markers()
    headline = f"a {markers.start}<b>{markers.stop} hl-not-a-marker"
    assert markers.to_html(headline) == "a <mark>&lt;b&gt;</mark> hl-not-a-marker"


# --- input, paging, queries --------------------------------------------------------------


def test_empty_query_is_a_400_naming_q_and_an_empty_state_page(world):
    for q in ("", "   ", "\x00", '""'):
        response = api_for(world.member).get("/api/v1/search/", {"q": q})
        assert response.status_code == 400 and "q" in response.json()
        text = page_text(world.member, q)
        assert "Type a few words" in text
    assert api_for(world.member).get("/api/v1/search/").status_code == 400


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"type": "secrets"}, "type"),
        ({"offset": "-1"}, "offset"),
        ({"offset": "x"}, "offset"),
        ({"offset": "9" * 5000}, "offset"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "500"}, "page_size"),
    ],
)
def test_bad_parameters_are_400s_naming_the_field(world, params, field):
    response = api_for(world.member).get("/api/v1/search/", {"q": "plan", **params})
    assert response.status_code == 400
    assert field in response.json()
    page = client_for(world.member).get("/search/", {"q": "plan", **params})
    assert page.status_code == 400 or field == "page_size"


def test_long_and_odd_queries_do_not_fail(world):
    for q in ("x" * 50_000, "مرحبا بالعالم", "🙂 plan", "-", "a OR", '"unclosed', "#", "##x"):
        assert api_for(world.member).get("/api/v1/search/", {"q": q}).status_code in (200, 400)
        assert client_for(world.member).get("/search/", {"q": q}).status_code == 200


def test_load_more_pages_through_every_result(world):
    for i in range(25):
        feeds.create_post(actor=world.member, group=world.groups["public"], body=f"pagerword {i}")
    seen, url = [], "/api/v1/search/?q=pagerword&type=posts&page_size=10"
    while url:
        body = api_for(world.outsider).get(url).json()
        seen += [h["id"] for h in body["results"]]
        url = body["next"]
    assert len(seen) == 25 == len(set(seen))
    client = client_for(world.outsider)
    first = client.get("/search/", {"q": "pagerword", "type": "posts"}).content.decode()
    assert first.count('class="card search-hit"') == search.PAGE_SIZE
    assert "offset=20" in first
    more = client.get(
        "/search/",
        {"q": "pagerword", "type": "posts", "offset": 20},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert more.count('class="card search-hit"') == 5
    assert "<html" not in more and "Load more" not in more


def test_summary_shows_a_few_of_each_type_with_counts(world):
    for i in range(8):
        feeds.create_post(actor=world.member, group=world.groups["public"], body=f"manyword {i}")
    body = api_search(world.outsider, "manyword")
    assert body["counts"]["posts"] == 8
    assert len(body["results"]) == search.SUMMARY_SIZE and body["next"] is None
    text = page_text(world.outsider, "manyword")
    assert "See all 8" in text


def test_counts_are_in_the_right_number(world):
    """ "1 post matches", not "1 posts match"; "2 people match"."""
    group = world.groups["public"]
    feeds.create_post(actor=world.member, group=group, body="zanzibarword once")
    feeds.create_post(actor=world.member, group=group, body="quokkaword one")
    feeds.create_post(actor=world.member, group=group, body="quokkaword two")
    one = " ".join(page_text(world.outsider, "zanzibarword", type="posts").split())
    assert "1 post matches “zanzibarword”" in one
    assert "1 posts" not in one and "1 matches" not in one
    two = " ".join(page_text(world.outsider, "quokkaword", type="posts").split())
    assert "2 posts match “quokkaword”" in two


def test_query_count_does_not_grow_with_results(world):
    def queries(q):
        client = api_for(world.admin)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/search/", {"q": q}).status_code == 200
        return len(ctx)

    few = queries("sharedtopic plan")
    for i in range(12):
        make_person(f"planner{i}", display_name=f"Plan Person {i}")
        feeds.create_post(
            actor=world.member, group=world.groups["secret"], body=f"The plan {i} #plan"
        )
        groups.create_group(actor=world.owner, name=f"Plan group {i}", privacy="public")
    many = queries("plan")
    assert many <= few + 3  # at most one more page query per kind that had none
    assert many <= 2 * len(search.search_types())  # a count and a page per kind


def test_admins_find_everything(world):
    admin = world.users["admin"]
    assert admin.groups.filter(name="admin").exists()
    for privacy in PRIVACIES:
        assert api_search(admin, f"{privacy}word")["counts"]["posts"] == 1
    staff_only = make_person("staffer").user
    staff_only.groups.add(Role.objects.get_or_create(name="admin")[0])
    assert api_search(staff_only, "secretword")["counts"]["posts"] == 1


# --- PostgreSQL: ranked, stemmed, and on the GIN index ------------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL"
)


@postgres_only
def test_full_text_search_is_ranked_and_stemmed(world):
    public = world.groups["public"]
    once = feeds.create_post(actor=world.member, group=public, body="One invoice, then lunch.")
    thrice = feeds.create_post(
        actor=world.member, group=public, body="Invoices: invoice totals, invoicing rules."
    )
    body = api_search(world.outsider, "invoices", type="posts")
    assert [h["id"] for h in body["results"]] == [thrice.pk, once.pk]
    assert api_search(world.outsider, '"then lunch"')["counts"]["posts"] == 1
    assert api_search(world.outsider, "invoice -lunch")["counts"]["posts"] == 1


@postgres_only
def test_ranking_reads_the_stored_vector_among_the_newest_matches(world, monkeypatch):
    """Ranks come from the stored search_vector (no query recomputes to_tsvector), and a
    broad query ranks only the RANK_WINDOW newest readable matches: an older post that
    would rank first is left out of a window it is not in, and leads when it is."""
    public = world.groups["public"]
    older = feeds.create_post(actor=world.member, group=public, body="invoice invoice invoice")
    newer = [
        feeds.create_post(actor=world.member, group=public, body=f"One invoice, item {i}.")
        for i in range(3)
    ]
    hidden = feeds.create_post(
        actor=world.member, group=world.groups["secret"], body="invoice invoice invoice invoice"
    )
    narrow_rank_window(monkeypatch, 3)
    with CaptureQueriesContext(connection) as ctx:
        body = api_search(world.outsider, "invoice", type="posts")
    assert [h["id"] for h in body["results"]] == [p.pk for p in reversed(newer)]
    assert body["counts"]["posts"] == 3
    assert not any("to_tsvector" in q["sql"] for q in ctx.captured_queries)
    narrow_rank_window(monkeypatch, 1000)
    body = api_search(world.outsider, "invoice", type="posts")
    assert body["results"][0]["id"] == older.pk
    assert hidden.pk not in [h["id"] for h in body["results"]]  # the window is the readable one


@postgres_only
@pytest.mark.parametrize("kind", ["posts", "comments"])
def test_search_uses_the_gin_index(committed_world, kind):
    """With enough rows for the planner to care, the visibility-filtered search reads the
    GIN index of the stored search_vector column (migration 0006): a drifted partial
    condition fails here. Committed and vacuumed, as autovacuum leaves a live table: a GIN
    index's own statistics (and its pending list) are only brought up to date by VACUUM, and
    a stored vector makes the sequential scan cheap enough to win against stale ones."""
    world = committed_world
    group, author = world.groups["public"], world.member
    post = world.posts["public"]
    filler = [f"filler text about lunch and the weather number {i}" for i in range(3000)]
    if kind == "posts":
        Post.objects.bulk_create(
            [Post(group=group, author=author, body=b, body_html=b) for b in filler]
        )
    else:
        Comment.objects.bulk_create(
            [Comment(post=post, author=author, body=b, body_html=b) for b in filler]
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE feeds_post")
        cursor.execute("VACUUM ANALYZE feeds_comment")
    query = search.parse_query("secretword")
    matching = search.posts_matching if kind == "posts" else search.comments_matching
    plan = matching(world.member, query).order_by().explain()
    index = "post_search_vector" if kind == "posts" else "comment_search_vector"
    assert f"Bitmap Index Scan on {index}" in plan, plan


# --- snippets are readable text ------------------------------------------------------------


def test_a_snippet_shows_the_text_without_markdown_and_whole_words(world):
    """Snippets come from the post's readable text (core.markdown.markdown_text): no
    Markdown syntax, entities decoded then escaped once, the matches marked, and the window
    starts and ends between words. On PostgreSQL the stemmed match is marked too."""
    public = world.groups["public"]
    filler = " ".join(f"filler{i}" for i in range(60))
    post = feeds.create_post(
        actor=world.member,
        group=public,
        body=f"{filler} **Deploy** the `socialhub` [releases](https://x.org/r) &amp; <b> {filler}",
    )
    [hit] = api_search(world.outsider, "releases", type="posts")["results"]
    assert hit["id"] == post.pk
    snippet = hit["snippet"]
    assert "<mark>releases</mark>" in snippet
    assert "Deploy the socialhub <mark>releases</mark> &amp; &lt;b&gt;" in snippet
    assert not any(s in snippet for s in ("**", "`", "](", "x.org", "&amp;amp;"))
    words = set(f"{filler} Deploy the socialhub releases & <b>".split())
    kept = re.sub(r"</?mark>", "", snippet).replace("&amp;", "&").replace("&lt;", "<")
    kept = kept.replace("&gt;", ">").removeprefix("… ").removesuffix(" …").split()
    assert set(kept) <= words, kept
    assert snippet.startswith("… ") and snippet.endswith(" …")
    if connection.vendor == "postgresql":  # the stem: "release" finds and marks "releases"
        stemmed = api_search(world.outsider, "release", type="posts")["results"][0]["snippet"]
        assert "<mark>releases</mark>" in stemmed


def test_a_snippet_shows_a_mention_as_the_name(world):
    """The snippet is what the post shows: the person's name, not @username."""
    make_person("ben.okafor", display_name="Ben Okafor")
    feeds.create_post(
        actor=world.member, group=world.groups["public"], body="Ask @ben.okafor about invoices"
    )
    [hit] = api_search(world.outsider, "invoices", type="posts")["results"]
    assert "Ask Ben Okafor about <mark>invoices</mark>" in hit["snippet"]
    assert "@ben.okafor" not in hit["snippet"]
