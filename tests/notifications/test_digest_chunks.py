"""A digest run in chunks (id ranges) that any number of workers take in parallel: every
reader gets one digest however often a chunk runs, in one worker or two at once, and a
chunk costs the same reads whatever its size."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from feeds import services as feeds
from groups import services as groups
from groups.models import Group
from notifications import digests, emails, tasks
from notifications.models import EmailDelivery
from tests.factories import make_person

pytestmark = pytest.mark.django_db

SOON = dt.timedelta(minutes=5)


@pytest.fixture
def readers(employee):
    """Nine people in a public group with a busy post: each has a digest to get."""
    guild = groups.create_group(actor=employee, name="Guild", privacy=Group.Privacy.PUBLIC)
    people = [make_person(f"reader{i}").user for i in range(9)]
    for person in people:
        groups.join_group(actor=person, group=guild)
    post = feeds.create_post(actor=employee, group=guild, body="Roadmap")
    for person in people[:2]:
        feeds.create_comment(actor=person, post=post, body="Agreed")
    return people[2:]  # the two who commented have seen it


def _recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_the_run_is_cut_into_disjoint_ranges_covering_everyone(readers, settings):
    settings.DIGEST_CHUNK_SIZE = 3
    ranges = digests.run_ranges("weekly")
    ids = list(digests.subscriber_ids("weekly"))
    assert [r[0] for r in ranges] == ids[::3]
    covered = [i for first, last in ranges for i in ids if first <= i <= last]
    assert covered == ids


def test_chunks_run_in_any_order_and_twice_send_each_digest_once(readers, settings):
    settings.DIGEST_CHUNK_SIZE = 3
    now = timezone.now() + SOON
    ranges = digests.run_ranges("weekly")
    sent = 0
    for first, last in reversed(ranges + ranges):  # every chunk retried, out of order
        sent += digests.send_digest_range(first_id=first, last_id=last, frequency="weekly", now=now)
    assert sent == len(readers) == len(mail.outbox)
    assert _recipients() == sorted(user.email for user in readers)
    assert EmailDelivery.objects.filter(key__startswith="digest:").count() == len(readers)


def test_the_beat_task_enqueues_one_range_per_chunk(readers, settings):
    settings.DIGEST_CHUNK_SIZE = 4
    assert tasks.send_digests.delay("weekly").get() == len(digests.run_ranges("weekly")) > 1
    assert _recipients() == sorted(user.email for user in readers)


def test_a_claim_taken_by_another_worker_is_not_sent_again(readers):
    """Two workers with the same chunk: whoever claimed a reader's key first sends it."""
    now = timezone.now() + SOON
    key = f"digest:weekly:{digests.run_key('weekly', now)}:{readers[0].pk}"
    assert emails.claim_many([(key, readers[0].pk, "Your weekly digest")]).keys() == {key}
    ids = [user.pk for user in readers]
    assert digests.send_digests(ids, frequency="weekly", now=now) == len(readers) - 1
    assert readers[0].email not in _recipients()


def test_a_claim_left_by_a_dead_worker_is_sent_once_more_with_its_message_id(readers, settings):
    now = timezone.now() + SOON
    key = f"digest:weekly:{digests.run_key('weekly', now)}:{readers[0].pk}"
    (taken,) = emails.claim_many([(key, readers[0].pk, "Your weekly digest")]).values()
    EmailDelivery.objects.filter(key=key).update(claimed_at=timezone.now() - dt.timedelta(hours=1))
    digests.send_digests([readers[0].pk], frequency="weekly", now=now)
    (message,) = mail.outbox
    assert message.extra_headers["Message-ID"] == taken.message_id
    row = EmailDelivery.objects.get(key=key)
    assert (row.state, row.attempts) == ("sent", 2)


@pytest.mark.parametrize("size", [3, 7])
def test_a_chunk_costs_fixed_reads_a_claim_and_one_mark_per_email(
    readers, size, django_assert_num_queries
):
    """FIXED whatever the chunk's size: the reads of build_digests (people, mutes,
    memberships, notifications, the sections' batched reads), the claim INSERT (in a
    savepoint pair here, the test's transaction) and one upsert of last-digest times; then
    one "sent" UPDATE per email."""
    ids = [user.pk for user in readers[:size]]
    now = timezone.now() + SOON
    with django_assert_num_queries(FIXED + size):
        assert digests.send_digests(ids, frequency="weekly", now=now) == size


# synchronous_commit off and reset are PostgreSQL's (emails.commits_without_waiting_for_disk).
FIXED = 15 + (2 if connection.vendor == "postgresql" else 0)
