"""Each cause writes its notification in its own transaction, to people who may read it."""

import pytest
from django.db import transaction

from feeds import moderation
from feeds import services as feeds
from groups import services as groups
from groups.models import Group, JoinRequest, Membership
from notifications.models import Notification
from tests.factories import make_person

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def rows(user, kind=None):
    qs = Notification.objects.filter(recipient=user)
    return list(qs.filter(kind=kind) if kind else qs)


@pytest.fixture
def public(employee):
    return groups.create_group(actor=employee, name="Guild", privacy=Group.Privacy.PUBLIC)


@pytest.fixture
def private(employee):
    return groups.create_group(actor=employee, name="Inner circle", privacy=Group.Privacy.PRIVATE)


def test_a_mention_in_a_post_notifies_the_person_mentioned(employee, colleague, public):
    post = feeds.create_post(actor=employee, group=public, body="Thanks @ben.okafor!")
    (n,) = rows(colleague, Kind.MENTION)
    assert n.actor == employee
    assert n.url == post.get_absolute_url()
    assert n.group_id == public.pk
    assert "Ana Garcia mentioned you" in n.text


def test_a_mention_in_a_group_they_cannot_read_notifies_nobody(employee, colleague, private):
    feeds.create_post(actor=employee, group=private, body="Do not tell @ben.okafor")
    assert rows(colleague) == []


def test_a_mention_added_by_an_edit_notifies_once(employee, colleague, public):
    post = feeds.create_post(actor=employee, group=public, body="Hello")
    feeds.edit_post(actor=employee, post=post, body="Hello @ben.okafor")
    feeds.edit_post(actor=employee, post=post, body="Hello again @ben.okafor")
    assert len(rows(colleague, Kind.MENTION)) == 1


def test_comments_on_my_post_collapse_counting_distinct_people(employee, colleague, public):
    post = feeds.create_post(actor=employee, group=public, body="Lunch?")
    cara = make_person("cara.diaz", display_name="Cara Diaz").user
    feeds.create_comment(actor=colleague, post=post, body="Yes")
    feeds.create_comment(actor=cara, post=post, body="Me too")
    feeds.create_comment(actor=colleague, post=post, body="Where?")
    (n,) = rows(employee, Kind.COMMENT)
    assert n.actor_count == 2
    assert sorted(n.actor_ids) == sorted([colleague.pk, cara.pk])
    assert n.others == 1


def test_a_reply_notifies_the_comment_author_not_twice(employee, colleague, public):
    post = feeds.create_post(actor=employee, group=public, body="Question")
    comment = feeds.create_comment(actor=colleague, post=post, body="Answer")
    feeds.create_comment(actor=employee, post=post, body="Thanks", parent=comment)
    (n,) = rows(colleague)
    assert n.kind == Kind.REPLY
    # The post's author replied: they hear of Ben's comment, not of their own reply.
    assert [n.kind for n in rows(employee)] == [Kind.COMMENT]


def test_a_mentioned_post_author_gets_the_mention_only(employee, colleague, public):
    post = feeds.create_post(actor=employee, group=public, body="Question")
    feeds.create_comment(actor=colleague, post=post, body="@ana.garcia see this")
    assert [n.kind for n in rows(employee)] == [Kind.MENTION]


def test_reactions_read_ana_and_3_others(employee, public):
    post = feeds.create_post(actor=employee, group=public, body="Shipped!")
    people = [make_person(f"p{i}", display_name=f"P{i}").user for i in range(4)]
    for person in people:
        feeds.toggle_reaction(actor=person, post=post, kind="like")
    # The same person again, another kind, and a take-back then re-add: still 4 people.
    feeds.toggle_reaction(actor=people[0], post=post, kind="celebrate")
    feeds.toggle_reaction(actor=people[1], post=post, kind="like")
    feeds.toggle_reaction(actor=people[1], post=post, kind="like")
    (n,) = rows(employee, Kind.REACTION)
    assert n.actor_count == 4
    assert n.others == 3


def test_my_own_reaction_notifies_nobody(employee, public):
    post = feeds.create_post(actor=employee, group=public, body="Me")
    feeds.toggle_reaction(actor=employee, post=post, kind="like")
    assert not Notification.objects.exists()


def test_a_join_request_reaches_the_leaders_only(employee, colleague, private):
    leader = make_person("lea.lead").user
    member = make_person("mo.member").user
    groups.invite_member(actor=employee, group=private, user=leader)
    groups.change_role(actor=employee, group=private, user=leader, role="leader")
    groups.invite_member(actor=employee, group=private, user=member)
    groups.join_group(actor=colleague, group=private, message="Let me in")
    assert {n.recipient_id for n in Notification.objects.filter(kind=Kind.JOIN_REQUEST)} == {
        employee.pk,
        leader.pk,
    }


def test_an_approved_request_tells_the_asker(employee, colleague, private):
    request = groups.join_group(actor=colleague, group=private)
    groups.decide_join_request(actor=employee, join_request=request, approve=True)
    (n,) = rows(colleague, Kind.REQUEST_APPROVED)
    assert n.url == private.get_absolute_url()


def test_a_denied_request_sends_no_approval(employee, colleague, private):
    request = groups.join_group(actor=colleague, group=private)
    groups.decide_join_request(actor=employee, join_request=request, approve=False)
    assert rows(colleague) == []
    assert JoinRequest.objects.get().status == JoinRequest.Status.DENIED


def test_an_announcement_reaches_every_member_in_bulk(
    employee, public, django_assert_max_num_queries
):
    for i in range(30):
        Membership.objects.create(group=public, user=make_person(f"m{i}").user)
    # The announcement's own writes plus a fixed number for notifications, not 30 chains.
    with django_assert_max_num_queries(25):
        feeds.create_post(actor=employee, group=public, body="All hands", kind="announcement")
    assert Notification.objects.filter(kind=Kind.ANNOUNCEMENT).count() == 30
    assert not Notification.objects.filter(recipient=employee).exists()


def test_a_removed_post_tells_its_author_why(employee, colleague, public):
    post = feeds.create_post(actor=colleague, group=public, body="Spam")
    moderation.remove_post(actor=employee, post=post, reason="Off topic for this group")
    (n,) = rows(colleague, Kind.POST_REMOVED)
    assert "Off topic for this group" in n.text


def test_a_rolled_back_cause_leaves_no_notification(employee, colleague, public):
    with pytest.raises(RuntimeError), transaction.atomic():
        feeds.create_post(actor=employee, group=public, body="Hi @ben.okafor")
        raise RuntimeError("the request failed after the post")
    assert rows(colleague) == []
