"""Digests: the busy posts of my groups I have not seen, my unread mentions, only what I
may read, never empty, never twice, and batched over users."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from feeds import services as feeds
from groups import services as groups
from groups.models import Group, Membership
from notifications import digests, services, tasks
from notifications.models import EmailSettings
from tests.factories import make_person

pytestmark = pytest.mark.django_db

SOON = dt.timedelta(minutes=5)


@pytest.fixture
def team(employee, colleague):
    """A public and a private group; employee is in both, colleague in the public one."""
    public = groups.create_group(actor=employee, name="Guild", privacy=Group.Privacy.PUBLIC)
    private = groups.create_group(actor=employee, name="Inner", privacy=Group.Privacy.PRIVATE)
    groups.join_group(actor=colleague, group=public)
    return public, private


def busy_post(group, author, body, *, comments=2):
    post = feeds.create_post(actor=author, group=group, body=body)
    for i in range(comments):
        commenter = make_person(f"c{post.pk}x{i}").user
        if not group.is_public:
            Membership.objects.create(group=group, user=commenter)
        feeds.create_comment(actor=commenter, post=post, body=f"comment {i}")
    return post


def run(frequency="weekly", now=None):
    ids = list(digests.subscriber_ids(frequency))
    return digests.send_digests(ids, frequency=frequency, now=now or timezone.now() + SOON)


def digest_for(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_a_digest_lists_busy_posts_i_have_not_seen(employee, colleague, team):
    public, _ = team
    busy_post(public, employee, "Roadmap for the quarter", comments=3)
    run()
    (message,) = digest_for(colleague)
    assert "Roadmap for the quarter" in message.body
    assert "3 comments" in message.body
    assert "Roadmap for the quarter" in message.alternatives[0][0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_nothing_from_a_private_group_i_am_not_in(employee, colleague, team):
    _, private = team
    busy_post(private, employee, "Secret reorg plans", comments=4)
    run()
    assert all("Secret reorg" not in m.body for m in digest_for(colleague))
    assert all("Secret reorg" not in m.alternatives[0][0] for m in digest_for(colleague))


def test_a_post_i_commented_on_or_reacted_to_counts_as_seen(employee, colleague, team):
    public, _ = team
    commented = busy_post(public, employee, "Already discussed")
    reacted = busy_post(public, employee, "Already liked")
    feeds.create_comment(actor=colleague, post=commented, body="seen")
    feeds.toggle_reaction(actor=colleague, post=reacted, kind="like")
    busy_post(public, employee, "Fresh news")
    run()
    (message,) = digest_for(colleague)
    assert "Fresh news" in message.body
    assert "Already discussed" not in message.body
    assert "Already liked" not in message.body


def test_unread_mentions_are_in_the_digest(employee, colleague, team):
    public, _ = team
    services.set_preferences(actor=colleague, deliveries={"mention": "digest"})
    feeds.create_post(actor=employee, group=public, body="Ping @ben.okafor")
    run()
    (message,) = digest_for(colleague)
    assert "Ana Garcia mentioned you" in message.body


def test_an_empty_digest_is_not_sent(employee, colleague, team):
    assert run() == 0
    assert mail.outbox == []


def test_a_muted_group_stays_out_of_the_digest(employee, colleague, team):
    public, _ = team
    busy_post(public, employee, "Muted chatter")
    services.mute_group(actor=colleague, group=public)
    run()
    assert digest_for(colleague) == []


def test_the_same_run_twice_sends_each_digest_once(employee, colleague, team):
    public, _ = team
    busy_post(public, employee, "Roadmap")
    now = timezone.now() + SOON
    assert run(now=now) >= 1
    sent = len(mail.outbox)
    assert run(now=now) == 0
    assert len(mail.outbox) == sent


def test_the_next_digest_starts_after_the_last(employee, colleague, team):
    public, _ = team
    busy_post(public, employee, "Old news")
    now = timezone.now() + SOON
    run(now=now)
    mail.outbox.clear()
    assert EmailSettings.objects.get(user=colleague).last_digest_at == now
    run(now=now + dt.timedelta(days=7))
    assert digest_for(colleague) == []


def test_daily_readers_get_the_daily_run_only(employee, colleague, team):
    public, _ = team
    services.set_preferences(actor=colleague, deliveries={}, digest="daily")
    busy_post(public, employee, "Daily news")
    assert colleague.pk not in list(digests.subscriber_ids("weekly"))
    run("daily")
    (message,) = digest_for(colleague)
    assert "daily" in message.subject


def test_the_beat_task_sends_by_chunks(employee, colleague, team):
    public, _ = team
    busy_post(public, employee, "Chunked")
    assert tasks.send_digests.delay("weekly").get() == 1  # one chunk for this small company
    assert digest_for(colleague)


def test_digest_queries_do_not_grow_with_users(employee, team, django_assert_max_num_queries):
    """Reading a chunk costs a fixed number of queries; each sent email then costs its claim
    (a savepoint and an insert) and the chunk one upsert of last-digest times."""
    public, _ = team
    people = [make_person(f"reader{i}").user for i in range(20)]
    for person in people:
        groups.join_group(actor=person, group=public)
    busy_post(public, employee, "For everyone")
    ids = [p.pk for p in people]
    with django_assert_max_num_queries(12):
        built = digests.build_digests(ids, frequency="weekly", now=timezone.now() + SOON)
    assert len([d for d in built if not d.is_empty()]) == 20


def test_a_registered_section_reaches_the_digest(employee, colleague, team, monkeypatch):
    """The contract with other apps: register_section(name, provider), provider(user_ids) ->
    {user id: [item, ...]}, each item with str() and get_absolute_url(); routing registers
    "questions" in its AppConfig.ready()."""
    from notifications import digests

    class Question:
        def __str__(self):
            return "Refund for order 1234"

        def get_absolute_url(self):
            return "/questions/7/"

    from routing.selectors import questions_waiting_for

    assert digests.SECTIONS["questions"] is questions_waiting_for
    monkeypatch.setitem(
        digests.SECTIONS,
        "questions",
        lambda user_ids: {uid: [Question()] for uid in user_ids if uid == colleague.pk},
    )
    run()
    (message,) = digest_for(colleague)
    assert "Refund for order 1234" in message.body
    assert "/questions/7/" in message.alternatives[0][0]
