"""The composer's autocompletes: "@" suggests active people, "#" suggests topics the person
may read, each in one query."""

import pytest
from django.test import Client

from feeds import services
from feeds.selectors import topics as topic_module

from ..factories import make_person

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_people_are_suggested_by_first_name_last_name_or_username(world):
    make_person("ben.okafor", display_name="Ben Okafor", title="Billing Specialist")
    client = client_for(world.member)
    for q in ("Ben", "oka", "ben.o", "@ben"):
        html = client.get("/people/suggest/", {"q": q, "as": "listbox"}).content.decode()
        assert 'data-insert="ben.okafor"' in html, q
        assert "Ben Okafor" in html and "Billing Specialist" in html
        assert 'role="option"' in html


def test_deactivated_people_are_not_suggested(world):
    gone = make_person("bea.gone", display_name="Bea Gone").user
    gone.is_active = False
    gone.save()
    html = client_for(world.member).get("/people/suggest/", {"q": "bea", "as": "listbox"})
    assert "bea.gone" not in html.content.decode()


def test_a_name_in_the_suggestions_is_escaped(world):
    make_person("eve.x", display_name="<img src=x onerror=alert(1)>")
    html = client_for(world.member).get("/people/suggest/", {"q": "eve", "as": "listbox"})
    assert "<img src=x" not in html.content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in html.content.decode()


def test_people_suggestions_cost_a_fixed_number_of_queries(world, django_assert_num_queries):
    for i in range(10):
        make_person(f"sam.{i}", display_name=f"Sam {i}", title="Engineer")
    client = client_for(world.member)
    client.get("/people/suggest/", {"q": "other", "as": "listbox"})  # warm the session
    # session, user; the words starting "sam" counted up to SUGGEST_SORT_CAP, the first of
    # them by name, and their people with photos and titles (people.selectors.suggest_people:
    # was one query of people before issue 18's word table, which 100,000 people needed)
    with django_assert_num_queries(5):
        client.get("/people/suggest/", {"q": "sam", "as": "listbox"})
    # the count only chose how to read, and is kept a few minutes, and the first batch of
    # words until a profile changes (people.selectors.suggest: SUGGEST_TTL): their people
    with django_assert_num_queries(3):
        response = client.get("/people/suggest/", {"q": "sam", "as": "listbox"})
    assert response.content.decode().count('role="option"') == 8


def test_topics_are_suggested_from_posts_one_may_read(world):
    services.create_post(
        actor=world.member, group=world.groups["public"], body="#launchday is here"
    )
    services.create_post(
        actor=world.leader, group=world.groups["secret"], body="#launchsecret plans"
    )
    mine = client_for(world.outsider).get("/suggest/topics/", {"q": "launch"}).content.decode()
    assert 'data-insert="launchday"' in mine
    assert "launchsecret" not in mine
    theirs = client_for(world.leader).get("/suggest/topics/", {"q": "#launch"}).content.decode()
    assert 'data-insert="launchsecret"' in theirs


def test_topic_suggestions_cost_one_query(world, django_assert_num_queries):
    for i in range(10):
        services.create_post(
            actor=world.member, group=world.groups["public"], body=f"#topic{i} note"
        )
    client = client_for(world.member)
    client.get("/suggest/topics/", {"q": "topic"})
    # session, user with its roles (readable groups), and the one query of topics
    with django_assert_num_queries(3):
        response = client.get("/suggest/topics/", {"q": "topic"})
    assert response.content.decode().count('role="option"') == 8


def test_an_empty_query_suggests_nothing(world):
    client = client_for(world.member)
    assert client.get("/suggest/topics/", {"q": ""}).content.strip() == b""
    assert client.get("/people/suggest/", {"q": "", "as": "listbox"}).content.strip() == b""


def test_a_topic_used_more_than_the_cap_says_so(world, monkeypatch):
    monkeypatch.setattr(topic_module, "SUGGEST_COUNT_CAP", 2)
    for i in range(3):
        services.create_post(actor=world.member, group=world.groups["public"], body=f"#busy {i}")
    services.create_post(actor=world.member, group=world.groups["public"], body="#busyless")
    for i in range(3):  # unreadable to the outsider: not counted for them
        services.create_post(
            actor=world.leader, group=world.groups["secret"], body=f"#busyless {i}"
        )
    options = client_for(world.outsider).get("/suggest/topics/", {"q": "busy"}).content.decode()
    assert options.index('data-insert="busy"') < options.index('data-insert="busyless"')
    assert "2+ posts" in options and "1 post<" in options
    mine = client_for(world.leader).get("/suggest/topics/", {"q": "busyl"}).content.decode()
    assert "2+ posts" in mine  # the leader reads the secret group's three as well
