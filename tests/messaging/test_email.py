"""The unread-message email: after each person's chosen delay, once, never for what they
read, never with the message text, never for someone who left."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from messaging import services
from messaging.emails import email_unread_messages
from messaging.models import EmailDelay

from ..conftest import client_for
from .conftest import say, seat_of

pytestmark = pytest.mark.django_db


def later(minutes):
    return timezone.now() + dt.timedelta(minutes=minutes)


def test_unread_message_is_emailed_once_after_the_default_hour(employee, ben):
    direct = services.start_conversation(actor=employee, people=[ben])
    say(employee, direct, "the secret number is 42")
    assert email_unread_messages(now=later(30)) == 0
    assert email_unread_messages(now=later(61)) == 1
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [ben.email] and "Ana Garcia" in email.subject
    assert "42" not in email.body and "42" not in email.alternatives[0][0]
    assert f"/messages/{direct.pk}/" in email.body
    # Run again (a redelivered task, the next beat): nothing more.
    assert email_unread_messages(now=later(120)) == 0
    assert len(mail.outbox) == 1
    # The sender is not emailed about their own message.
    assert all(m.to != [employee.email] for m in mail.outbox)


def test_chosen_delay_and_off_are_respected(employee, ben, cleo, group_chat):
    services.set_email_delay(actor=ben, minutes=EmailDelay.QUARTER)
    services.set_email_delay(actor=cleo, minutes=EmailDelay.OFF)
    say(employee, group_chat, "standup moved")
    assert email_unread_messages(now=later(16)) == 1
    assert [m.to for m in mail.outbox] == [[ben.email]]
    response = client_for(ben).post("/messages/email/", {"email_delay": "7"})
    assert response.status_code == 400 and b"offered delays" in response.content


def test_read_in_time_or_left_means_no_email(employee, ben, cleo, group_chat):
    say(employee, group_chat, "hello")
    services.mark_read(actor=ben, seat=seat_of(ben, group_chat))
    services.leave_conversation(actor=cleo, seat=seat_of(cleo, group_chat))
    assert email_unread_messages(now=later(300)) == 0
    assert mail.outbox == []


def test_retention_deletes_old_messages_only_when_set(employee, ben, settings):
    from core import retention
    from messaging.models import Message

    direct = services.start_conversation(actor=employee, people=[ben])
    old = say(employee, direct, "long ago")
    Message.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    say(employee, direct, "recent")
    settings.MESSAGE_RETENTION_DAYS = 0
    assert retention.run(only=["messages"]) == {"messages": None}
    settings.MESSAGE_RETENTION_DAYS = 30
    assert retention.run(only=["messages"]) == {"messages": 1}
    assert list(Message.objects.values_list("body", flat=True)) == ["recent"]
    assert client_for(ben).get(f"/messages/{direct.pk}/").status_code == 200
