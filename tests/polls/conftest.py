import pytest

from groups import services as groups
from polls import services

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


def make_poll(author, group, *, anonymous=False, multiple=False, options=("Red", "Green", "Blue")):
    return services.create_poll(
        actor=author,
        group=group,
        question="Which **colour** for the launch?",
        options=list(options),
        anonymous=anonymous,
        multiple=multiple,
    )


def option_ids(poll):
    return [o.pk for o in poll.options.order_by("position")]
