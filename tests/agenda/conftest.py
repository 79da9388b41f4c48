import datetime as dt

import pytest
from django.utils import timezone

from agenda import services
from groups import services as groups

from ..factories import make_person


@pytest.fixture
def ben(db):
    return make_person("ben.ortiz", display_name="Ben Ortiz").user


@pytest.fixture
def team(employee, ben):
    """A private group Ana owns, with Ben in it."""
    group = groups.create_group(actor=employee, name="Launch team", privacy="private")
    groups.invite_member(actor=employee, group=group, user=ben)
    return group


def make_event(author, group, *, hours=48, **fields):
    start = timezone.now() + dt.timedelta(hours=hours)
    values = {
        "title": "Launch party",
        "description": "Cake and **demos**",
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=2),
        "time_zone": "Europe/Paris",
        "location": "Room 4, Paris office",
        "online_url": "https://meet.example.com/launch",
    }
    values.update(fields)
    return services.create_event(actor=author, group=group, **values)
