"""Membership and moderation rules, at the services every surface calls."""

import datetime as dt

import pytest
from django.utils import timezone

from core.errors import ApplicationError
from feeds import moderation
from feeds import services as feeds
from feeds.models import Comment, Post, Reaction
from groups import services
from groups.models import AuditEntry, Group, JoinRequest, Membership, Report

from ..factories import DepartmentFactory, make_person

pytestmark = pytest.mark.django_db


def refused(call, **kwargs) -> ApplicationError:
    with pytest.raises(ApplicationError) as info:
        call(**kwargs)
    return info.value


@pytest.mark.parametrize("role", ["member", "muted", "former", "outsider"])
def test_non_leaders_cannot_moderate_and_nothing_changes(world, role):
    actor, group, post = world.users[role], world.groups["public"], world.posts["public"]
    comment = world.comments["public"]
    for call, kwargs in [
        (moderation.remove_post, {"post": post, "reason": "x"}),
        (moderation.remove_comment, {"comment": comment, "reason": "x"}),
        (moderation.pin_post, {"post": post}),
        (moderation.close_comments, {"post": post}),
        (services.invite_member, {"group": group, "user": world.outsider}),
        (services.remove_member, {"group": group, "user": world.member}),
        (
            services.mute_member,
            {"group": group, "user": world.member, "until": timezone.now() + dt.timedelta(days=1)},
        ),
    ]:
        assert refused(call, actor=actor, **kwargs).status == 403, call.__name__
    post.refresh_from_db()
    comment.refresh_from_db()
    assert post.is_live and post.pinned_at is None and not post.comments_closed
    assert comment.is_live
    assert not Membership.objects.filter(group=group, user=world.outsider).exists()
    assert Membership.objects.get(group=group, user=world.member).muted_until is None


def test_leader_removes_a_post_with_a_reason_in_the_audit_log(world):
    post = world.posts["private"]
    assert (
        refused(moderation.remove_post, actor=world.leader, post=post, reason="  ").field
        == "reason"
    )
    report = moderation.report_content(actor=world.member, post=post, reason="Customer data")
    moderation.remove_post(actor=world.leader, post=post, reason="Contains a customer's email")
    post.refresh_from_db()
    report.refresh_from_db()
    assert post.removed_at and post.removed_by == world.leader
    assert post.removed_reason == "Contains a customer's email"
    assert report.status == Report.Status.RESOLVED
    entry = AuditEntry.objects.get(group=post.group, action=AuditEntry.Action.REMOVE_POST)
    assert (entry.actor, entry.post, entry.target_user, entry.reason) == (
        world.leader,
        post,
        world.member,
        "Contains a customer's email",
    )


def test_join_public_at_once_private_by_request_secret_by_invite(world):
    newcomer = make_person("newcomer").user
    assert isinstance(services.join_group(actor=newcomer, group=world.groups["public"]), Membership)
    request = services.join_group(actor=newcomer, group=world.groups["private"], message="Hi")
    assert isinstance(request, JoinRequest) and request.status == "pending"
    assert services.join_group(actor=newcomer, group=world.groups["private"]).pk == request.pk
    assert refused(services.join_group, actor=newcomer, group=world.groups["secret"]).status == 403
    assert (
        refused(
            services.decide_join_request, actor=world.member, join_request=request, approve=True
        ).status
        == 403
    )
    services.decide_join_request(actor=world.leader, join_request=request, approve=True)
    assert Membership.objects.filter(group=world.groups["private"], user=newcomer).exists()
    assert AuditEntry.objects.filter(action="approve_request", target_user=newcomer).exists()
    second = make_person("second").user
    denied = services.join_group(actor=second, group=world.groups["private"])
    services.decide_join_request(actor=world.owner, join_request=denied, approve=False)
    assert not Membership.objects.filter(group=world.groups["private"], user=second).exists()
    assert (
        refused(
            services.decide_join_request, actor=world.owner, join_request=denied, approve=True
        ).field
        == "request"
    )


def test_muted_member_reads_but_cannot_write(world):
    group, post = world.groups["public"], world.posts["public"]
    before = (Post.objects.count(), Comment.objects.count())
    assert refused(feeds.create_post, actor=world.muted, group=group, body="hi").status == 403
    assert refused(feeds.create_comment, actor=world.muted, post=post, body="hi").status == 403
    assert (Post.objects.count(), Comment.objects.count()) == before
    services.mute_member(actor=world.leader, group=group, user=world.muted, until=None)
    feeds.create_post(actor=world.muted, group=group, body="Back again")
    assert AuditEntry.objects.filter(action="unmute", target_user=world.muted).exists()


def test_outsiders_cannot_post_in_private_groups_but_join_public_by_posting(world):
    assert (
        refused(
            feeds.create_post, actor=world.outsider, group=world.groups["private"], body="hello"
        ).status
        == 403
    )
    feeds.create_post(actor=world.outsider, group=world.groups["public"], body="hello")
    assert Membership.objects.filter(group=world.groups["public"], user=world.outsider).exists()


