"""Demo polls and events: a poll with visible voters and an anonymous one, an event with
answers, so the cards, the Events page and the calendar feed have something to show."""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from agenda import services as agenda
from agenda.models import Event
from groups import services as groups
from polls import services as polls
from polls.models import Poll

User = get_user_model()


def seed_polls_and_events(*, rng_seed: int = 11) -> int:
    """Returns the number of polls and events made (none when there are some already)."""
    if Poll.objects.exists() or Event.objects.exists():
        return 0
    rng = random.Random(rng_seed)
    logins = {
        u.username: u for u in User.objects.filter(username__in=["lee.leader", "emma.employee"])
    }
    people = list(User.objects.filter(is_active=True, username__startswith="demo.")[:40])
    if len(logins) < 2 or len(people) < 5:
        return 0
    company = groups.ensure_company_group()
    lee, emma = logins["lee.leader"], logins["emma.employee"]
    party = polls.create_poll(
        actor=lee,
        group=company,
        question="Where should we hold the **summer party**? Vote by Friday.",
        options=["Rooftop terrace", "Riverside park", "Bowling downtown", "Office garden"],
        closes_at=timezone.now() + dt.timedelta(days=4),
    )
    survey = polls.create_poll(
        actor=emma,
        group=company,
        question="Honest check-in: how sustainable is your workload this month?",
        options=["Comfortable", "Busy but fine", "Too much"],
        anonymous=True,
    )
    options = list(party.options.order_by("position"))
    moods = list(survey.options.order_by("position"))
    for person in people:
        polls.vote(actor=person, poll=party, option_ids=[rng.choice(options).pk])
        if rng.random() < 0.7:
            polls.vote(actor=person, poll=survey, option_ids=[rng.choice(moods).pk])
    start = (timezone.now() + dt.timedelta(days=6)).replace(hour=15, minute=0, second=0)
    town_hall = agenda.create_event(
        actor=lee,
        group=company,
        title="Quarterly town hall",
        description="Results, roadmap and your questions. Send questions ahead with #townhall.",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        time_zone="Europe/Berlin",
        location="Auditorium, 2nd floor",
        online_url="https://meet.example.com/town-hall",
    )
    for person in people:
        answer = rng.choice(["going", "going", "maybe", "declined"])
        agenda.answer_event(actor=person, event=town_hall, answer=answer)
    return 3
