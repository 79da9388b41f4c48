"""Nothing after commit fails the request; what was not enqueued is found by the outbox sweep;
an email claim tells a dead attempt from a live one (sent once more, then "uncertain").

In-process (both runs): the broker's refusal is simulated at the edge (apply_async raising
kombu's OperationalError, as it does with Redis down). test_faults.py does the same with real
processes and a real closed port.
"""

import datetime as dt

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from kombu.exceptions import OperationalError

from feeds import services as feeds
from groups import services as groups
from groups.models import Group
from notifications import emails, tasks
from notifications.models import EmailDelivery, Notification
from people import services as people

pytestmark = pytest.mark.django_db


@pytest.fixture
def public(employee):
    return groups.create_group(actor=employee, name="Guild", privacy=Group.Privacy.PUBLIC)


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    monkeypatch.setattr(tasks.email_notifications, "apply_async", refuse)


def test_a_comment_commits_and_returns_when_the_broker_refuses(
    employee, colleague, public, broker_down, django_capture_on_commit_callbacks, caplog
):
    post = feeds.create_post(actor=employee, group=public, body="Lunch?")
    with django_capture_on_commit_callbacks(execute=True):
        comment = feeds.create_comment(actor=colleague, post=post, body="Yes")
    assert comment.pk
    notification = Notification.objects.get(recipient=employee, kind=Notification.Kind.COMMENT)
    assert notification.email_due_at is not None  # still in the outbox
    assert mail.outbox == []
    assert "could not enqueue notifications.email" in caplog.text


def test_the_sweep_sends_what_was_not_enqueued_once(
    employee, colleague, public, monkeypatch, django_capture_on_commit_callbacks, settings
):
    post = feeds.create_post(actor=employee, group=public, body="Lunch?")
    real = tasks.email_notifications.apply_async
    monkeypatch.setattr(
        tasks.email_notifications, "apply_async", lambda *a, **k: (_ for _ in ()).throw(OSError())
    )
    with django_capture_on_commit_callbacks(execute=True):
        feeds.create_comment(actor=colleague, post=post, body="Yes")
    monkeypatch.setattr(tasks.email_notifications, "apply_async", real)  # the broker is back

    settings.OUTBOX_GRACE_SECONDS = 300
    assert tasks.sweep_outbox() == 0  # not due yet: its task may still be on the way
    Notification.objects.update(email_due_at=timezone.now() - dt.timedelta(minutes=6))
    assert tasks.sweep_outbox() == 1
    assert len(mail.outbox) == 1
    assert not Notification.objects.filter(email_due_at__isnull=False).exists()
    assert tasks.sweep_outbox() == 0
    assert len(mail.outbox) == 1


def test_a_notification_not_wanted_by_email_leaves_the_outbox(employee, colleague, public):
    post = feeds.create_post(actor=employee, group=public, body="Lunch?")
    feeds.toggle_reaction(actor=colleague, post=post, kind="like")
    reaction = Notification.objects.get(kind=Notification.Kind.REACTION)
    emails.send_notification_emails([reaction.pk])  # reactions go to the digest by default
    reaction.refresh_from_db()
    assert reaction.email_due_at is None
    assert mail.outbox == []


def test_the_sweep_leases_what_it_enqueued_and_drops_old_news(employee, colleague, public):
    now = timezone.now()
    post = feeds.create_post(actor=employee, group=public, body="Lunch?")
    feeds.create_comment(actor=colleague, post=post, body="Yes")
    n = Notification.objects.get(kind=Notification.Kind.COMMENT)
    grace, horizon = dt.timedelta(minutes=5), dt.timedelta(hours=24)
    Notification.objects.filter(pk=n.pk).update(email_due_at=now - dt.timedelta(minutes=6))
    assert emails.due_notification_ids(now=now, grace=grace, horizon=horizon) == [n.pk]
    # Leased: the next sweep a minute later does not enqueue it again.
    later = now + dt.timedelta(minutes=1)
    assert emails.due_notification_ids(now=later, grace=grace, horizon=horizon) == []
    Notification.objects.filter(pk=n.pk).update(email_due_at=now - dt.timedelta(hours=25))
    assert emails.due_notification_ids(now=now, grace=grace, horizon=horizon) == []
    n.refresh_from_db()
    assert n.email_due_at is None  # too old to email: the center still lists it


