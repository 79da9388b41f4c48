"""Email right after commit, as each person chose, never twice, with a one-click unsubscribe."""

import pytest
from django.core import mail
from django.db import transaction

from feeds import moderation
from feeds import services as feeds
from groups import services as groups
from groups.models import Group
from notifications import emails, services, tasks
from notifications.models import (
    EmailDelivery,
    EmailSettings,
    GroupMute,
    Notification,
    NotificationPreference,
)
from tests.conftest import client_for
from tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def public(employee):
    return groups.create_group(actor=employee, name="Guild", privacy=Group.Privacy.PUBLIC)


@pytest.fixture
def private(employee):
    return groups.create_group(actor=employee, name="Inner", privacy=Group.Privacy.PRIVATE)


def mention(post_author, group, who="@ben.okafor", capture=None):
    return feeds.create_post(actor=post_author, group=group, body=f"Hi {who}")


def test_a_mention_is_emailed_after_commit(
    employee, colleague, public, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://social.example.com"
    with django_capture_on_commit_callbacks(execute=True):
        post = mention(employee, public)
        assert mail.outbox == []  # nothing leaves before the commit
    (message,) = mail.outbox
    assert message.to == [colleague.email]
    assert "Ana Garcia mentioned you" in message.subject
    assert f"https://social.example.com{post.get_absolute_url()}" in message.body
    html = message.alternatives[0][0]
    assert "https://social.example.com/notifications/" in html
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://social.example.com/notifications/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_rolled_back_cause_sends_nothing(
    employee, colleague, public, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        mention(employee, public)
        raise RuntimeError
    assert mail.outbox == []


@pytest.mark.parametrize("delivery", ["digest", "off"])
def test_no_immediate_email_when_the_person_chose_otherwise(
    employee, colleague, public, delivery, django_capture_on_commit_callbacks
):
    services.set_preferences(actor=colleague, deliveries={"mention": delivery})
    with django_capture_on_commit_callbacks(execute=True):
        mention(employee, public)
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=colleague).exists()  # the center still has it


def test_a_muted_group_sends_no_email(
    employee, colleague, public, django_capture_on_commit_callbacks
):
    services.mute_group(actor=colleague, group=public)
    with django_capture_on_commit_callbacks(execute=True):
        mention(employee, public)
    assert mail.outbox == []


def test_reactions_default_to_the_digest(
    employee, colleague, public, django_capture_on_commit_callbacks
):
    post = feeds.create_post(actor=employee, group=public, body="Shipped")
    with django_capture_on_commit_callbacks(execute=True):
        feeds.toggle_reaction(actor=colleague, post=post, kind="like")
    assert mail.outbox == []


def test_no_email_about_a_group_the_recipient_left_before_it_went_out(employee, colleague, private):
    groups.invite_member(actor=employee, group=private, user=colleague)
    post = mention(employee, private)
    groups.remove_member(actor=employee, group=private, user=colleague)
    n = Notification.objects.get(recipient=colleague, kind="mention")  # (and "invited")
    tasks.email_notifications.delay([n.pk])
    assert mail.outbox == []
    assert post.pk


def test_the_same_task_twice_sends_one_email(employee, colleague, public):
    mention(employee, public)
    n = Notification.objects.get(recipient=colleague)
    assert tasks.email_notifications.delay([n.pk]).get() == 1
    assert tasks.email_notifications.delay([n.pk]).get() == 0  # redelivered: key taken
    tasks.email_notifications.apply(args=([n.pk, n.pk],))  # duplicated inside one batch
    assert len(mail.outbox) == 1
    assert EmailDelivery.objects.get().key == f"notification:{n.pk}"


