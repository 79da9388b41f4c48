"""Counts read in the right number wherever a sentence is built in Python."""

from core.wording import counted
from routing.models import SlaTarget


def test_counted_says_one_in_the_singular():
    assert counted(1, "authorization") == "1 authorization"
    assert counted(0, "authorization") == "0 authorizations"
    assert counted(1200, "person", "people") == "1,200 people"


def test_an_sla_target_of_one_hour_reads_in_the_singular():
    assert str(SlaTarget(priority="urgent", business_hours=1)).endswith(": 1 business hour")
