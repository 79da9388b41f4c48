"""Voting: single and multiple choice, changing a visible vote, the anonymous poll that
keeps no link between a voter and an option, closing by hand and by the clock."""

import datetime as dt

import pytest
from django.utils import timezone

from core.errors import ApplicationError
from notifications.models import Notification
from polls import selectors, services
from polls.models import Ballot, Option, Poll, Vote

from .conftest import make_poll, option_ids

pytestmark = pytest.mark.django_db


def tallies(poll):
    return list(poll.options.order_by("position").values_list("vote_count", flat=True))


def test_the_question_is_a_post_and_the_options_keep_their_order(employee, team):
    poll = make_poll(employee, team, options=["  Red ", "", "Green", "Blue"])
    assert poll.post.group == team and "<strong>colour</strong>" in poll.post.body_html
    assert [o.text for o in poll.options.order_by("position")] == ["Red", "Green", "Blue"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["Only one"], "at least 2"),
        ([f"o{i}" for i in range(11)], "at most 10"),
        (["Same", "same "], "twice"),
        (["x" * 201, "y"], "under 200"),
        ("Red,Green", "as a list"),
        ([1, 2], "a text"),
    ],
)
def test_bad_options_name_the_field(employee, team, options, message):
    with pytest.raises(ApplicationError) as caught:
        services.create_poll(actor=employee, group=team, question="Which?", options=options)
    assert caught.value.field == "options" and message in caught.value.message
    assert not Poll.objects.exists()


def test_closing_time_must_be_in_the_future(employee, team):
    with pytest.raises(ApplicationError) as caught:
        services.create_poll(
            actor=employee,
            group=team,
            question="When?",
            options=["a", "b"],
            closes_at=timezone.now() - dt.timedelta(hours=1),
        )
    assert caught.value.field == "closes_at"


def test_single_choice_takes_one_and_a_visible_vote_can_change(employee, ben, team):
    poll = make_poll(employee, team)
    red, green, blue = option_ids(poll)
    with pytest.raises(ApplicationError):
        services.vote(actor=ben, poll=poll, option_ids=[red, green])
    services.vote(actor=ben, poll=poll, option_ids=[red])
    services.vote(actor=ben, poll=poll, option_ids=[blue])
    poll.refresh_from_db()
    assert tallies(poll) == [0, 0, 1] and poll.voter_count == 1
    selectors.attach_viewer([poll], viewer=ben)
    assert poll.voted and poll.my_choices == {blue}


def test_multiple_choice_counts_voters_once(employee, ben, team):
    poll = make_poll(employee, team, multiple=True)
    red, green, _ = option_ids(poll)
    services.vote(actor=ben, poll=poll, option_ids=[red, green])
    services.vote(actor=employee, poll=poll, option_ids=[green])
    poll.refresh_from_db()
    assert tallies(poll) == [1, 2, 0] and poll.voter_count == 2
    assert [r["percent"] for r in selectors.results(poll)] == [50, 100, 0]


def test_options_of_another_poll_are_refused(employee, ben, team):
    poll, other = make_poll(employee, team), make_poll(employee, team)
    with pytest.raises(ApplicationError) as caught:
        services.vote(actor=ben, poll=poll, option_ids=[option_ids(other)[0]])
    assert caught.value.field == "options"


def test_anonymous_vote_stores_no_link_between_voter_and_option(employee, ben, team):
    poll = make_poll(employee, team, anonymous=True)
    red, green, _ = option_ids(poll)
    services.vote(actor=ben, poll=poll, option_ids=[green])
    poll.refresh_from_db()
    assert tallies(poll) == [0, 1, 0]
    assert Ballot.objects.filter(poll=poll, voter=ben).exists()
    assert not Vote.objects.filter(ballot__poll=poll).exists()
    # The ballot table has no column that could name an option or a moment.
    assert {f.name for f in Ballot._meta.concrete_fields} == {"id", "poll", "voter"}
    # Nor does any other table of the poll name a person: the ballot is the only row.
    for model in (Option, Poll):
        assert not {"voter_id", "user_id"} & {f.column for f in model._meta.concrete_fields}
    selectors.attach_viewer([poll], viewer=ben)
    assert poll.voted and poll.my_choices == set() and not poll.can_vote
    with pytest.raises(ApplicationError) as caught:
        services.vote(actor=ben, poll=poll, option_ids=[red])
    assert caught.value.status == 409
    poll.refresh_from_db()
    assert tallies(poll) == [0, 1, 0] and poll.voter_count == 1


def test_anonymous_poll_has_no_voter_list(employee, ben, team):
    from django.http import Http404

    poll = make_poll(employee, team, anonymous=True)
    services.vote(actor=ben, poll=poll, option_ids=[option_ids(poll)[0]])
    with pytest.raises(Http404):
        selectors.voters_of(poll)


def test_author_closes_and_voters_hear_the_results(employee, ben, team):
    poll = make_poll(employee, team)
    services.vote(actor=ben, poll=poll, option_ids=[option_ids(poll)[0]])
    with pytest.raises(ApplicationError) as caught:
        services.close_poll(actor=ben, poll=poll)
    assert caught.value.status == 403
    services.close_poll(actor=employee, poll=poll)
    poll.refresh_from_db()
    assert not poll.is_open()
    note = Notification.objects.get(kind=Notification.Kind.POLL_CLOSED)
    assert note.recipient == ben and note.url == poll.post.get_absolute_url()
    with pytest.raises(ApplicationError) as caught:
        services.vote(actor=ben, poll=poll, option_ids=[option_ids(poll)[1]])
    assert caught.value.status == 409


def test_the_clock_closes_due_polls_once(employee, ben, team):
    poll = make_poll(employee, team, anonymous=True)
    services.vote(actor=ben, poll=poll, option_ids=[option_ids(poll)[0]])
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    assert services.close_due_polls() == 1
    assert services.close_due_polls() == 0
    recipients = set(
        Notification.objects.filter(kind=Notification.Kind.POLL_CLOSED).values_list(
            "recipient_id", flat=True
        )
    )
    assert recipients == {ben.pk, employee.pk}
    poll.refresh_from_db()
    assert poll.closed_at is not None


def test_closing_notice_skips_voters_who_left_or_were_deactivated(employee, ben, team):
    from groups import services as groups
    from tests.factories import make_person

    cleo = make_person("cleo.lin").user
    groups.invite_member(actor=employee, group=team, user=cleo)
    poll = make_poll(employee, team)
    services.vote(actor=ben, poll=poll, option_ids=[option_ids(poll)[0]])
    services.vote(actor=cleo, poll=poll, option_ids=[option_ids(poll)[1]])
    groups.leave_group(actor=ben, group=team)
    cleo.is_active = False
    cleo.save()
    services.close_poll(actor=employee, poll=poll)
    assert not Notification.objects.filter(kind=Notification.Kind.POLL_CLOSED).exists()
