import pytest

from messaging import selectors, services

from ..factories import make_person


@pytest.fixture
def ben(db):
    return make_person("ben.ortiz", display_name="Ben Ortiz").user


@pytest.fixture
def cleo(db):
    return make_person("cleo.lin", display_name="Cleo Lin").user


def seat_of(user, conversation):
    return selectors.get_seat(user, conversation.pk)


def say(user, conversation, body="Hello"):
    return services.send_message(actor=user, seat=seat_of(user, conversation), body=body)


@pytest.fixture
def group_chat(employee, ben, cleo):
    """Ana started it with Ben and Cleo."""
    return services.start_conversation(actor=employee, people=[ben, cleo], title="Launch crew")