def test_announcements_are_for_leaders(world):
    group = world.groups["public"]
    assert (
        refused(
            feeds.create_post, actor=world.member, group=group, body="News", kind="announcement"
        ).status
        == 403
    )
    post = feeds.create_post(actor=world.leader, group=group, body="News", kind="announcement")
    assert AuditEntry.objects.filter(action="announce", post=post).exists()


def test_closed_comments(world):
    post = world.posts["public"]
    moderation.close_comments(actor=world.leader, post=post)
    assert refused(feeds.create_comment, actor=world.member, post=post, body="x").status == 403
    moderation.close_comments(actor=world.leader, post=post, closed=False)
    feeds.create_comment(actor=world.member, post=post, body="x")


def test_reaction_toggles(world):
    post = world.posts["public"]
    assert feeds.toggle_reaction(actor=world.outsider, post=post, kind="celebrate") is True
    assert feeds.toggle_reaction(actor=world.outsider, post=post, kind="celebrate") is False
    assert not Reaction.objects.filter(post=post, user=world.outsider).exists()
    assert (
        refused(
            feeds.toggle_reaction, actor=world.outsider, post=world.posts["secret"], kind="like"
        ).status
        == 404
    )
    assert (
        refused(feeds.toggle_reaction, actor=world.member, post=post, kind="angry").field == "kind"
    )


def test_accepted_answer_by_asker_or_leader_on_questions_only(world):
    question = feeds.create_post(
        actor=world.member,
        group=world.groups["public"],
        body="How do refunds work?",
        kind="question",
    )
    answer = feeds.create_comment(actor=world.leader, post=question, body="Like this.")
    assert (
        refused(feeds.accept_answer, actor=world.outsider, post=question, comment=answer).status
        == 403
    )
    feeds.accept_answer(actor=world.member, post=question, comment=answer)
    question.refresh_from_db()
    assert question.accepted_answer == answer
    assert (
        refused(
            feeds.accept_answer,
            actor=world.member,
            post=world.posts["public"],
            comment=world.comments["public"],
        ).field
        == "comment"
    )


def test_edits_keep_history_and_only_authors_edit(world):
    post = world.posts["public"]
    assert refused(feeds.edit_post, actor=world.leader, post=post, body="x").status == 403
    feeds.edit_post(actor=world.member, post=post, body="Second version #newtopic")
    post.refresh_from_db()
    assert post.edited_at and post.body == "Second version #newtopic"
    assert [r.body for r in post.revisions.all()] == [
        "The publicword plan for #sharedtopic, cc @outsider"
    ]
    assert list(post.topics.values_list("name", flat=True)) == ["newtopic"]


@pytest.mark.parametrize(("body", "field"), [("", "body"), ("   ", "body"), ("x" * 10_001, "body")])
def test_bad_post_bodies(world, body, field):
    before = Post.objects.count()
    assert (
        refused(
            feeds.create_post, actor=world.member, group=world.groups["public"], body=body
        ).field
        == field
    )
    assert Post.objects.count() == before


def test_one_reply_level(world):
    reply = world.replies["public"]
    nested = feeds.create_comment(
        actor=world.owner, post=world.posts["public"], body="deeper", parent=reply
    )
    assert nested.parent == world.comments["public"]


def test_department_groups_follow_the_department(db):
    sales, legal = (
        DepartmentFactory(name="Sales", slug="sales"),
        DepartmentFactory(name="Legal", slug="legal"),
    )
    person = make_person("dana", department=sales)
    sales_group = Group.objects.get(department=sales)
    company = Group.objects.get(kind=Group.Kind.COMPANY)
    assert set(Membership.objects.filter(user=person.user).values_list("group", flat=True)) == {
        sales_group.pk,
        company.pk,
    }
    assert refused(services.leave_group, actor=person.user, group=sales_group).status == 403
    person.department = legal
    person.save()
    legal_group = Group.objects.get(department=legal)
    assert set(Membership.objects.filter(user=person.user).values_list("group", flat=True)) == {
        legal_group.pk,
        company.pk,
    }


def test_owner_cannot_leave_without_another_owner(world):
    group = world.groups["public"]
    assert refused(services.leave_group, actor=world.owner, group=group).field == "role"
    services.change_role(actor=world.owner, group=group, user=world.leader, role="owner")
    services.leave_group(actor=world.owner, group=group)
    assert not Membership.objects.filter(group=group, user=world.owner).exists()


def test_only_owners_change_roles(world):
    group = world.groups["public"]
    assert (
        refused(
            services.change_role, actor=world.leader, group=group, user=world.member, role="leader"
        ).status
        == 403
    )
    assert (
        refused(
            services.change_role, actor=world.owner, group=group, user=world.member, role="king"
        ).field
        == "role"
    )


def test_replies_outlive_a_removed_comment_without_its_text(world):
    from feeds import selectors

    comment = world.comments["public"]
    moderation.remove_comment(actor=world.leader, comment=comment, reason="Rude")
    thread = selectors.thread_of(world.member, world.posts["public"]).items
    assert len(thread) == 1
    gone = thread[0]
    assert not gone.is_live and gone.body == gone.body_html == ""
    assert [r.body for r in gone.reply_list] == ["A publicreply"]
