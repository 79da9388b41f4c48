"""The causes a new user found silent: a removed comment, being added to a group, an accepted
answer. Each writes its row in its cause's transaction, emails as the person chose, and tells
nothing to someone who cannot read the group."""

import pytest
from django.core import mail
from django.db import transaction

from feeds import moderation
from feeds import services as feeds
from feeds.models import Post
from groups import services as groups
from groups.models import Group
from notifications import services
from notifications.models import Notification
from tests.conftest import client_for
from tests.factories import make_person

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def rows(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind))


@pytest.fixture
def public(employee):
    return groups.create_group(actor=employee, name="Guild", privacy=Group.Privacy.PUBLIC)


@pytest.fixture
def private(employee):
    return groups.create_group(actor=employee, name="Inner circle", privacy=Group.Privacy.PRIVATE)


@pytest.fixture
def secret(employee):
    return groups.create_group(actor=employee, name="Skunkworks", privacy=Group.Privacy.SECRET)


# --- A removed comment -----------------------------------------------------------------


def test_a_removed_comment_tells_its_author_why_and_nothing_of_the_content(
    employee, colleague, public, django_capture_on_commit_callbacks
):
    post = feeds.create_post(actor=employee, group=public, body="Roadmap for Q3")
    comment = feeds.create_comment(actor=colleague, post=post, body="Call me on 555-0100")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.remove_comment(actor=employee, comment=comment, reason="Phone numbers stay out")
    (n,) = rows(colleague, Kind.COMMENT_REMOVED)
    assert n.actor == employee and n.group_id == public.pk
    assert n.text == "A moderator removed your comment in Guild: Phone numbers stay out"
    assert "555-0100" not in n.text and "Roadmap" not in n.text
    (message,) = mail.outbox  # right away by default, like a removed post
    assert message.to == [colleague.email]
    assert "Phone numbers stay out" in message.subject
    assert "555-0100" not in message.body


def test_a_removed_comment_emails_nobody_who_chose_no_email(
    employee, colleague, public, django_capture_on_commit_callbacks
):
    services.set_preferences(actor=colleague, deliveries={"comment_removed": "off"})
    post = feeds.create_post(actor=employee, group=public, body="Roadmap")
    comment = feeds.create_comment(actor=colleague, post=post, body="Hm")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.remove_comment(actor=employee, comment=comment, reason="Off topic")
    assert mail.outbox == []
    assert len(rows(colleague, Kind.COMMENT_REMOVED)) == 1  # the center still has it


def test_a_comment_removed_after_its_author_left_a_private_group_tells_nobody(
    employee, colleague, private
):
    groups.invite_member(actor=employee, group=private, user=colleague)
    post = feeds.create_post(actor=employee, group=private, body="Plans")
    comment = feeds.create_comment(actor=colleague, post=post, body="Nice")
    groups.leave_group(actor=colleague, group=private)
    moderation.remove_comment(actor=employee, comment=comment, reason="Cleanup")
    assert rows(colleague, Kind.COMMENT_REMOVED) == []


def test_a_failed_comment_removal_leaves_no_notification(employee, colleague, public):
    post = feeds.create_post(actor=employee, group=public, body="Roadmap")
    comment = feeds.create_comment(actor=colleague, post=post, body="Hm")
    with pytest.raises(RuntimeError), transaction.atomic():
        moderation.remove_comment(actor=employee, comment=comment, reason="Off topic")
        raise RuntimeError("the request failed after the removal")
    assert rows(colleague, Kind.COMMENT_REMOVED) == []


# --- Being added to a group --------------------------------------------------------------


@pytest.mark.parametrize("privacy", ["secret", "private"])
def test_adding_someone_to_a_group_tells_them_where(
    employee, colleague, privacy, request, django_capture_on_commit_callbacks
):
    group = request.getfixturevalue(privacy)
    with django_capture_on_commit_callbacks(execute=True):
        groups.invite_member(actor=employee, group=group, user=colleague)
    (n,) = rows(colleague, Kind.INVITED)
    assert n.text == f"Ana Garcia added you to {group.name}"
    assert n.url == group.get_absolute_url() and n.group_id == group.pk
    (message,) = mail.outbox
    assert message.to == [colleague.email]
    # The link works for them: the secret group is theirs to read now.
    assert client_for(colleague).get(n.url).status_code == 200


def test_adding_a_member_twice_notifies_once(employee, colleague, secret):
    groups.invite_member(actor=employee, group=secret, user=colleague)
    groups.invite_member(actor=employee, group=secret, user=colleague)
    assert len(rows(colleague, Kind.INVITED)) == 1


def test_adding_someone_from_the_members_page_notifies_them(employee, colleague, secret):
    response = client_for(employee).post(
        f"/groups/{secret.slug}/invite/", {"username": colleague.username}
    )
    assert response.status_code == 302
    assert len(rows(colleague, Kind.INVITED)) == 1


# --- An accepted answer ------------------------------------------------------------------


@pytest.fixture
def question(employee, public):
    return feeds.create_post(
        actor=employee, group=public, body="Where is the VPN guide?", kind=Post.Kind.QUESTION
    )


def test_the_accepted_answers_author_is_told(
    employee, colleague, question, django_capture_on_commit_callbacks
):
    answer = feeds.create_comment(actor=colleague, post=question, body="On the wiki")
    with django_capture_on_commit_callbacks(execute=True):
        feeds.accept_answer(actor=employee, post=question, comment=answer)
    (n,) = rows(colleague, Kind.ANSWER_ACCEPTED)
    assert n.text == "Ana Garcia accepted your answer to “Where is the VPN guide?”"
    assert n.url.endswith(f"#comment-{answer.pk}")
    assert mail.outbox == []  # nice to know: it waits for the digest unless chosen otherwise


def test_accepting_the_same_answer_again_or_my_own_notifies_nobody_more(
    employee, colleague, question
):
    answer = feeds.create_comment(actor=colleague, post=question, body="On the wiki")
    mine = feeds.create_comment(actor=employee, post=question, body="Found it myself")
    feeds.accept_answer(actor=employee, post=question, comment=answer)
    feeds.accept_answer(actor=employee, post=question, comment=answer)
    feeds.accept_answer(actor=employee, post=question, comment=mine)
    feeds.accept_answer(actor=employee, post=question, comment=None)
    assert len(rows(colleague, Kind.ANSWER_ACCEPTED)) == 1
    assert rows(employee, Kind.ANSWER_ACCEPTED) == []


def test_an_accepted_answer_by_someone_who_left_a_private_group_tells_nobody(
    employee, colleague, private
):
    groups.invite_member(actor=employee, group=private, user=colleague)
    question = feeds.create_post(
        actor=employee, group=private, body="Secret plans?", kind=Post.Kind.QUESTION
    )
    answer = feeds.create_comment(actor=colleague, post=question, body="Yes")
    groups.leave_group(actor=colleague, group=private)
    feeds.accept_answer(actor=employee, post=question, comment=answer)
    assert rows(colleague, Kind.ANSWER_ACCEPTED) == []


def test_the_new_kinds_are_on_the_preferences_page(employee):
    page = client_for(employee).get("/notifications/preferences/").content.decode()
    for kind in ("comment_removed", "invited", "answer_accepted"):
        assert f'name="{kind}"' in page
    others = make_person("cara.diaz").user
    assert (
        client_for(others)
        .get("/api/v1/notifications/preferences/")
        .json()["kinds"]["answer_accepted"]
        == "digest"
    )
