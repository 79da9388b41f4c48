"""SECURITY.md leak class 3: digests and notification emails built for people outside a busy
private or secret group show nothing of it (tests/feeds/world.py's company)."""

import pytest
from django.core import mail
from django.utils import timezone

from feeds import services as feeds
from groups import services as groups
from notifications import digests, tasks
from notifications.models import Notification

pytestmark = pytest.mark.django_db

HIDDEN = ("privateword", "secretword", "privatecomment", "secretcomment", "Secret group")


def everything_sent_to(user) -> str:
    parts = []
    for message in mail.outbox:
        if message.to == [user.email]:
            parts += [message.subject, message.body, *(a[0] for a in message.alternatives)]
    return "\n".join(parts)


def run_digest():
    ids = list(digests.subscriber_ids("weekly"))
    return digests.send_digests(ids, frequency="weekly", now=timezone.now())


def test_a_mention_in_a_group_one_cannot_read_notifies_nothing(world):
    """The world's posts mention @outsider in every group: only the public one reaches them."""
    rows = Notification.objects.filter(recipient=world.outsider)
    assert {n.group_id for n in rows} == {world.groups["public"].pk}


@pytest.mark.parametrize("name", ["outsider", "former"])
def test_digests_of_people_outside_show_nothing_of_private_or_secret_groups(world, name):
    user = world.users[name]
    groups.join_group(actor=user, group=world.groups["public"])
    for privacy in ("private", "secret"):  # make them busy
        for someone in (world.leader, world.owner):
            feeds.create_comment(actor=someone, post=world.posts[privacy], body="busy busy")
    run_digest()
    sent = everything_sent_to(user)
    assert "publicword" in sent  # the digest went out, with the public group's busy post
    for hidden in HIDDEN:
        assert hidden not in sent


def test_a_former_member_gets_no_email_or_digest_of_an_old_mention(world):
    former = world.former
    private = world.groups["private"]
    groups.invite_member(actor=world.owner, group=private, user=former)
    feeds.create_post(actor=world.member, group=private, body="privateword for @former")
    mention = Notification.objects.get(recipient=former, kind="mention")
    groups.leave_group(actor=former, group=private)
    tasks.email_notifications.delay([mention.pk])
    run_digest()
    sent = everything_sent_to(former)
    assert "privateword" not in sent
    assert "Private group" not in sent


def test_digest_and_notification_emails_keep_hostile_text_inert(employee, colleague):
    from feeds import services as feed_services
    from groups.models import Group
    from tests.xss import assert_inert, payloads

    group = groups.create_group(actor=employee, name="Guild", privacy=Group.Privacy.PUBLIC)
    groups.join_group(actor=colleague, group=group)
    for payload in payloads()[:30]:
        post = feed_services.create_post(actor=employee, group=group, body=f"{payload} @ben.okafor")
        feed_services.create_comment(actor=employee, post=post, body=payload)
    ids = list(Notification.objects.filter(recipient=colleague).values_list("pk", flat=True))
    tasks.email_notifications.delay(ids)
    run_digest()
    htmls = [m.alternatives[0][0] for m in mail.outbox if m.to == [colleague.email]]
    assert len(htmls) > 1
    for html in htmls:
        assert_inert(html)