def test_a_failed_send_is_retried_and_then_sent_once(employee, colleague, public, monkeypatch):
    """The claim and the send share a transaction: a send that fails leaves no claim."""
    mention(employee, public)
    n = Notification.objects.get(recipient=colleague)
    calls = {"n": 0}
    real_send = mail.EmailMultiAlternatives.send

    def flaky(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("SMTP went away")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", flaky)
    with pytest.raises(OSError):
        emails.send_notification_emails([n.pk])
    assert not EmailDelivery.objects.exists()
    assert emails.send_notification_emails([n.pk]) == 1
    assert emails.send_notification_emails([n.pk]) == 0
    assert len(mail.outbox) == 1


def test_an_announcement_emails_members_who_want_it_in_one_task(
    employee, public, django_capture_on_commit_callbacks
):
    members = [make_person(f"m{i}").user for i in range(5)]
    for m in members:
        groups.join_group(actor=m, group=public)
    services.set_preferences(actor=members[0], deliveries={"announcement": "immediate"})
    services.set_preferences(actor=members[1], deliveries={"announcement": "immediate"})
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        feeds.create_post(actor=employee, group=public, body="All hands", kind="announcement")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([members[0].email, members[1].email])
    assert len(callbacks) <= 3  # one email task for the batch, not one per member


# --- Unsubscribe ------------------------------------------------------------------------------


def test_unsubscribe_get_confirms_and_changes_nothing(client, colleague):
    token = emails.unsubscribe_token(colleague.pk, "kind:mention")
    response = client.get(f"/notifications/unsubscribe/{token}/")
    assert response.status_code == 200
    assert b"Stop email about mentions?" in response.content
    assert not NotificationPreference.objects.exists()


def test_one_click_post_unsubscribes_without_signing_in(client, colleague):
    token = emails.unsubscribe_token(colleague.pk, "kind:mention")
    client.handler.enforce_csrf_checks = True  # mail clients send no CSRF token
    response = client.post(
        f"/notifications/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=colleague, kind="mention").delivery == "off"


def test_unsubscribe_from_a_group_mutes_it(client, colleague, public):
    token = emails.unsubscribe_token(colleague.pk, f"group:{public.pk}")
    client.post(f"/notifications/unsubscribe/{token}/")
    assert GroupMute.objects.filter(user=colleague, group=public).exists()


def test_unsubscribe_from_the_digest(client, colleague):
    client.post(f"/notifications/unsubscribe/{emails.unsubscribe_token(colleague.pk, 'digest')}/")
    assert EmailSettings.objects.get(user=colleague).digest == "never"


@pytest.mark.parametrize("token", ["nonsense", "eyJ1IjoxfQ:1abc:forged"])
def test_a_forged_or_broken_token_does_nothing(client, colleague, token):
    assert client.post(f"/notifications/unsubscribe/{token}/").status_code == 400
    assert client.get(f"/notifications/unsubscribe/{token}/").status_code == 200
    assert not NotificationPreference.objects.exists()


def test_a_token_for_one_scope_cannot_be_edited_into_another(client, colleague):
    token = emails.unsubscribe_token(colleague.pk, "kind:mention")
    other = emails.unsubscribe_token(1, "digest")
    tampered = token.replace(token.split(":")[0], other.split(":")[0])
    assert client.post(f"/notifications/unsubscribe/{tampered}/").status_code == 400


# --- Preferences page and mute button --------------------------------------------------------


def test_preferences_page_saves_choices(employee):
    client = client_for(employee)
    page = client.get("/notifications/preferences/")
    assert page.status_code == 200
    data = dict.fromkeys(Notification.Kind.values, "immediate")
    data.update({"reaction": "off", "digest": "daily"})
    assert client.post("/notifications/preferences/", data).status_code == 302
    assert NotificationPreference.objects.get(user=employee, kind="reaction").delivery == "off"
    assert EmailSettings.objects.get(user=employee).digest == "daily"


def test_preferences_page_reports_a_bad_choice(employee):
    client = client_for(employee)
    data = dict.fromkeys(Notification.Kind.values, "immediate")
    data.update({"reaction": "loud", "digest": "daily"})
    response = client.post("/notifications/preferences/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["reaction"]
    assert not NotificationPreference.objects.exists()


def test_mute_and_unmute_a_group_from_its_page(colleague, public):
    client = client_for(colleague)
    groups.join_group(actor=colleague, group=public)
    assert client.post(f"/notifications/mute/{public.slug}/").status_code == 302
    assert GroupMute.objects.filter(user=colleague, group=public).exists()
    client.post(f"/notifications/mute/{public.slug}/", {"muted": "0"})
    assert not GroupMute.objects.exists()


def test_muting_a_secret_group_one_cannot_see_is_a_404(employee, colleague):
    secret = groups.create_group(actor=employee, name="Hush", privacy=Group.Privacy.SECRET)
    assert client_for(colleague).post(f"/notifications/mute/{secret.slug}/").status_code == 404
    assert not GroupMute.objects.exists()


def test_a_removal_reason_over_several_lines_still_makes_a_valid_email(
    employee, colleague, public, django_capture_on_commit_callbacks
):
    post = feeds.create_post(actor=colleague, group=public, body="Spam")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.remove_post(actor=employee, post=post, reason="Off topic.\r\nSee the rules.")
    (message,) = mail.outbox
    assert "Off topic. See the rules." in message.subject
