"""Events: what a valid event is, answers and their counts, the organiser's notices, the
changes and cancellation people going hear of, and the clock's reminders (once)."""

import datetime as dt

import pytest
from django.utils import timezone

from agenda import services
from agenda.models import Event, Rsvp
from core.errors import ApplicationError
from groups import services as groups
from notifications.models import Notification

from ..factories import make_person
from .conftest import make_event

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def test_an_event_is_a_post_and_its_organiser_goes(employee, team):
    event = make_event(employee, team)
    assert event.post.group == team and "<strong>demos</strong>" in event.post.body_html
    assert Rsvp.objects.get(event=event).user == employee and event.going_count == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"online_url": "data:text/html,<b>x</b>"}, "online_url"),
        ({"online_url": "https://"}, "online_url"),
        ({"location": "x" * 301}, "location"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"hours": -5}, "starts_at"),
        ({"ends_at": timezone.now()}, "ends_at"),
        ({"starts_at": dt.datetime(2030, 1, 1, 9)}, "starts_at"),
    ],
)
def test_bad_events_name_the_field(employee, team, fields, field):
    with pytest.raises(ApplicationError) as caught:
        make_event(employee, team, **fields)
    assert caught.value.field == field
    assert not Event.objects.exists()


def test_answers_change_and_counts_follow(employee, ben, team):
    event = make_event(employee, team)
    services.answer_event(actor=ben, event=event, answer="maybe")
    services.answer_event(actor=ben, event=event, answer="going")
    services.answer_event(actor=ben, event=event, answer="going")
    event.refresh_from_db()
    assert (event.going_count, event.maybe_count, event.declined_count) == (2, 0, 0)
    services.answer_event(actor=ben, event=event, answer="declined")
    event.refresh_from_db()
    assert (event.going_count, event.maybe_count, event.declined_count) == (1, 0, 1)
    with pytest.raises(ApplicationError) as caught:
        services.answer_event(actor=ben, event=event, answer="yes")
    assert caught.value.field == "answer"


def test_organiser_hears_of_answers_in_one_collapsed_notice(employee, ben, team):
    cleo = make_person("cleo.lin", display_name="Cleo Lin").user
    groups.invite_member(actor=employee, group=team, user=cleo)
    event = make_event(employee, team)
    services.answer_event(actor=ben, event=event, answer="going")
    services.answer_event(actor=cleo, event=event, answer="maybe")
    notes = Notification.objects.filter(kind=Kind.EVENT_RSVP, recipient=employee)
    assert notes.count() == 1 and notes.get().actor_count == 2


def test_no_answers_to_cancelled_or_past_events(employee, ben, team):
    event = make_event(employee, team)
    services.cancel_event(actor=employee, event=event)
    with pytest.raises(ApplicationError) as caught:
        services.answer_event(actor=ben, event=event, answer="going")
    assert caught.value.status == 409
    over = make_event(employee, team)
    Event.objects.filter(pk=over.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=3),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    over.refresh_from_db()
    with pytest.raises(ApplicationError):
        services.answer_event(actor=ben, event=over, answer="going")


def test_moving_or_cancelling_tells_people_going_or_maybe(employee, ben, team):
    cleo = make_person("cleo.lin").user
    groups.invite_member(actor=employee, group=team, user=cleo)
    event = make_event(employee, team)
    services.answer_event(actor=ben, event=event, answer="going")
    services.answer_event(actor=cleo, event=event, answer="declined")
    with pytest.raises(ApplicationError) as caught:
        services.update_event(actor=ben, event=event, title="Mine now")
    assert caught.value.status == 403
    services.update_event(actor=employee, event=event, title="Launch party!")  # a title only
    assert not Notification.objects.filter(kind=Kind.EVENT_CHANGED).exists()
    later = event.starts_at + dt.timedelta(days=1)
    services.update_event(
        actor=employee, event=event, starts_at=later, ends_at=later + dt.timedelta(hours=1)
    )
    assert list(
        Notification.objects.filter(kind=Kind.EVENT_CHANGED).values_list("recipient", flat=True)
    ) == [ben.pk]
    event.refresh_from_db()
    assert event.sequence == 2
    services.cancel_event(actor=employee, event=event)
    note = Notification.objects.filter(kind=Kind.EVENT_CHANGED, recipient=ben).first()
    assert "cancelled" in note.text


def test_reminders_go_once_to_readers_going_or_maybe(employee, ben, team):
    cleo, dan = make_person("cleo.lin").user, make_person("dan.wu").user
    for person in (cleo, dan):
        groups.invite_member(actor=employee, group=team, user=person)
    soon = make_event(employee, team, hours=0.5)
    later = make_event(employee, team, hours=5)
    for person, answer in ((ben, "going"), (cleo, "maybe"), (dan, "going")):
        services.answer_event(actor=person, event=soon, answer=answer)
        services.answer_event(actor=person, event=later, answer=answer)
    groups.leave_group(actor=dan, group=team)
    cleo.is_active = False
    cleo.save()
    assert services.send_due_reminders() == 2  # Ana (organiser, going) and Ben
    assert services.send_due_reminders() == 0
    reminded = set(
        Notification.objects.filter(kind=Kind.EVENT_REMINDER).values_list("recipient", flat=True)
    )
    assert reminded == {employee.pk, ben.pk}
    note = Notification.objects.filter(kind=Kind.EVENT_REMINDER).first()
    assert "(Europe/Paris)" in note.text
