"""The poll pages: "New poll" from the composer, voting with and without htmx, the voters
page, a feed page's query count with polls on it, and XSS vectors in every typed field."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from feeds.live import _shared_card
from groups import services as groups
from polls import services
from polls.models import Poll

from ..conftest import client_for
from ..factories import make_person
from ..xss import assert_inert, payloads
from .conftest import make_poll, option_ids

pytestmark = pytest.mark.django_db


def test_composer_links_to_new_poll_for_its_group(employee, team):
    page = client_for(employee).get(team.get_absolute_url())
    assert f'href="/polls/new/?group={team.slug}"'.encode() in page.content
    home = client_for(employee).get("/")
    assert b'href="/polls/new/"' in home.content


def test_new_poll_form_posts_a_poll(employee, team):
    client = client_for(employee)
    form = client.get(f"/polls/new/?group={team.slug}")
    assert form.status_code == 200 and b"Launch team" in form.content
    response = client.post(
        "/polls/new/",
        {
            "group": team.slug,
            "question": "Which day?",
            "options": ["Monday", "Tuesday", "", ""],
            "anonymous": "1",
            "closes_at": "2099-01-01T09:30",
        },
    )
    assert response.status_code == 400  # more than a year away
    assert b"Close it within a year" in response.content and b"Tuesday" in response.content
    response = client.post(
        "/polls/new/",
        {
            "group": team.slug,
            "question": "Which day?",
            "options": ["Monday", "Tuesday"],
            "anonymous": "1",
        },
    )
    poll = Poll.objects.get()
    assert response.status_code == 302 and response.url == poll.post.get_absolute_url()
    assert poll.is_anonymous and not poll.multiple


def test_new_poll_without_a_group_or_options_says_what_is_missing(employee, team):
    client = client_for(employee)
    response = client.post("/polls/new/", {"question": "Q", "options": ["a", "b"]})
    assert response.status_code == 400 and b"Choose where to post" in response.content
    response = client.post("/polls/new/", {"group": team.slug, "question": "Q", "options": ["a"]})
    assert response.status_code == 400 and b"at least 2 options" in response.content
    assert not Poll.objects.exists()


def test_new_poll_in_a_group_i_cannot_write_in_is_refused(employee, team, colleague):
    response = client_for(colleague).post(
        "/polls/new/", {"group": team.slug, "question": "Q", "options": ["a", "b"]}
    )
    assert response.status_code in (403, 404)
    assert not Poll.objects.exists()


def test_vote_with_htmx_returns_the_poll_and_without_redirects(employee, ben, team):
    poll = make_poll(employee, team)
    red, green, _ = option_ids(poll)
    client = client_for(ben)
    response = client.post(f"/polls/{poll.pk}/vote/", {"option": red}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="poll-{poll.pk}"' in html and "Change vote" in html and "You voted." in html
    response = client.post(f"/polls/{poll.pk}/vote/", {"option": green})
    assert response.status_code == 302
    assert client.post(f"/polls/{poll.pk}/vote/", {"option": "x"}).status_code == 400
    assert client.post(f"/polls/{poll.pk}/vote/", {}).status_code == 400
    page = client_for(employee).get(f"/polls/{poll.pk}/voters/")
    assert page.status_code == 200 and b"Ben Ortiz" in page.content


def test_author_closes_from_the_card(employee, ben, team):
    poll = make_poll(employee, team)
    card = client_for(employee).get(poll.post.get_absolute_url()).content.decode()
    assert "Close poll" in card
    assert "Close poll" not in client_for(ben).get(poll.post.get_absolute_url()).content.decode()
    response = client_for(employee).post(f"/polls/{poll.pk}/close/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Closed" in response.content.decode()


def _count(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_feed_queries_do_not_grow_with_polls_or_votes(employee, ben, team):
    client = client_for(ben)
    first = make_poll(employee, team)
    services.vote(actor=ben, poll=first, option_ids=option_ids(first)[:1])
    few = _count(client, team.get_absolute_url())
    voters = [make_person(f"v{i}").user for i in range(6)]
    for person in voters:
        groups.invite_member(actor=employee, group=team, user=person)
    for _ in range(8):
        poll = make_poll(employee, team, multiple=True, options=[f"o{j}" for j in range(10)])
        for person in voters:
            services.vote(actor=person, poll=poll, option_ids=option_ids(poll)[:3])
    services.vote(actor=ben, poll=poll, option_ids=option_ids(poll)[:1])
    assert _count(client, team.get_absolute_url()) == few
    assert _count(client, "/") == _count(client, "/")


def test_xss_vectors_in_question_and_options_render_inert(employee, ben, team):
    vectors = payloads()
    polls = []
    for start in range(0, len(vectors), 10):
        chunk = vectors[start : start + 10]
        if len(chunk) < 2:
            chunk = [*chunk, "plain"]
        # Distinct after trimming, as clean_options wants them.
        unique = list({" ".join(c.split()).casefold(): c for c in chunk}.values())
        if len(unique) < 2:
            unique.append("plain")
        polls.append(
            services.create_poll(
                actor=employee, group=team, question="\n".join(chunk), options=unique
            )
        )
    for poll in polls:
        services.vote(actor=ben, poll=poll, option_ids=option_ids(poll)[:1])
        for url in (poll.post.get_absolute_url(), f"/polls/{poll.pk}/voters/"):
            page = client_for(employee).get(url)
            assert page.status_code == 200
            assert_inert(page.content.decode())
        fragment = client_for(ben).get(f"/polls/{poll.pk}/", HTTP_HX_REQUEST="true")
        assert_inert(fragment.content.decode(), fragment=True)
        assert_inert(_shared_card(poll.post_id)["html"], fragment=True)
    assert_inert(client_for(employee).get(team.get_absolute_url()).content.decode())
    api = client_for(employee).get(f"/api/v1/polls/{polls[0].pk}/")
    assert api["Content-Type"] == "application/json"
