"""The home page's "New colleagues": the newest active people, newest first, never the
reader, never someone deactivated (people.selectors.newest_colleagues, read along the
profile_newest index)."""

import datetime as dt

import pytest
from django.utils import timezone

from people import selectors
from people.models import Profile
from tests.conftest import client_for

from ..factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def arrivals():
    """Seven people who joined a day apart, oldest first."""
    start = timezone.now() - dt.timedelta(days=30)
    people = [make_person(f"new.person{i}", display_name=f"Newcomer {i}") for i in range(7)]
    for i, profile in enumerate(people):
        Profile.objects.filter(pk=profile.pk).update(created_at=start + dt.timedelta(days=i))
    return people


def test_the_newest_active_colleagues_newest_first(arrivals):
    reader = arrivals[5].user
    newest = arrivals[6].user
    newest.is_active = False
    newest.save()
    shown = selectors.newest_colleagues(viewer=reader, limit=3)
    assert [p.display_name for p in shown] == ["Newcomer 4", "Newcomer 3", "Newcomer 2"]


def test_the_home_page_shows_them(arrivals):
    body = client_for(arrivals[0].user).get("/").content.decode()
    card = body[body.index("New colleagues") :]
    assert card.index("Newcomer 6") < card.index("Newcomer 5") < card.index("Newcomer 2")
    assert "Newcomer 0" not in card  # the reader
