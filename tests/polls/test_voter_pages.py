"""Who voted, page by page: each option's first page of voters by name with a link to the
next (page and API, cursor), a fixed number of queries whatever the voters, every reader
of the poll and nobody else (former members of a private group, deactivated people), and an
anonymous poll shows no voter on any page of it."""

import pytest
from rest_framework.test import APIClient

from groups import services as groups
from polls import selectors, services

from ..conftest import client_for
from ..factories import make_person
from ..feeds.world import PRIVACIES, READERS
from .conftest import make_poll, option_ids

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def crowded(employee, ben, team, monkeypatch):
    """A poll where five people chose Red and one chose Green; pages of two."""
    monkeypatch.setattr(selectors, "VOTERS_PAGE", 2)
    poll = make_poll(employee, team)
    red, green, _ = option_ids(poll)
    for i in range(5):
        person = make_person(f"voter{i}", display_name=f"Voter {4 - i}").user
        groups.invite_member(actor=employee, group=team, user=person)
        services.vote(actor=person, poll=poll, option_ids=[red])
    services.vote(actor=ben, poll=poll, option_ids=[green])
    return poll


def test_the_api_pages_each_option_by_name(crowded, ben, django_assert_num_queries):
    api = api_for(ben)
    rows = api.get(f"/api/v1/polls/{crowded.pk}/voters/").json()
    red, green, blue = rows
    assert [v["display_name"] for v in red["voters"]] == ["Voter 0", "Voter 1"]
    assert [v["username"] for v in green["voters"]] == ["ben.ortiz"] and green["next"] is None
    assert blue["voters"] == [] and blue["next"] is None
    names, url = [v["display_name"] for v in red["voters"]], red["next"]
    while url:
        with django_assert_num_queries(3):  # the poll, its options; the page
            page = api.get(url + "&page_size=2").json()
        names += [v["display_name"] for v in page["results"]]
        url = page["next"]
    assert names == [f"Voter {i}" for i in range(5)]
    bad = api.get(f"/api/v1/polls/{crowded.pk}/voters/{option_ids(crowded)[0]}/?cursor=x")
    assert bad.status_code == 400 and "cursor" in bad.json()
    assert api.get(f"/api/v1/polls/{crowded.pk}/voters/999999/").status_code == 404


def test_the_first_pages_cost_the_same_whatever_the_voters(
    crowded, ben, employee, team, django_assert_num_queries
):
    api = api_for(ben)
    with django_assert_num_queries(3):  # the poll, its options; every first page
        api.get(f"/api/v1/polls/{crowded.pk}/voters/")
    for i in range(5, 12):
        person = make_person(f"voter{i}").user
        groups.invite_member(actor=employee, group=team, user=person)
        services.vote(actor=person, poll=crowded, option_ids=[option_ids(crowded)[1 + i % 2]])
    with django_assert_num_queries(3):
        api.get(f"/api/v1/polls/{crowded.pk}/voters/")


def test_the_page_links_to_the_next_voters(crowded, ben):
    client = client_for(ben)
    html = client.get(f"/polls/{crowded.pk}/voters/").content.decode()
    assert "Voter 0" in html and "Voter 2" not in html and "More who chose this" in html
    start = html.index('href="?option=')
    link = html[start + 6 : html.index('"', start + 6)].replace("&amp;", "&")
    more = client.get(f"/polls/{crowded.pk}/voters/{link}").content.decode()
    assert "Voter 2" in more and "Voter 3" in more and "Voter 0" not in more
    assert "All options" in more
    assert client.get(f"/polls/{crowded.pk}/voters/?option=x").status_code == 404
    bad = client.get(f"/polls/{crowded.pk}/voters/?option={option_ids(crowded)[0]}&cursor=zz")
    assert bad.status_code == 400


def test_an_anonymous_poll_has_no_voter_page_anywhere(employee, ben, team):
    poll = make_poll(employee, team, anonymous=True)
    services.vote(actor=ben, poll=poll, option_ids=[option_ids(poll)[0]])
    api, page = api_for(employee), client_for(employee)
    red = option_ids(poll)[0]
    for response in (
        api.get(f"/api/v1/polls/{poll.pk}/voters/"),
        api.get(f"/api/v1/polls/{poll.pk}/voters/{red}/"),
        page.get(f"/polls/{poll.pk}/voters/"),
        page.get(f"/polls/{poll.pk}/voters/?option={red}"),
    ):
        assert response.status_code == 404
        assert b"ben.ortiz" not in response.content and b"Ben Ortiz" not in response.content


def test_matrix_for_the_option_pages(world):
    for privacy in PRIVACIES:
        poll = make_poll(world.member, world.groups[privacy])
        red = option_ids(poll)[0]
        services.vote(actor=world.member, poll=poll, option_ids=[red])
        for role in ("owner", "leader", "member", "muted", "former", "outsider", "admin"):
            reads = role in READERS[privacy]
            user = world.users[role]
            api = api_for(user).get(f"/api/v1/polls/{poll.pk}/voters/{red}/")
            page = client_for(user).get(f"/polls/{poll.pk}/voters/?option={red}")
            assert api.status_code == page.status_code == (200 if reads else 404), (privacy, role)
            assert (b"Member" in page.content) is reads
    world.member.is_active = False
    world.member.save()
    poll = make_poll(world.leader, world.groups["public"])
    gone = api_for(world.member).get(f"/api/v1/polls/{poll.pk}/voters/")
    assert gone.status_code in (401, 403, 404) and b"Leader" not in gone.content
    assert client_for(world.member).get(f"/polls/{poll.pk}/voters/").status_code == 302