def test_rows_from_before_the_outbox_are_not_due(employee, colleague, public):
    """The migration adds email_due_at as NULL: old notifications are never swept."""
    field = Notification._meta.get_field("email_due_at")
    assert field.null and callable(field.default)


def test_create_employee_succeeds_when_the_cache_fails(
    monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    monkeypatch.setattr(cache, "delete_many", down)
    with django_capture_on_commit_callbacks(execute=True):
        profile = people.create_employee(
            username="new.hire", email="new.hire@example.com", display_name="New Hire"
        )
    assert profile.user.pk
    assert "could not forget the directory counts" in caplog.text


# --- Claims: a dead attempt is told apart from a live one -------------------------------------


def _send(key, user):
    return emails.send_once(
        key=key, recipient=user, subject="Hello", text="t", html="<p>t</p>", unsubscribe="u"
    )


def test_an_email_carries_a_message_id_stable_for_its_key(colleague, settings):
    settings.SITE_URL = "https://social.example.com"
    assert _send("test:1", colleague)
    (message,) = mail.outbox
    claim = EmailDelivery.objects.get(key="test:1")
    assert message.extra_headers["Message-ID"] == claim.message_id == emails.message_id("test:1")
    assert claim.message_id.endswith("@social.example.com>")
    assert emails.message_id("test:2") != claim.message_id
    assert claim.state == EmailDelivery.State.SENT and claim.sent_at is not None


def test_a_claim_being_sent_now_is_left_alone(colleague):
    EmailDelivery.objects.create(key="test:1", recipient=colleague, subject="Hello")
    assert not _send("test:1", colleague)  # another worker is talking to the server
    assert mail.outbox == []
    assert EmailDelivery.objects.get().state == EmailDelivery.State.SENDING


def test_a_dead_attempt_is_sent_once_more_then_marked_uncertain(colleague, settings, caplog):
    settings.EMAIL_SENDING_GRACE_SECONDS = 300
    old = timezone.now() - dt.timedelta(minutes=6)
    EmailDelivery.objects.create(
        key="test:1",
        recipient=colleague,
        subject="Hello",
        message_id=emails.message_id("test:1"),
        claimed_at=old,
    )
    assert _send("test:1", colleague)
    (message,) = mail.outbox
    assert message.extra_headers["Message-ID"] == emails.message_id("test:1")
    claim = EmailDelivery.objects.get()
    assert (claim.state, claim.attempts) == (EmailDelivery.State.SENT, 2)
    assert "died while sending; sending it once more" in caplog.text

    # The second attempt died too: no third email, a row an operator can find.
    EmailDelivery.objects.update(state=EmailDelivery.State.SENDING, claimed_at=old)
    assert not _send("test:1", colleague)
    assert len(mail.outbox) == 1
    assert EmailDelivery.objects.get().state == EmailDelivery.State.UNCERTAIN
    assert not _send("test:1", colleague)
    assert "marked uncertain" in caplog.text


def test_quit_is_not_part_of_the_send(colleague, monkeypatch):
    """ "sent" is recorded before QUIT; a failing QUIT changes nothing."""
    from django.core.mail.backends.locmem import EmailBackend

    states = []

    def close(self):
        states.append(EmailDelivery.objects.get().state)
        raise OSError("connection reset during QUIT")

    monkeypatch.setattr(EmailBackend, "close", close, raising=False)
    assert _send("test:1", colleague)
    assert states == [EmailDelivery.State.SENT]
    assert len(mail.outbox) == 1
